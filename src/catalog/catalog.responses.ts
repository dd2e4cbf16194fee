import type { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, getSchemaPath, type ApiPropertyOptions } from '@nestjs/swagger';
import { ApiMoney, ApiMoneyNullable, ApiMoneyOptional, ApiNullableRef, SHARED_NEXT_CURSOR } from '../common/api-contract.js';

/* OpenAPI description of the catalog's answers (GET /v1/catalog/gpus is in gpu-catalog.dto.ts). Rates are USD per 1M tokens as decimal strings. */


export const MODEL_KINDS = ['closed', 'managed_open'] as const;
export const OVERRIDE_KINDS = ['discount', 'custom'] as const;
export const OPEN_MODEL_GENERATIONS = ['current', 'seed'] as const;
export const OPEN_MODEL_KINDS = ['decoder', 'encoder', 'encoder-decoder'] as const;

const perMTok = (example: string, what: string) => ({ example, description: `${what}, USD per 1M tokens (decimal string)` });
const perMTokOrBase = (example: string, what: string) => ({ example, description: `${what}, USD per 1M tokens (decimal string); null: billed as the base class` });

/** A long-context tier: above `aboveInputTokens` input tokens the whole request is billed at these rates. */
export class PriceTierDto {
  @ApiProperty({ type: 'integer', example: 200000, description: 'Applies when the input (tokens, cache reads and writes included) is strictly above this' }) aboveInputTokens!: number;
  @ApiMoney(perMTok('6', 'Input')) inputPerMTok!: string;
  @ApiMoney(perMTok('22.5', 'Output')) outputPerMTok!: string;
  @ApiMoneyOptional(perMTok('0.6', 'Cached input')) cachedInputPerMTok?: string;
  @ApiMoneyOptional(perMTok('7.5', 'Cache write (5 min)')) cacheWritePerMTok?: string;
  @ApiMoneyOptional(perMTok('12', 'Cache write (1 h)')) cacheWrite1hPerMTok?: string;
  @ApiMoneyOptional(perMTok('22.5', 'Reasoning')) reasoningPerMTok?: string;
  @ApiMoneyOptional(perMTok('40', 'Audio input')) inputAudioPerMTok?: string;
  @ApiMoneyOptional(perMTok('2.5', 'Cached audio input')) cachedInputAudioPerMTok?: string;
  @ApiMoneyOptional(perMTok('80', 'Audio output')) outputAudioPerMTok?: string;
  @ApiMoneyOptional(perMTok('6', 'Image input')) inputImagePerMTok?: string;
  @ApiMoneyOptional(perMTok('6', 'Video input')) inputVideoPerMTok?: string;
}

/** One stored price version of a model with every class rate, its source and the note saying which source won. */
export class ModelPriceVersionDto {
  @ApiProperty({ format: 'uuid', example: '0b7d6f4e-59a1-4c1e-9f3b-2f1a8c7d5e42' }) id!: string;
  @ApiProperty({ example: 'openai' }) provider!: string;
  @ApiProperty({ example: 'gpt-4o' }) modelId!: string;
  @ApiMoney(perMTok('2.5', 'Input')) inputPerMTok!: string;
  @ApiMoney(perMTok('10', 'Output')) outputPerMTok!: string;
  @ApiMoneyNullable(perMTokOrBase('1.25', 'Cached input')) cachedInputPerMTok!: string | null;
  @ApiMoneyNullable(perMTokOrBase('3.75', 'Cache write (5 min)')) cacheWritePerMTok!: string | null;
  @ApiMoneyNullable(perMTokOrBase('6', 'Cache write (1 h)')) cacheWrite1hPerMTok!: string | null;
  @ApiMoneyNullable(perMTokOrBase('10', 'Reasoning')) reasoningPerMTok!: string | null;
  @ApiMoneyNullable(perMTokOrBase('40', 'Audio input')) inputAudioPerMTok!: string | null;
  @ApiMoneyNullable(perMTokOrBase('2.5', 'Cached audio input')) cachedInputAudioPerMTok!: string | null;
  @ApiMoneyNullable(perMTokOrBase('80', 'Audio output')) outputAudioPerMTok!: string | null;
  @ApiMoneyNullable(perMTokOrBase('2.5', 'Image input')) inputImagePerMTok!: string | null;
  @ApiMoneyNullable(perMTokOrBase('2.5', 'Video input')) inputVideoPerMTok!: string | null;
  @ApiProperty({ type: [PriceTierDto], description: 'Long-context tiers, lowest threshold first; empty when the price is flat' }) tiers!: PriceTierDto[];
  @ApiProperty({ format: 'date-time', example: '2026-01-01T00:00:00.000Z' }) effectiveFrom!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null, description: 'Exclusive; null while in force' }) effectiveTo!: string | null;
  @ApiProperty({ example: 'genai-prices@0.0.36', description: 'Where the rates come from' }) source!: string;
  @ApiProperty({ type: String, nullable: true, example: 'genai-prices and the reference file agree', description: 'Which source won and why, when two price the model' }) note!: string | null;
}

export class PriceSourceDecisionDto {
  @ApiProperty({ example: 'genai-prices@0.0.36', description: 'The source whose prices are used' }) winner!: string;
  @ApiProperty({ type: [String], example: ['genai-prices@0.0.36', 'reference:economics.json'], description: 'Every source that prices the model' }) sources!: string[];
  @ApiProperty({ example: 'genai-prices is newer than the reference file', description: 'Why the winner won' }) reason!: string;
}

export class CatalogModelDto {
  @ApiProperty({ example: 'gpt-4o', description: 'Catalog model id' }) id!: string;
  @ApiProperty({ example: 'openai' }) provider!: string;
  @ApiProperty({ enum: MODEL_KINDS, enumName: 'CatalogModelKind', example: 'closed', description: 'closed: a proprietary API; managed_open: an open model served by an API provider' }) kind!: string;
  @ApiProperty({ type: 'integer', nullable: true, example: 128000, description: 'Context window (tokens); null when unknown' }) contextTokens!: number | null;
  @ApiProperty({ example: 2, description: 'Stored price versions' }) versions!: number;
  @ApiNullableRef(PriceSourceDecisionDto, { description: 'null for a model the seed did not price (e.g. added later by a repricing)' }) priceSource!: PriceSourceDecisionDto | null;
  @ApiNullableRef(ModelPriceVersionDto, { description: 'The version in force now; null when none is' }) currentPrice!: ModelPriceVersionDto | null;
  @ApiProperty({ type: [ModelPriceVersionDto], description: 'Every version, oldest first' }) priceVersions!: ModelPriceVersionDto[];
}

/** A price version as ingest bills it (GET /v1/catalog/models/{id}/prices). */
export class PriceVersionDto {
  @ApiProperty({ format: 'uuid', example: '0b7d6f4e-59a1-4c1e-9f3b-2f1a8c7d5e42' }) id!: string;
  @ApiProperty({ example: 'openai' }) provider!: string;
  @ApiProperty({ example: 'gpt-4o' }) modelId!: string;
  @ApiMoney(perMTok('2.5', 'Input')) inputPerMTok!: string;
  @ApiMoney(perMTok('10', 'Output')) outputPerMTok!: string;
  @ApiMoneyNullable(perMTokOrBase('1.25', 'Cached input')) cachedInputPerMTok!: string | null;
  @ApiMoneyNullable(perMTokOrBase('3.75', 'Cache write (5 min)')) cacheWritePerMTok!: string | null;
  @ApiMoneyNullable(perMTokOrBase('10', 'Reasoning')) reasoningPerMTok!: string | null;
  @ApiProperty({ type: [PriceTierDto] }) tiers!: PriceTierDto[];
  @ApiProperty({ format: 'date-time', example: '2026-01-01T00:00:00.000Z' }) effectiveFrom!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null, description: 'Exclusive; null while in force' }) effectiveTo!: string | null;
  @ApiProperty({ example: 'genai-prices@0.0.36' }) source!: string;
}

export class ModelPricesDto {
  @ApiProperty({ example: 'gpt-4o' }) modelId!: string;
  @ApiProperty({ type: [PriceVersionDto], description: 'Every version of the model from every provider that sells it' }) data!: PriceVersionDto[];
  @ApiProperty(SHARED_NEXT_CURSOR) nextCursor!: string | null;
}

export class PriceOverrideDto {
  @ApiProperty({ format: 'uuid', example: '6a1f0d3c-8e2b-4b7a-9c55-0f4e2d1b3a77' }) id!: string;
  @ApiProperty({ enum: OVERRIDE_KINDS, enumName: 'PriceOverrideKind', example: 'discount' }) kind!: string;
  @ApiProperty({ example: 'openai' }) provider!: string;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'custom only: the model priced' }) modelId!: string | null;
  @ApiProperty({ type: String, nullable: true, pattern: '^\\d+(\\.\\d+)?$', example: '15', description: 'discount only: percent off list prices (decimal string)' }) percent!: string | null;
  @ApiMoneyNullable(perMTok('2', 'custom only: input')) inputPerMTok!: string | null;
  @ApiMoneyNullable(perMTok('8', 'custom only: output')) outputPerMTok!: string | null;
  @ApiMoneyNullable(perMTokOrBase('1', 'Cached input')) cachedInputPerMTok!: string | null;
  @ApiMoneyNullable(perMTokOrBase('2.5', 'Cache write')) cacheWritePerMTok!: string | null;
  @ApiMoneyNullable(perMTokOrBase('8', 'Reasoning')) reasoningPerMTok!: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-01-01T00:00:00.000Z' }) effectiveFrom!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2027-01-01T00:00:00.000Z', description: 'Exclusive; null: open-ended' }) effectiveTo!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Enterprise agreement 2026: 15% off list' }) note!: string | null;
}

export class QualityScoreFactDto {
  @ApiProperty({
    oneOf: [{ type: 'number' }, { type: 'array', items: { type: 'number' } }],
    example: 69.4,
    description: 'The published score; a range [low, high] where the source gives one',
  })
  value!: number | number[];
  @ApiProperty({ example: 'llama31_card', description: 'Source id' }) source!: string;
  @ApiPropertyOptional({ example: '2024-11-13', description: 'Leaderboard snapshot the score is from' }) snapshot?: string;
  @ApiPropertyOptional({ example: 'Meta-Llama-3-8B-Instruct' }) note?: string;
}

/** Architecture facts the KV-cache sizing reads; which fields are present depends on the model family. */
export class OpenModelArchitectureDto {
  @ApiPropertyOptional({ example: 32 }) layers?: number;
  @ApiPropertyOptional({ example: 8 }) kvHeads?: number;
  @ApiPropertyOptional({ example: 128 }) headDim?: number;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 131072, description: 'KV cache per token in bf16 (bytes)' }) kvBytesPerTokenBF16?: number | null;
  @ApiPropertyOptional({ example: 128, description: 'KV cache per token in bf16 (KiB)' }) kvKiBPerTokenBF16?: number;
  @ApiPropertyOptional({ example: 4096 }) dModel?: number;
  @ApiPropertyOptional({ example: 4096 }) hiddenSize?: number;
  @ApiPropertyOptional({ example: 32 }) attentionHeads?: number;
  @ApiPropertyOptional({ example: 'MLA' }) attention?: string;
  @ApiPropertyOptional({ example: '256 routed + 1 shared, 8 active' }) experts?: string;
  @ApiPropertyOptional({ example: 512 }) kvLoraRank?: number;
  @ApiPropertyOptional({ example: 64 }) qkRopeHeadDim?: number;
  @ApiPropertyOptional({ example: 'layers x (kvLoraRank + qkRopeHeadDim) x 2 bytes' }) formula?: string;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 4096 }) slidingWindow?: number | null;
  @ApiPropertyOptional({ example: 24 }) encoderLayers?: number;
  @ApiPropertyOptional({ example: 24 }) decoderLayers?: number;
  @ApiPropertyOptional({ example: 'llama_arch', description: 'Source id' }) source?: string;
  @ApiPropertyOptional({ example: 'headDim = dim / n_heads = 128.' }) note?: string;
}

/** An open model as published in the reference data (fields vary by source), with its source id. */
export class OpenModelDto {
  @ApiProperty({ example: 'llama-3.3-70b-instruct' }) id!: string;
  @ApiProperty({ example: 'llama3.3' }) family!: string;
  @ApiProperty({ enum: OPEN_MODEL_GENERATIONS, enumName: 'OpenModelGeneration', example: 'current', description: 'current: a model the economics price; seed: an older model kept for reference' }) generation!: string;
  @ApiProperty({ type: Number, nullable: true, example: 70, description: 'Parameters (billions)' }) paramsB!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, example: null, description: 'Active parameters per token of a mixture of experts (billions)' }) activeParamsB?: number | null;
  @ApiPropertyOptional({ enum: OPEN_MODEL_KINDS, enumName: 'OpenModelKind', example: 'decoder' }) kind?: string;
  @ApiProperty({ type: String, nullable: true, example: 'Llama 3.3 Community License' }) license!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 131072, description: 'Context window (tokens)' }) contextTokens!: number | null;
  @ApiPropertyOptional({ example: 'chat / generation' }) typicalUse?: string;
  @ApiPropertyOptional({ type: OpenModelArchitectureDto }) architecture?: OpenModelArchitectureDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/QualityScoreFactDto' },
    example: { mmlu5shot: { value: 86, source: 'llama33_card' } },
    description: 'Benchmark name → published score with its source',
  })
  qualityScores!: Record<string, QualityScoreFactDto>;
  @ApiProperty({ example: 'llama33_card', description: 'Source id of the entry' }) source!: string;
  @ApiPropertyOptional({ example: 'Same architecture as Llama 3.1 70B' }) note?: string;
  @ApiPropertyOptional({ example: "context '8k' in card = 8192 positions." }) notes?: string;
}

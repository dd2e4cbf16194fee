import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsNotNullWhenPresent } from '../common/validation.js';
import { PRECISIONS } from '../domain/economics/types.js';

const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value);

/** Open models one estimate may compare: each costs a sizing, a capacity lookup and crossover searches per GPU and precision. */
export const MAX_ESTIMATE_MODELS = 8;
const uniqueList = ({ value }: { value: unknown }) => {
  const list = toList({ value });
  return Array.isArray(list) ? [...new Map(list.map((m) => [String(m).toLowerCase(), m])).values()] : list;
};

export class EstimateDto {
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, maxItems: MAX_ESTIMATE_MODELS }], example: 'llama-3.3-70b-instruct', description: `Open model id, or a comma-separated list of at most ${MAX_ESTIMATE_MODELS} (GET /v1/catalog/open-models); repeats count once` })
  @Transform(uniqueList) @ArrayMinSize(1) @ArrayMaxSize(MAX_ESTIMATE_MODELS, { message: `openModel lists at most ${MAX_ESTIMATE_MODELS} models` }) @IsString({ each: true }) @MaxLength(100, { each: true }) openModel: string | string[];
  @ApiPropertyOptional({ enum: PRECISIONS, enumName: 'Precision', example: 'fp8', description: 'Default: bf16 and fp8 (and the model\'s native precision)' }) @IsOptional() @IsIn(PRECISIONS as unknown as string[]) precision?: string;
  @ApiPropertyOptional({ example: 'H100-80GB-SXM', description: 'Default: every GPU in the catalog' }) @IsNotNullWhenPresent() @IsString() @MaxLength(64) gpu?: string;
  @ApiProperty({ type: 'integer', example: 2_000_000_000, description: 'tokens/month' }) @Type(() => Number) @IsInt() @Min(0) @Max(1e15) monthlyInputTokens: number;
  @ApiProperty({ type: 'integer', example: 500_000_000, description: 'tokens/month' }) @Type(() => Number) @IsInt() @Min(0) @Max(1e15) monthlyOutputTokens: number;
  @ApiPropertyOptional({ type: 'integer', example: 400_000_000, description: 'tokens/month, part of the input' }) @IsOptional() @IsInt() @Min(0) @Max(1e15) monthlyCachedInputTokens?: number;
  @ApiPropertyOptional({ example: 1500 }) @IsOptional() @IsNumber() @Min(1) @Max(10_000_000) avgInputTokensPerRequest?: number;
  @ApiPropertyOptional({ example: 300 }) @IsOptional() @IsNumber() @Min(0) @Max(10_000_000) avgOutputTokensPerRequest?: number;
  @ApiPropertyOptional({ example: 5000, description: 'p95 time per request (ms) self-hosted replicas must meet; default the assumption latencyTargetP95Ms (20 s)' })
  @IsOptional() @IsInt() @Min(100) @Max(600_000) latencyTargetP95Ms?: number;
  @ApiPropertyOptional({ enum: ['interactive', 'batch'], enumName: 'LatencyTolerance', example: 'interactive', description: 'batch: results within hours are fine, so batch and flex API tiers are priced' })
  @IsOptional() @IsIn(['interactive', 'batch']) latencyTolerance?: 'interactive' | 'batch';
  @ApiPropertyOptional({ example: 2, description: 'Peak / average load' }) @IsOptional() @IsNumber() @Min(1) @Max(100) peakToAverage?: number;
  @ApiPropertyOptional({ example: 'gpt-4o', description: 'Closed model used today (catalog id), priced at list price' }) @IsOptional() @IsString() @MaxLength(100) currentModel?: string;
  @ApiPropertyOptional({ description: 'What you spend today (USD/month, decimal string); overrides the list-price estimate', example: '12000' })
  @IsOptional() @Matches(/^\d{1,12}(\.\d{1,6})?$/, { message: 'currentMonthlySpendUsd must be a decimal string' }) currentMonthlySpendUsd?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { targetUtilisation: 0.7 }, description: 'Per-request assumption overrides (same keys as GET /v1/settings/assumptions), e.g. {"targetUtilisation": 0.7}' })
  @IsOptional() @IsObject() assumptions?: Record<string, unknown>;
}

export class WorkloadEconomicsQueryDto {
  @ApiPropertyOptional({ example: '28d', description: 'Usage window: 7d to 90d' }) @IsOptional() @Matches(/^([7-9]|[1-8]\d|90)d$/, { message: 'window must be 7d to 90d' }) window?: string;
  @ApiPropertyOptional({ type: String, example: 'llama-3.3-70b-instruct,qwen3-32b', description: 'Comma-separated open model ids (default: one per size class)' }) @IsOptional() @Transform(toList) @IsString({ each: true }) openModels?: string[];
  @ApiPropertyOptional({ enum: ['true', 'false'], example: 'false', description: 'Recompute instead of serving the last snapshot' }) @IsOptional() @IsIn(['true', 'false']) refresh?: string;
}

export class ForecastQueryDto {
  @ApiPropertyOptional({ default: 6, minimum: 1, maximum: 12, example: 6 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(12) horizonMonths?: number;
  @ApiPropertyOptional({ enum: ['workload'], example: 'workload', description: 'Also forecast each workload' }) @IsOptional() @IsIn(['workload']) groupBy?: 'workload';
}

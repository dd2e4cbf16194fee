// Response bodies of ingestion (POST /v1/events, OTLP) and of the stored events, as the OpenAPI document describes them.
import type { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, getSchemaPath, type ApiPropertyOptions } from '@nestjs/swagger';
import { ApiMoneyNullable, FieldErrorDto, ApiNullableRef } from '../common/api-contract.js';
import { SERVICE_TIERS, type ServiceTier } from '../domain/pricing/price.js';
import type { UsageFormat } from '../domain/pricing/usage.js';
import { EVENT_OUTCOMES, type EventOutcome } from './event-validator.js';
import { INGEST_STATUSES, type EventStatus } from './ingestion.service.js';


// Every UsageFormat once: a format added to the type without a line here fails to compile.
const USAGE_FORMAT_SET: Record<UsageFormat, true> = {
  canonical: true,
  'openai-chat': true,
  'openai-responses': true,
  anthropic: true,
  gemini: true,
  'bedrock-converse': true,
  otel: true,
};
export const USAGE_FORMATS = Object.keys(USAGE_FORMAT_SET) as UsageFormat[];

const TOKENS = { type: 'integer', minimum: 0 } as const;

export class IngestItemResultDto {
  @ApiProperty({ type: 'integer', example: 0, description: 'Position of the event in the request' }) index: number;
  @ApiProperty({ type: 'string', nullable: true, example: 'evt_01JD8X2K7Q', description: "The event's id; null when it sent none (rejected)" }) id: string | null;
  @ApiProperty({ enum: INGEST_STATUSES, enumName: 'IngestStatus', example: 'accepted', description: 'duplicate: the same id with the same content was stored before; conflict: with other content (the first stays)' })
  status: EventStatus;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'rejected only: every field at fault', example: [{ field: 'events[3].usage.prompt_tokens', message: 'must be a non-negative integer' }] })
  errors?: FieldErrorDto[];
}

export class IngestResultDto {
  @ApiProperty({ type: 'integer', example: 998 }) accepted: number;
  @ApiProperty({ type: 'integer', example: 1 }) duplicates: number;
  @ApiProperty({ type: 'integer', example: 0 }) conflicts: number;
  @ApiProperty({ type: 'integer', example: 1 }) rejected: number;
  @ApiProperty({ type: [IngestItemResultDto], description: 'One per event, in request order' }) results: IngestItemResultDto[];
}

/** OTLP's ExportTracePartialSuccess: empty when every GenAI span was stored or was a duplicate. */
export class OtlpPartialSuccessDto {
  @ApiPropertyOptional({ type: 'integer', example: 1 }) rejectedSpans?: number;
  @ApiPropertyOptional({ example: '1 GenAI span(s) rejected; see results' }) errorMessage?: string;
}

export class OtlpExportResultDto extends IngestResultDto {
  @ApiProperty({ type: OtlpPartialSuccessDto }) partialSuccess: OtlpPartialSuccessDto;
  @ApiProperty({ type: 'integer', example: 1000, description: 'Spans that became usage events' }) genAiSpans: number;
  @ApiProperty({ type: 'integer', example: 240, description: 'Spans without GenAI attributes, ignored' }) otherSpans: number;
}

export class EventUsageDto {
  @ApiProperty({ ...TOKENS, example: 1200, description: 'Includes cached input and cache writes' }) inputTokens: number;
  @ApiProperty({ ...TOKENS, example: 300, description: 'Includes reasoning' }) outputTokens: number;
  @ApiProperty({ ...TOKENS, example: 1024 }) cachedInputTokens: number;
  @ApiProperty({ ...TOKENS, example: 0 }) cacheWriteTokens: number;
  @ApiProperty({ ...TOKENS, example: 0 }) reasoningTokens: number;
  @ApiProperty({ ...TOKENS, example: 0 }) cacheWrite1hTokens: number;
  @ApiProperty({ ...TOKENS, example: 0 }) audioInputTokens: number;
  @ApiProperty({ ...TOKENS, example: 0 }) imageInputTokens: number;
  @ApiProperty({ ...TOKENS, example: 0 }) videoInputTokens: number;
  @ApiProperty({ ...TOKENS, example: 0 }) cachedAudioInputTokens: number;
  @ApiProperty({ ...TOKENS, example: 0 }) audioOutputTokens: number;
}

export class ServiceTierPricingDto {
  @ApiProperty({ example: true, description: "true: the tier's own price applied; false: standard rates (see reason)" }) priced: boolean;
  @ApiProperty({ pattern: '^\\d+(\\.\\d+)?$', example: '0.5', description: 'Fraction taken off the standard per-token rates (0 = none), decimal string' }) discountFraction: string;
  @ApiProperty({ example: false, description: 'Whether cached-input reads got the discount too' }) cachedInputDiscounted: boolean;
  @ApiProperty({ type: 'string', nullable: true, example: 'openai-batch-api', description: 'Source of the discount; null when none applied' }) source: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: null, description: 'Why the tier was priced at standard rates; null when priced' }) reason: string | null;
}

export class UsageEventDto {
  @ApiProperty({ example: 'evt_01JD8X2K7Q', description: "The client's id (its idempotency key)" }) id: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-28T10:00:00.000Z', description: 'When the call happened (as sent)' }) timestamp: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-28T10:00:01.120Z' }) receivedAt: string;
  @ApiProperty({ example: 'openai' }) provider: string;
  @ApiProperty({ example: 'gpt-4o-2024-08-06', description: 'The model as sent' }) model: string;
  @ApiProperty({ example: 'gpt-4o', description: 'The catalog model it resolved to' }) modelId: string;
  @ApiProperty({ example: 'support-chat' }) workload: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'support-chat' }) project: string | null;
  @ApiProperty({ example: 'production' }) environment: string;
  @ApiProperty({ type: 'integer', example: 1 }) requests: number;
  @ApiProperty({ type: EventUsageDto, description: 'Normalised usage, tokens' }) usage: EventUsageDto;
  @ApiProperty({ enum: USAGE_FORMATS, enumName: 'UsageFormat', example: 'openai-chat', description: 'The shape the usage object was sent in' }) usageFormat: UsageFormat;
  @ApiProperty({ enum: SERVICE_TIERS, enumName: 'ServiceTier', example: 'default' }) serviceTier: ServiceTier;
  @ApiProperty({ type: 'integer', nullable: true, example: 840 }) latencyMs: number | null;
  @ApiProperty({ enum: EVENT_OUTCOMES, enumName: 'EventOutcome', example: 'ok', description: 'Whether the call succeeded' }) status: EventOutcome;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { team: 'growth' } }) tags: Record<string, string>;
  @ApiProperty({ type: 'string', nullable: true, example: 'acme-corp' }) customer: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'u_8f3a2c' }) endUser: string | null;
  @ApiMoneyNullable({ example: '0.00585', description: "Crossover's cost, USD decimal string; null when unpriced (never counted as $0)" }) costUsd: string | null;
  @ApiProperty({ example: false, description: 'No price was known for this model at this time' }) unpriced: boolean;
  @ApiProperty({ type: 'string', nullable: true, example: 'pv-gpt-4o', description: 'The price version used; null when unpriced' }) priceVersionId: string | null;
  @ApiNullableRef(ServiceTierPricingDto, { description: 'How the service tier was priced; null when unpriced' }) serviceTierPricing: ServiceTierPricingDto | null;
  @ApiMoneyNullable({ example: '0.0059', description: "The provider's cost as the caller or its gateway reported it; null when none" }) providerCostUsd: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'gateway', description: 'Where providerCostUsd came from; null exactly when it is' }) providerCostSource: string | null;
  @ApiMoneyNullable({ example: '0.0059', deprecated: true, description: 'Deprecated alias of providerCostUsd' }) clientCostUsd: string | null;
}

const COUNT_TEXT = { pattern: '^\\d+$', description: 'A sum, as a decimal string (it can exceed 2^53)' } as const;

export class UnpricedModelDto {
  @ApiProperty({ example: 'openai' }) provider: string;
  @ApiProperty({ example: 'gpt-4o-mini-2026-10-01', description: 'The model as sent' }) model: string;
  @ApiProperty({ example: 'gpt-4o-mini-2026-10-01', description: 'The catalog id it resolved to (the name itself when unknown)' }) modelId: string;
  @ApiProperty({ type: 'integer', example: 1280, description: 'Unpriced events' }) events: number;
  @ApiProperty({ ...COUNT_TEXT, example: '1280' }) requests: string;
  @ApiProperty({ ...COUNT_TEXT, example: '1536000' }) inputTokens: string;
  @ApiProperty({ ...COUNT_TEXT, example: '384000' }) outputTokens: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-02T09:15:00.000Z' }) firstSeen: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-30T14:02:00.000Z' }) lastSeen: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../common/pagination.js';
import { SERVICE_TIERS } from '../domain/pricing/price.js';
import { EVENT_OUTCOMES, MAX_EVENTS_PER_BATCH, type EventOutcome } from './event-validator.js';

/** Documents the ingest body for OpenAPI; the body itself is checked event by event (see event-validator.ts). */
export class UsageEventDoc {
  @ApiProperty({ maxLength: 128, example: 'evt_01JD8X2K7Q', description: "Client's idempotency key: the same id is stored once, forever" }) id: string;
  @ApiProperty({ example: '2026-11-28T10:00:00Z', description: 'RFC 3339; any past time (backfill); at most 5 minutes in the future' }) timestamp: string;
  @ApiProperty({ example: 'openai' }) provider: string;
  @ApiProperty({ example: 'gpt-4o-2024-08-06', description: 'Resolved to a catalog model through aliases and dated-snapshot rules' }) model: string;
  @ApiProperty({ example: 'support-chat', description: 'Slug of the feature or use case; registered on first sight' }) workload: string;
  @ApiPropertyOptional({ example: 'support-chat' }) project?: string;
  @ApiPropertyOptional({ default: 'production', example: 'production' }) environment?: string;
  @ApiProperty({
    description:
      'Canonical {inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens, reasoningTokens} (input includes cached and cache writes; output includes reasoning) with optional classes priced apart {cacheWrite1hTokens ⊆ cache writes, audioInputTokens / imageInputTokens / videoInputTokens ⊆ fresh input, cachedAudioInputTokens ⊆ cached, audioOutputTokens ⊆ output - reasoning}, or the provider usage object (or whole response body) as returned by OpenAI (chat, responses, realtime: audio tokens), Anthropic (cache_creation by TTL) or Gemini (*TokensDetails by modality)',
    example: { prompt_tokens: 1200, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 1024 } },
    type: 'object',
    additionalProperties: true,
  })
  usage: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'integer', default: 1, example: 1 }) requests?: number;
  @ApiPropertyOptional({ type: 'integer', example: 840, description: 'Milliseconds' }) latencyMs?: number;
  @ApiPropertyOptional({ enum: EVENT_OUTCOMES, enumName: 'EventOutcome', default: 'ok', example: 'ok', description: 'Whether the call succeeded' }) status?: EventOutcome;
  @ApiPropertyOptional({ description: 'Up to 32 string tags', type: 'object', additionalProperties: { type: 'string' }, example: { team: 'growth' } }) tags?: Record<string, string>;
  @ApiPropertyOptional({
    enum: SERVICE_TIERS,
    enumName: 'ServiceTier',
    example: 'batch',
    description:
      "The processing tier the call ran on. Absent: the tier the usage object or response body reports (OpenAI service_tier: default, flex, priority; scale and auto count as default; Anthropic usage.service_tier: standard = default, priority, batch), else default. Batch and flex are priced at the provider's sourced discount; a tier without a sourced price is priced at standard rates and flagged (serviceTierPricing.priced false)",
  })
  serviceTier?: string;
  @ApiPropertyOptional({
    description:
      "The provider's cost of this call as the caller (or its gateway) already knows it, USD, decimal string or number, < 1e12, at most 12 decimals. Kept beside Crossover's computed cost (reports: costBasis=provider), never replacing it. An OpenRouter usage.cost in the usage object is taken when this is absent (source gateway)",
    example: '0.0123',
  })
  providerCostUsd?: string;
  @ApiPropertyOptional({ description: 'Where providerCostUsd came from: a lowercase slug of at most 32 characters', default: 'caller', example: 'gateway' })
  providerCostSource?: string;
  @ApiPropertyOptional({ deprecated: true, description: 'Deprecated alias of providerCostUsd (send one, not both)', example: '0.0123' }) costUsd?: string;
  @ApiPropertyOptional({
    maxLength: 256,
    example: 'acme-corp',
    description:
      "The org's own end customer or account this call was made for (reports: groupBy=customer, GET /v1/reports/customers; budgets by customer). Any text of 1 to 256 characters but \"(other)\", which the rollups reserve for customers beyond their cap. OTLP: crossover.customer",
  })
  customer?: string;
  @ApiPropertyOptional({
    maxLength: 256,
    example: 'u_8f3a2c',
    description:
      "An opaque id of the end user (never an e-mail address you would not want stored). Absent: the usage object's OpenAI `user` / `safety_identifier` or Anthropic `metadata.user_id` when a gateway logged the request with it. OTLP: enduser.id, else user.id",
  })
  endUser?: string;
}

export class IngestBatchDoc {
  @ApiProperty({ type: [UsageEventDoc], minItems: 1, maxItems: MAX_EVENTS_PER_BATCH }) events: UsageEventDoc[];
}

export class ListEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-01T00:00:00.000Z', description: 'Inclusive start (RFC 3339)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ format: 'date-time', example: '2026-12-01T00:00:00.000Z', description: 'Exclusive end (RFC 3339)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ example: 'support-chat' }) @IsOptional() @Matches(/^[a-z0-9][a-z0-9._-]{0,127}$/, { message: 'workload must be a slug' }) workload?: string;
  @ApiPropertyOptional({ example: 'gpt-4o', description: 'Catalog model id or the model name as sent' }) @IsOptional() @IsString() @MaxLength(200) model?: string;
  @ApiPropertyOptional({ example: 'acme-corp', description: 'Only events of this customer (as sent)', maxLength: 256 }) @IsOptional() @IsString() @MaxLength(256) customer?: string;
  @ApiPropertyOptional({ example: 'u_8f3a2c', description: 'Only events of this end user (as sent or taken from the usage object)', maxLength: 256 }) @IsOptional() @IsString() @MaxLength(256) endUser?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../common/pagination.js';

/** Documents the ingest body for OpenAPI; the body itself is checked event by event (see event-validator.ts). */
export class UsageEventDoc {
  @ApiProperty({ maxLength: 128, description: "Client's idempotency key: the same id is stored once, forever" }) id: string;
  @ApiProperty({ example: '2026-11-28T10:00:00Z', description: 'RFC 3339; any past time (backfill); at most 5 minutes in the future' }) timestamp: string;
  @ApiProperty({ example: 'openai' }) provider: string;
  @ApiProperty({ example: 'gpt-4o-2024-08-06', description: 'Resolved to a catalog model through aliases and dated-snapshot rules' }) model: string;
  @ApiProperty({ example: 'support-chat', description: 'Slug of the feature or use case; registered on first sight' }) workload: string;
  @ApiPropertyOptional({ example: 'checkout' }) project?: string;
  @ApiPropertyOptional({ default: 'production' }) environment?: string;
  @ApiProperty({
    description:
      'Canonical {inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens, reasoningTokens} (input includes cached and cache writes; output includes reasoning), or the provider usage object as returned by OpenAI (chat or responses), Anthropic or Gemini',
    example: { prompt_tokens: 1200, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 1024 } },
  })
  usage: Record<string, unknown>;
  @ApiPropertyOptional({ default: 1 }) requests?: number;
  @ApiPropertyOptional() latencyMs?: number;
  @ApiPropertyOptional({ enum: ['ok', 'error'], default: 'ok' }) status?: string;
  @ApiPropertyOptional({ description: 'Up to 32 string tags', example: { team: 'growth' } }) tags?: Record<string, string>;
  @ApiPropertyOptional({ description: 'What the client thinks it cost; stored beside ours, never trusted over ours', example: '0.0123' }) costUsd?: string;
}

export class IngestBatchDoc {
  @ApiProperty({ type: [UsageEventDoc], minItems: 1, maxItems: 1000 }) events: UsageEventDoc[];
}

export class ListEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Inclusive start (RFC 3339)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'Exclusive end (RFC 3339)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[a-z0-9][a-z0-9._-]{0,127}$/, { message: 'workload must be a slug' }) workload?: string;
  @ApiPropertyOptional({ description: 'Catalog model id or the model name as sent' }) @IsOptional() @IsString() @MaxLength(200) model?: string;
}

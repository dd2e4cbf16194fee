import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../common/pagination.js';
import { MODEL_KINDS, OVERRIDE_KINDS } from './catalog.responses.js';

// At most $999,999 per 1M tokens (the dearest list prices are in the hundreds): with 1e10 tokens an event costs at
// most ~1e10 USD, inside numeric(24,12); an hour summing many such events is isolated by the rollup backoff.
const DECIMAL = /^\d{1,6}(\.\d{1,10})?$/;
const DECIMAL_MSG = 'must be a decimal string of USD per 1M tokens, e.g. "2.5"';

export class CreateOverrideDto {
  @ApiProperty({ enum: OVERRIDE_KINDS, enumName: 'PriceOverrideKind', example: 'discount', description: 'discount: a percentage off everything billed by a provider at list price; custom: your own price for one model (also how self-hosted models get a price)' })
  @IsIn(OVERRIDE_KINDS) kind: 'discount' | 'custom';
  @ApiProperty({ example: 'openai' }) @IsString() @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'provider must be a lowercase provider name' }) provider: string;
  @ApiPropertyOptional({ description: 'custom only: the catalog model id (or your own model name)', example: 'gpt-4o' })
  @ValidateIf((o) => o.kind === 'custom') @IsString() @MaxLength(200) modelId?: string;
  @ApiPropertyOptional({ description: 'discount only: 0 < percent <= 100', example: '15' })
  @ValidateIf((o) => o.kind === 'discount') @Matches(/^(100(\.0+)?|\d{1,2}(\.\d{1,4})?)$/, { message: 'percent must be a decimal string from 0 to 100' }) percent?: string;
  @ApiPropertyOptional({ example: '2.0' }) @ValidateIf((o) => o.kind === 'custom') @Matches(DECIMAL, { message: `inputPerMTok ${DECIMAL_MSG}` }) inputPerMTok?: string;
  @ApiPropertyOptional({ example: '8.0' }) @ValidateIf((o) => o.kind === 'custom') @Matches(DECIMAL, { message: `outputPerMTok ${DECIMAL_MSG}` }) outputPerMTok?: string;
  @ApiPropertyOptional({ example: '1.0', description: 'USD per 1M cached input tokens; default: the input rate' }) @IsOptional() @Matches(DECIMAL, { message: `cachedInputPerMTok ${DECIMAL_MSG}` }) cachedInputPerMTok?: string;
  @ApiPropertyOptional({ example: '2.5', description: 'USD per 1M cache-write tokens; default: the input rate' }) @IsOptional() @Matches(DECIMAL, { message: `cacheWritePerMTok ${DECIMAL_MSG}` }) cacheWritePerMTok?: string;
  @ApiPropertyOptional({ example: '8.0', description: 'USD per 1M reasoning tokens; default: the output rate' }) @IsOptional() @Matches(DECIMAL, { message: `reasoningPerMTok ${DECIMAL_MSG}` }) reasoningPerMTok?: string;
  @ApiProperty({ format: 'date-time', example: '2026-01-01T00:00:00Z' }) @IsISO8601({ strict: true }) effectiveFrom: string;
  @ApiPropertyOptional({ format: 'date-time', example: '2027-01-01T00:00:00Z', description: 'Exclusive end; omit for open-ended' }) @IsOptional() @IsISO8601({ strict: true }) effectiveTo?: string;
  @ApiPropertyOptional({ example: 'Enterprise agreement 2026: 15% off list', maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) note?: string;
}

export class CatalogModelsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'openai', description: 'Only this provider (aliases such as "azure-openai" are folded to the catalog name)' })
  @IsOptional() @IsString() @MaxLength(64) provider?: string;
  @ApiPropertyOptional({ enum: MODEL_KINDS, enumName: 'CatalogModelKind', example: 'closed' })
  @IsOptional() @IsIn(MODEL_KINDS) kind?: string;
}

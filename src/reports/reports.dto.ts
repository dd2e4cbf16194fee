import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayUnique, IsArray, IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../common/pagination.js';
import { SERVICE_TIERS, type ServiceTier } from '../domain/pricing/price.js';
import { COST_BASES, GRANULARITIES, REPORT_GROUP_KEYS, type CostBasis, type Granularity, type ReportGroupKey } from './reports.repository.js';

const SLUGISH = /^[a-z0-9][a-z0-9._/-]{0,199}$/;

export class ReportWindowDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00.000Z', description: 'Inclusive start (RFC 3339); default 30 days before `to`' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00.000Z', description: 'Exclusive end (RFC 3339); default now' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ example: 'support-chat' }) @IsOptional() @Matches(SLUGISH, { message: 'workload must be a slug' }) workload?: string;
  @ApiPropertyOptional({ example: 'gpt-4o', description: 'Catalog model id' }) @IsOptional() @IsString() @MaxLength(200) model?: string;
  @ApiPropertyOptional({ example: 'web' }) @IsOptional() @Matches(SLUGISH, { message: 'project must be a slug' }) project?: string;
  @ApiPropertyOptional({ example: 'openai' }) @IsOptional() @Matches(SLUGISH, { message: 'provider must be a provider name' }) provider?: string;
  @ApiPropertyOptional({ example: 'production' }) @IsOptional() @Matches(SLUGISH, { message: 'environment must be a slug' }) environment?: string;
  @ApiPropertyOptional({ enum: SERVICE_TIERS, enumName: 'ServiceTier', example: 'default', description: 'Only events that ran on this service tier' })
  @IsOptional() @IsIn(SERVICE_TIERS as unknown as string[], { message: `serviceTier must be one of ${SERVICE_TIERS.join(', ')}` }) serviceTier?: ServiceTier;
}

export class SpendReportQueryDto extends ReportWindowDto {
  @ApiPropertyOptional({ enum: GRANULARITIES, enumName: 'Granularity', default: 'day', example: 'day' }) @IsOptional() @IsIn(GRANULARITIES as unknown as string[]) granularity?: Granularity;
  @ApiPropertyOptional({
    type: String,
    description: `Comma-separated: ${REPORT_GROUP_KEYS.join(', ')}. customer, endUser and tag (one of them per report) read the attribution rollups: they combine only with project, workload and provider`,
    example: 'workload,model',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value))
  @IsArray() @ArrayUnique() @IsIn(REPORT_GROUP_KEYS as unknown as string[], { each: true, message: `groupBy must be a comma-separated list of ${REPORT_GROUP_KEYS.join(', ')}` })
  groupBy?: ReportGroupKey[];
  @ApiPropertyOptional({ example: 'acme-corp', description: 'Only events that named this customer (attribution rollups)' })
  @IsOptional() @IsString() @MinLength(1, { message: 'customer must be 1 to 256 characters' }) @MaxLength(256, { message: 'customer must be 1 to 256 characters' }) customer?: string;
  @ApiPropertyOptional({ example: 'user-4821', description: 'Only events that named this end user (attribution rollups)' })
  @IsOptional() @IsString() @MinLength(1, { message: 'endUser must be 1 to 256 characters' }) @MaxLength(256, { message: 'endUser must be 1 to 256 characters' }) endUser?: string;
  @ApiPropertyOptional({ description: 'Only events with this tag, as key=value (URL-encoded: tag=team%3Dsearch); the first = separates key from value', example: 'team=search' })
  @IsOptional() @IsString() @MaxLength(321, { message: 'tag must be key=value, at most 321 characters' }) @Matches(/^[^=]{1,64}=/, { message: 'tag must be key=value (a key of 1 to 64 characters, then =)' }) tag?: string;
  @ApiPropertyOptional({ example: 'Europe/Paris', description: 'IANA time zone for day/week/month buckets', default: 'UTC' }) @IsOptional() @IsString() @MaxLength(64) tz?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'], enumName: 'TableFormat', example: 'json', description: 'Or send Accept: text/csv' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
  @ApiPropertyOptional({
    enum: COST_BASES,
    enumName: 'CostBasis',
    default: 'computed',
    example: 'computed',
    description:
      "computed: Crossover's price of the metered tokens. provider: the provider's cost where the event carried one (providerCostUsd), the computed cost elsewhere. The response's costBasis (CSV: the X-Cost-Basis header) says which was used",
  })
  @IsOptional() @IsIn(COST_BASES as unknown as string[], { message: `costBasis must be one of ${COST_BASES.join(', ')}` }) costBasis?: CostBasis;
}

export class SummaryQueryDto {
  @ApiPropertyOptional({ example: '2026-11', description: 'Default: the current month (UTC)' })
  @IsOptional() @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' }) month?: string;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class CustomersReportQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2026-11', description: 'Default: the current month (UTC)' })
  @IsOptional() @Matches(MONTH, { message: 'month must be YYYY-MM' }) month?: string;
  @ApiPropertyOptional({ example: 'support-chat' }) @IsOptional() @Matches(SLUGISH, { message: 'workload must be a slug' }) workload?: string;
  @ApiPropertyOptional({ example: 'web' }) @IsOptional() @Matches(SLUGISH, { message: 'project must be a slug' }) project?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'], enumName: 'TableFormat', example: 'json', description: 'Or send Accept: text/csv (the page asked for)' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

export const UNIT_GRANULARITIES = ['day', 'week', 'month'] as const;

export class UnitEconomicsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00.000Z', description: 'Inclusive start (RFC 3339); default 30 days before `to`' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00.000Z', description: 'Exclusive end (RFC 3339); default now' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ enum: UNIT_GRANULARITIES, enumName: 'UnitGranularity', default: 'month', example: 'month', description: 'UTC periods (weeks start on Monday)' })
  @IsOptional() @IsIn(UNIT_GRANULARITIES as unknown as string[], { message: `granularity must be one of ${UNIT_GRANULARITIES.join(', ')}` }) granularity?: (typeof UNIT_GRANULARITIES)[number];
  @ApiPropertyOptional({ example: 'support-chat' }) @IsOptional() @Matches(SLUGISH, { message: 'workload must be a slug' }) workload?: string;
  @ApiPropertyOptional({ example: 'web' }) @IsOptional() @Matches(SLUGISH, { message: 'project must be a slug' }) project?: string;
}

/** The latency report answers every workload x model row at once: no limit or cursor (they would be refused, not ignored). */
export class LatencyQueryDto extends OmitType(ReportWindowDto, ['limit', 'cursor'] as const) {}

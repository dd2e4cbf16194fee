import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayUnique, IsArray, IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../common/pagination.js';
import { SERVICE_TIERS, type ServiceTier } from '../domain/pricing/price.js';
import { COST_BASES, GRANULARITIES, GROUP_KEYS, type CostBasis, type Granularity, type GroupKey } from './reports.repository.js';

const SLUGISH = /^[a-z0-9][a-z0-9._/-]{0,199}$/;

export class ReportWindowDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Inclusive start (RFC 3339); default 30 days before `to`' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'Exclusive end (RFC 3339); default now' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(SLUGISH, { message: 'workload must be a slug' }) workload?: string;
  @ApiPropertyOptional({ description: 'Catalog model id' }) @IsOptional() @IsString() @MaxLength(200) model?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(SLUGISH, { message: 'project must be a slug' }) project?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(SLUGISH, { message: 'provider must be a provider name' }) provider?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(SLUGISH, { message: 'environment must be a slug' }) environment?: string;
  @ApiPropertyOptional({ enum: SERVICE_TIERS, description: 'Only events that ran on this service tier' })
  @IsOptional() @IsIn(SERVICE_TIERS as unknown as string[], { message: `serviceTier must be one of ${SERVICE_TIERS.join(', ')}` }) serviceTier?: ServiceTier;
}

export class SpendReportQueryDto extends ReportWindowDto {
  @ApiPropertyOptional({ enum: GRANULARITIES, default: 'day' }) @IsOptional() @IsIn(GRANULARITIES as unknown as string[]) granularity?: Granularity;
  @ApiPropertyOptional({ description: `Comma-separated: ${GROUP_KEYS.join(', ')}`, example: 'workload,model' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value))
  @IsArray() @ArrayUnique() @IsIn(GROUP_KEYS as unknown as string[], { each: true, message: `groupBy must be a comma-separated list of ${GROUP_KEYS.join(', ')}` })
  groupBy?: GroupKey[];
  @ApiPropertyOptional({ description: 'IANA time zone for day/week/month buckets', default: 'UTC' }) @IsOptional() @IsString() @MaxLength(64) tz?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'Or send Accept: text/csv' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
  @ApiPropertyOptional({
    enum: COST_BASES,
    default: 'computed',
    description:
      "computed: Crossover's price of the metered tokens. provider: the provider's cost where the event carried one (providerCostUsd), the computed cost elsewhere. The response's costBasis (CSV: the X-Cost-Basis header) says which was used",
  })
  @IsOptional() @IsIn(COST_BASES as unknown as string[], { message: `costBasis must be one of ${COST_BASES.join(', ')}` }) costBasis?: CostBasis;
}

export class SummaryQueryDto {
  @ApiPropertyOptional({ example: '2026-11', description: 'Default: the current month (UTC)' })
  @IsOptional() @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' }) month?: string;
}

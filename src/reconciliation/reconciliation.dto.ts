import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { PageQueryDto } from '../common/pagination.js';
import { IsNotNullWhenPresent } from '../common/validation.js';
import { MAX_RANGE_DAYS, RECONCILIATION_GROUP_KEYS, type ReconciliationGroupKey } from './reconciliation.service.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class ReconciliationQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01', description: 'First UTC day (inclusive); default 30 days before `to`' })
  @IsOptional() @Matches(DAY, { message: 'from must be a UTC date YYYY-MM-DD' }) from?: string;
  @ApiPropertyOptional({ example: '2026-12-01', description: `UTC day after the last one (exclusive); default tomorrow. At most ${MAX_RANGE_DAYS} days after from` })
  @IsOptional() @Matches(DAY, { message: 'to must be a UTC date YYYY-MM-DD' }) to?: string;
  @ApiPropertyOptional({ type: String, description: `Comma-separated subset of ${RECONCILIATION_GROUP_KEYS.join(', ')}; default provider,day`, example: 'provider,day' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value))
  @IsArray() @ArrayMaxSize(4) @ArrayUnique()
  @IsIn(RECONCILIATION_GROUP_KEYS as unknown as string[], { each: true, message: `groupBy must be a comma-separated list of ${RECONCILIATION_GROUP_KEYS.join(', ')}` })
  groupBy?: ReconciliationGroupKey[];
  @ApiPropertyOptional({ example: 'openai', description: 'Only this provider' })
  @IsOptional() @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'provider must be a provider name' }) provider?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'], enumName: 'TableFormat', example: 'json', description: 'Or send Accept: text/csv' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

export class ReconciliationSettingsDto {
  @ApiPropertyOptional({ example: 5, description: 'A provider-day drifts when |billed - metered| is above this percent of billed (0.1 to 100) and above driftMinUsd; default 5' })
  @IsNotNullWhenPresent() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0.1) @Max(100) driftPercent?: number;
  @ApiPropertyOptional({ example: '1', description: 'USD, decimal string (0 to 1000000); default 1' })
  @IsNotNullWhenPresent() @Matches(/^(?:\d{1,7})(?:\.\d{1,6})?$/, { message: 'driftMinUsd must be a decimal string of USD, e.g. 1 or 0.5' }) driftMinUsd?: string;
  @ApiPropertyOptional({ example: 0.95, description: 'Alert when metered / billed tokens of a provider-day falls below this (0 to 1); default 0.95' })
  @IsNotNullWhenPresent() @IsNumber({ maxDecimalPlaces: 4 }) @Min(0) @Max(1) minCoverage?: number;
}

export class AlertsQueryDto extends PageQueryDto {}

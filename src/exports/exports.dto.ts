import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '../common/pagination.js';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export const COST_BASES = ['computed', 'provider'] as const;
export type CostBasis = (typeof COST_BASES)[number];

/** GET /v1/exports/focus. `limit`/`cursor` page the JSON form by daily rollup rows (each gives one FOCUS row per token class used). */
export class FocusExportQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01', description: 'First UTC day included (YYYY-MM-DD); default: the first day of the current UTC month' })
  @IsOptional() @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' }) from?: string;
  @ApiPropertyOptional({ example: '2026-12-01', description: 'First UTC day NOT included (exclusive, like ChargePeriodEnd); default: the first day of the next month. At most 366 days after from.' })
  @IsOptional() @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' }) to?: string;
  @ApiPropertyOptional({ enum: COST_BASES, enumName: 'CostBasis', default: 'computed', example: 'computed', description: 'computed: Crossover\'s metered cost; provider: the provider-reported cost where events carried one (providerCostUsd), computed elsewhere' })
  @IsOptional() @IsIn(COST_BASES as unknown as string[], { message: 'costBasis must be computed or provider' }) costBasis?: CostBasis;
  @ApiPropertyOptional({ enum: ['csv', 'json'], enumName: 'FocusFormat', example: 'csv', description: 'Default CSV; or send Accept: application/json' })
  @IsOptional() @IsIn(['csv', 'json'], { message: 'format must be csv or json' }) format?: 'csv' | 'json';
}

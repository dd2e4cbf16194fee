// The answers of /v1/reports/*: what the document and the generated client say each report holds.
// The spend report's rows vary with the source it reads (main rollups or attribution rollups) and with
// groupBy, so the fields that are present only sometimes are optional and say when.
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { ApiMoney, ApiMoneyNullable, SHARED_NEXT_CURSOR } from '../common/api-contract.js';
import { SERVICE_TIERS } from '../domain/pricing/price.js';
import { LATENCY_BUCKETS_MS } from '../domain/latency.js';
import { ATTRIBUTION_CAP, OTHER_VALUE } from '../metering/attribution.js';
import { UNIT_GRANULARITIES } from './reports.dto.js';
import { ATTRIBUTION_KEYS, ATTRIBUTION_METRICS, COST_BASES, GRANULARITIES, REPORT_GROUP_KEYS } from './reports.repository.js';

const CURRENCY = { enum: ['USD'], enumName: 'Currency', example: 'USD' } as const;
const DATE_TIME = { type: 'string', format: 'date-time' } as const;
const MAIN_ONLY = 'Main rollups only: absent when the report reads the attribution rollups (customer, endUser or tag)';
const WHEN_GROUPED = (key: string) => `Present when groupBy includes ${key}`;

/** The cap of the attribution rollups, as every answer read from them states it. */
export class AttributionNoteDto {
  @ApiProperty({ example: ATTRIBUTION_CAP, description: 'Values kept per dimension, organisation, hour and UTC day' }) cap: number;
  @ApiProperty({ example: OTHER_VALUE, description: 'The value the rest are summed into' }) otherValue: string;
  @ApiProperty({ example: `At most ${ATTRIBUTION_CAP} values of each of customer, endUser and tag are kept per organisation, hour and UTC day (the costliest); the rest are summed into ${OTHER_VALUE}, which appears as a value like any other` })
  note: string;
}

export class SpendAttributionDto extends AttributionNoteDto {
  @ApiProperty({ enum: ATTRIBUTION_KEYS, enumName: 'AttributionKey', example: 'customer' }) dimension: string;
  @ApiProperty({ example: 'events that named a customer', description: 'What the rows and totals cover' }) scope: string;
}

/** The metrics of a spend row or of the totals. */
export class SpendMetricsDto {
  @ApiMoney({ example: '1735.95' }) costUsd: string;
  @ApiProperty({ type: 'integer', example: 48210 }) requests: number;
  @ApiProperty({ type: 'integer', example: 61_250_000 }) inputTokens: number;
  @ApiProperty({ type: 'integer', example: 9_840_000 }) outputTokens: number;
  @ApiPropertyOptional({ type: 'integer', example: 12, description: `Failed requests. ${MAIN_ONLY}` }) errors?: number;
  @ApiPropertyOptional({ type: 'integer', example: 18_400_000, description: MAIN_ONLY }) cachedInputTokens?: number;
  @ApiPropertyOptional({ type: 'integer', example: 0, description: MAIN_ONLY }) cacheWriteTokens?: number;
  @ApiPropertyOptional({ type: 'integer', example: 1_250_000, description: MAIN_ONLY }) reasoningTokens?: number;
  @ApiPropertyOptional({ type: 'integer', example: 0, description: `Requests of models without a price. ${MAIN_ONLY}` }) unpricedRequests?: number;
  @ApiPropertyOptional({ type: 'integer', example: 0, description: MAIN_ONLY }) unpricedTokens?: number;
}

export class SpendRowDto extends SpendMetricsDto {
  @ApiProperty({ ...DATE_TIME, example: '2026-11-30T00:00:00.000Z', description: 'Start of the period, in tz' }) period: string;
  @ApiPropertyOptional({ example: 'web', description: `${WHEN_GROUPED('project')}; empty when the events named none` }) project?: string;
  @ApiPropertyOptional({ example: 'support-chat', description: WHEN_GROUPED('workload') }) workload?: string;
  @ApiPropertyOptional({ example: 'production', description: WHEN_GROUPED('environment') }) environment?: string;
  @ApiPropertyOptional({ example: 'openai', description: WHEN_GROUPED('provider') }) provider?: string;
  @ApiPropertyOptional({ example: 'gpt-4o', description: WHEN_GROUPED('model') }) model?: string;
  @ApiPropertyOptional({ enum: SERVICE_TIERS, enumName: 'ServiceTier', example: 'default', description: WHEN_GROUPED('serviceTier') }) serviceTier?: string;
  @ApiPropertyOptional({ example: 'acme-corp', description: WHEN_GROUPED('customer') }) customer?: string;
  @ApiPropertyOptional({ example: 'user-4821', description: WHEN_GROUPED('endUser') }) endUser?: string;
  @ApiPropertyOptional({ example: 'team=search', description: `${WHEN_GROUPED('tag')}, as key=value` }) tag?: string;
}

export class SpendReportDto {
  @ApiProperty(CURRENCY) currency: string;
  @ApiProperty({ enum: COST_BASES, enumName: 'CostBasis', example: 'computed' }) costBasis: string;
  @ApiProperty({ ...DATE_TIME, example: '2026-11-01T00:00:00.000Z' }) from: string;
  @ApiProperty({ ...DATE_TIME, example: '2026-12-01T00:00:00.000Z', description: 'Exclusive' }) to: string;
  @ApiProperty({ enum: GRANULARITIES, enumName: 'Granularity', example: 'day' }) granularity: string;
  @ApiProperty({ example: 'Europe/Paris', description: 'IANA time zone of the periods' }) tz: string;
  @ApiProperty({ enum: REPORT_GROUP_KEYS, enumName: 'ReportGroupKey', isArray: true, example: ['workload', 'model'] }) groupBy: string[];
  @ApiPropertyOptional({ enum: ['attribution'], example: 'attribution', description: 'Present when the report reads the attribution rollups (customer, endUser or tag as a group or a filter)' })
  source?: string;
  @ApiPropertyOptional({ enum: ATTRIBUTION_METRICS, isArray: true, example: [...ATTRIBUTION_METRICS], description: 'The metrics the attribution rollups hold (with source)' })
  metrics?: string[];
  @ApiPropertyOptional({ type: SpendAttributionDto, description: 'With source: the attribution dimension and its cap' }) attribution?: SpendAttributionDto;
  @ApiProperty({ type: [SpendRowDto], description: 'Ordered by period, then cost (costliest first)' }) rows: SpendRowDto[];
  @ApiProperty({ type: SpendMetricsDto, description: 'The whole window, every page' }) totals: SpendMetricsDto;
  @ApiProperty(SHARED_NEXT_CURSOR) nextCursor: string | null;
}

export class MonthWindowDto {
  @ApiProperty({ ...DATE_TIME, example: '2026-10-01T00:00:00.000Z' }) from: string;
  @ApiProperty({ ...DATE_TIME, example: '2026-10-30T14:00:00.000Z', description: 'Exclusive' }) to: string;
}

export class SummaryMetricsDto {
  @ApiMoney({ example: '1735.95' }) costUsd: string;
  @ApiProperty({ type: 'integer', example: 48210 }) requests: number;
  @ApiProperty({ type: 'integer', example: 12 }) errors: number;
  @ApiProperty({ type: 'integer', example: 61_250_000 }) inputTokens: number;
  @ApiProperty({ type: 'integer', example: 9_840_000 }) outputTokens: number;
  @ApiProperty({ type: 'integer', example: 18_400_000 }) cachedInputTokens: number;
  @ApiProperty({ type: 'integer', example: 0 }) cacheWriteTokens: number;
  @ApiProperty({ type: 'integer', example: 1_250_000 }) reasoningTokens: number;
  @ApiProperty({ type: 'integer', example: 0 }) unpricedRequests: number;
  @ApiProperty({ type: 'integer', example: 0 }) unpricedTokens: number;
}

export class SamePeriodLastMonthDto extends SummaryMetricsDto {
  @ApiProperty({ ...DATE_TIME, example: '2026-10-01T00:00:00.000Z' }) from: string;
  @ApiProperty({ ...DATE_TIME, example: '2026-10-30T14:00:00.000Z', description: 'Exclusive' }) to: string;
}

export class WorkloadShareDto {
  @ApiProperty({ example: 'support-chat' }) workload: string;
  @ApiMoney({ example: '912.40' }) costUsd: string;
  @ApiProperty({ example: 52.56, description: 'Percent of the month to date' }) sharePercent: number;
}

export class ModelShareDto {
  @ApiProperty({ example: 'gpt-4o' }) model: string;
  @ApiMoney({ example: '804.10' }) costUsd: string;
  @ApiProperty({ example: 46.32 }) sharePercent: number;
}

export class ProviderShareDto {
  @ApiProperty({ example: 'openai' }) provider: string;
  @ApiMoney({ example: '1120.75' }) costUsd: string;
  @ApiProperty({ example: 64.56 }) sharePercent: number;
}

export class UnpricedUsageDto {
  @ApiProperty({ type: 'integer', example: 0, description: 'Requests of models without a price this month' }) requests: number;
  @ApiProperty({ example: 0, description: 'Their tokens (input + output)' }) tokens: number;
}

export class WorkloadUnitCostDto {
  @ApiProperty({ example: 'support-chat' }) workload: string;
  @ApiMoney({ example: '912.4' }) costUsd: string;
  @ApiMoneyNullable({ example: '31.250000', description: 'USD per 1,000 requests; null without requests' }) costPer1kRequestsUsd: string | null;
  @ApiMoneyNullable({ example: '14.896000', description: 'USD per 1M tokens (input + output); null without tokens' }) costPer1MTokensUsd: string | null;
}

export class SpendSummaryDto {
  @ApiProperty(CURRENCY) currency: string;
  @ApiProperty({ example: '2026-11', description: 'YYYY-MM (UTC)' }) month: string;
  @ApiProperty({ ...DATE_TIME, example: '2026-11-30T14:00:00.000Z', description: 'The month is read up to here' }) asOf: string;
  @ApiProperty({ type: SummaryMetricsDto }) monthToDate: SummaryMetricsDto;
  @ApiProperty({ type: SamePeriodLastMonthDto, description: 'The same stretch of the month before' }) samePeriodLastMonth: SamePeriodLastMonthDto;
  @ApiProperty({ type: 'number', nullable: true, example: 12.5, description: 'Percent vs samePeriodLastMonth; null when that was $0' }) changePercent: number | null;
  @ApiProperty({ type: [WorkloadShareDto], description: 'At most 10, costliest first' }) topWorkloads: WorkloadShareDto[];
  @ApiProperty({ type: [ModelShareDto], description: 'At most 10, costliest first' }) topModels: ModelShareDto[];
  @ApiProperty({ type: [ProviderShareDto] }) providers: ProviderShareDto[];
  @ApiProperty({ type: UnpricedUsageDto }) unpriced: UnpricedUsageDto;
  @ApiProperty({ type: [WorkloadUnitCostDto], description: 'Every workload of the month' }) unitEconomics: WorkloadUnitCostDto[];
}

export class CustomerRowDto {
  @ApiProperty({ example: 'acme-corp', description: `The org's own customer id, or ${OTHER_VALUE} for those beyond the cap` }) customer: string;
  @ApiMoney({ example: '412.80' }) costUsd: string;
  @ApiProperty({ type: 'integer', example: 12840 }) requests: number;
  @ApiMoneyNullable({ example: '32.149533', description: 'USD per 1,000 requests; null without requests' }) costPer1kRequestsUsd: string | null;
  @ApiMoney({ example: '350.10', description: 'The same stretch of the month before (the whole month once this one is over)' }) previousMonthCostUsd: string;
  @ApiProperty({ type: 'number', nullable: true, example: 17.91, description: 'Percent vs previousMonthCostUsd; null when that was $0' }) changePercent: number | null;
  @ApiProperty({ example: 23.78, description: "Percent of the customers' total" }) sharePercent: number;
}

export class CustomersTotalsDto {
  @ApiProperty({ example: 42, description: `Named customers (${OTHER_VALUE} not counted)` }) customers: number;
  @ApiMoney({ example: '1735.95', description: "The customers' total (events that named a customer)" }) costUsd: string;
  @ApiProperty({ type: 'integer', example: 48210 }) requests: number;
  @ApiMoney({ example: '0', description: `Cost summed into ${OTHER_VALUE}` }) otherCostUsd: string;
  @ApiMoney({ example: '2140.30', description: 'All spend of the month, named customer or not' }) totalCostUsd: string;
  @ApiProperty({ example: 81.4, description: "The 10 costliest customers' share of costUsd" }) top10SharePercent: number;
  @ApiProperty({ example: 81.11, description: 'costUsd as a share of totalCostUsd' }) attributedSharePercent: number;
}

export class CustomersAttributionDto extends AttributionNoteDto {
  @ApiProperty({ example: "sharePercent and top10SharePercent are of the customers' total (costUsd); attributedSharePercent is that total as a share of all spend (totalCostUsd)" })
  shares: string;
}

export class AttributionFiltersDto {
  @ApiPropertyOptional({ example: 'web' }) project?: string;
  @ApiPropertyOptional({ example: 'support-chat' }) workload?: string;
  @ApiPropertyOptional({ example: 'openai' }) provider?: string;
}

export class CustomersReportDto {
  @ApiProperty(CURRENCY) currency: string;
  @ApiProperty({ example: '2026-11' }) month: string;
  @ApiProperty({ ...DATE_TIME, example: '2026-11-01T00:00:00.000Z' }) from: string;
  @ApiProperty({ ...DATE_TIME, example: '2026-11-30T14:00:00.000Z', description: 'The month is read up to here' }) asOf: string;
  @ApiProperty({ type: MonthWindowDto, description: 'The stretch of the month before that changePercent compares with' }) comparedWith: MonthWindowDto;
  @ApiProperty({ type: AttributionFiltersDto, description: 'The filters applied' }) filters: AttributionFiltersDto;
  @ApiProperty({ type: [CustomerRowDto], description: 'Costliest first' }) rows: CustomerRowDto[];
  @ApiProperty({ type: CustomersTotalsDto }) totals: CustomersTotalsDto;
  @ApiProperty({ type: CustomersAttributionDto }) attribution: CustomersAttributionDto;
  @ApiProperty(SHARED_NEXT_CURSOR) nextCursor: string | null;
}

export class UnitEconomicsRowDto {
  @ApiProperty({ ...DATE_TIME, example: '2026-11-01T00:00:00.000Z', description: 'Start of the UTC period' }) period: string;
  @ApiProperty({ example: 'support-chat' }) workload: string;
  @ApiMoney({ example: '912.4' }) costUsd: string;
  @ApiProperty({ type: 'integer', example: 29200 }) requests: number;
  @ApiProperty({ example: 61_250_000, description: 'Input + output tokens' }) tokens: number;
  @ApiProperty({ example: 42, description: `Distinct customers seen (${OTHER_VALUE} counts as one)` }) activeCustomers: number;
  @ApiMoneyNullable({ example: '0.031247', description: 'null without requests' }) costPerRequestUsd: string | null;
  @ApiMoneyNullable({ example: '0.014896', description: 'USD per 1,000 tokens; null without tokens' }) costPer1kTokensUsd: string | null;
  @ApiMoneyNullable({ example: '21.723810', description: 'null without customers' }) costPerActiveCustomerUsd: string | null;
}

export class ActiveCustomersNoteDto extends AttributionNoteDto {
  @ApiProperty({ example: `distinct customer values per period and workload; ${OTHER_VALUE} counts as one` }) counts: string;
}

export class UnitEconomicsReportDto {
  @ApiProperty(CURRENCY) currency: string;
  @ApiProperty({ ...DATE_TIME, example: '2026-09-01T00:00:00.000Z' }) from: string;
  @ApiProperty({ ...DATE_TIME, example: '2026-12-01T00:00:00.000Z', description: 'Exclusive' }) to: string;
  @ApiProperty({ enum: UNIT_GRANULARITIES, enumName: 'UnitGranularity', example: 'month' }) granularity: string;
  @ApiProperty({ enum: ['UTC'], example: 'UTC', description: 'Periods are UTC' }) tz: string;
  @ApiProperty({ type: [UnitEconomicsRowDto] }) rows: UnitEconomicsRowDto[];
  @ApiProperty({ type: ActiveCustomersNoteDto }) activeCustomers: ActiveCustomersNoteDto;
  @ApiProperty(SHARED_NEXT_CURSOR) nextCursor: string | null;
}

const OPEN_BUCKET = `>${LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]}`;
// anyOf with the null on a branch: OpenAPI 3.0 has no null type, and nullable needs a type beside it.
const PERCENTILE: ApiPropertyOptions = {
  anyOf: [{ type: 'number', nullable: true }, { type: 'string', enum: [OPEN_BUCKET] }],
  description: `Upper edge (ms) of the histogram bucket holding it; "${OPEN_BUCKET}" in the open-ended last bucket; null without latencies`,
};

export class LatencyRowDto {
  @ApiProperty({ example: 'support-chat' }) workload: string;
  @ApiProperty({ example: 'gpt-4o' }) model: string;
  @ApiProperty({ type: 'integer', example: 29200 }) requests: number;
  @ApiProperty({ example: 0.0021, description: 'errors / requests (0-1, 6 places)' }) errorRate: number;
  @ApiProperty({ type: 'number', nullable: true, example: 1840, description: 'Mean latency (ms); null without latencies' }) meanMs: number | null;
  @ApiProperty({ ...PERCENTILE, example: 1000 } as ApiPropertyOptions) p50Ms: number | string | null;
  @ApiProperty({ ...PERCENTILE, example: 5000 } as ApiPropertyOptions) p95Ms: number | string | null;
}

export class LatencyReportDto {
  @ApiProperty({ ...DATE_TIME, example: '2026-11-01T00:00:00.000Z' }) from: string;
  @ApiProperty({ ...DATE_TIME, example: '2026-12-01T00:00:00.000Z', description: 'Exclusive' }) to: string;
  @ApiProperty({ type: [Number], example: [...LATENCY_BUCKETS_MS], description: 'Upper edges (ms) of the histogram buckets; the last bucket is open-ended' }) bucketsMs: readonly number[];
  @ApiProperty({ example: 'p50/p95 are the upper edge of the histogram bucket that holds them' }) note: string;
  @ApiProperty({ type: [LatencyRowDto], description: 'Per workload x model' }) rows: LatencyRowDto[];
}

// The answers of /v1/reconciliation: the report (metered vs billed, every delta explained), the drift
// thresholds and the drift alerts.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiMoney } from '../common/api-contract.js';
import { CAUSES } from '../domain/reconciliation/reconcile.js';
import { DataFreshnessDto } from '../metering/admin-jobs.responses.js';
import { RECONCILIATION_GROUP_KEYS } from './reconciliation.service.js';

/** Why a provider-day raised a drift alert. */
export const DRIFT_REASONS = ['drift', 'coverage'] as const;

const DAY = { type: 'string', format: 'date' } as const;
const WHEN_GROUPED = (key: string) => `Present when groupBy includes ${key}`;

export class ExplanationDto {
  @ApiProperty({ enum: CAUSES, enumName: 'ReconciliationCause', example: 'service_tier' }) cause: string;
  @ApiMoney({ example: '-42.18', description: 'The part of deltaUsd this cause explains, signed like it' }) estimatedUsd: string;
  @ApiPropertyOptional({ example: 'batch tier billed at 50% of standard for 1.2M tokens' }) detail?: string;
}

export class ReconciliationTotalsDto {
  @ApiMoney({ example: '1735.95', description: 'As metered by Crossover' }) meteredCostUsd: string;
  @ApiMoney({ example: '1702.40', description: 'As the provider billed' }) billedCostUsd: string;
  @ApiMoney({ example: '-33.55', description: 'billed - metered' }) deltaUsd: string;
  @ApiProperty({ type: 'number', nullable: true, example: -1.97, description: 'Percent of billed (2 places); null when billed is 0' }) deltaPercent: number | null;
  @ApiProperty({ type: 'integer', example: 71_090_000 }) meteredTokens: number;
  @ApiProperty({ type: 'integer', example: 71_500_000 }) billedTokens: number;
  @ApiProperty({ type: 'number', nullable: true, example: 0.9943, description: 'meteredTokens / billedTokens (4 places); null when billedTokens is 0' }) coverage: number | null;
  @ApiProperty({ type: [ExplanationDto], description: 'One per cause with an estimate' }) explanations: ExplanationDto[];
  @ApiMoney({ example: '8.63', description: 'deltaUsd less every estimate: what no cause supports' }) unexplainedUsd: string;
}

export class ReconciliationRowDto extends ReconciliationTotalsDto {
  @ApiPropertyOptional({ example: 'openai', description: WHEN_GROUPED('provider') }) provider?: string;
  @ApiPropertyOptional({ example: 'gpt-4o', description: WHEN_GROUPED('model') }) model?: string;
  @ApiPropertyOptional({ example: '2026-11-30', description: `${WHEN_GROUPED('day')} (UTC, YYYY-MM-DD)` }) day?: string;
  @ApiPropertyOptional({ example: 'web', description: `${WHEN_GROUPED('project')}; empty when none` }) project?: string;
}

export class ReconciliationConnectorDto {
  @ApiProperty({ format: 'uuid', example: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' }) id: string;
  @ApiProperty({ example: 'OpenAI production org' }) name: string;
  @ApiProperty({ example: 'openai' }) provider: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-11-30T06:00:00.000Z', description: 'null until its first sync' }) lastSyncedAt: string | null;
  @ApiProperty({ ...DAY, nullable: true, example: '2026-11-29', description: "The provider's figures are final before this UTC day; null when it never said" }) finalBefore: string | null;
}

export class ReconciliationReportDto {
  @ApiProperty({ enum: ['USD'], enumName: 'Currency', example: 'USD' }) currency: string;
  @ApiProperty({ ...DAY, example: '2026-11-01', description: 'First UTC day' }) from: string;
  @ApiProperty({ ...DAY, example: '2026-12-01', description: 'UTC day after the last one (exclusive)' }) to: string;
  @ApiProperty({ enum: RECONCILIATION_GROUP_KEYS, enumName: 'ReconciliationGroupKey', isArray: true, example: ['provider', 'day'] }) groupBy: string[];
  @ApiProperty({ type: [ReconciliationRowDto], description: 'Ordered by day, provider, project, model; at most 92 days x the groups (bounded, not paginated)' }) rows: ReconciliationRowDto[];
  @ApiProperty({ type: ReconciliationTotalsDto }) totals: ReconciliationTotalsDto;
  @ApiProperty({ type: DataFreshnessDto }) dataFreshness: DataFreshnessDto;
  @ApiProperty({ type: [ReconciliationConnectorDto], description: 'The connectors that bring billed figures, and how recent they are' }) connectors: ReconciliationConnectorDto[];
  @ApiProperty({ example: 'to is exclusive; deltaUsd = billed - metered; each explanation estimates part of it from the data, unexplainedUsd is what no cause supports' }) note: string;
}

export class ReconciliationThresholdsDto {
  @ApiProperty({ example: 5, description: 'A provider-day drifts when |billed - metered| is above this percent of billed and above driftMinUsd' }) driftPercent: number;
  @ApiMoney({ example: '1' }) driftMinUsd: string;
  @ApiProperty({ example: 0.95, description: 'Alert when metered / billed tokens of a provider-day falls below this (0-1)' }) minCoverage: number;
}

export class ReconciliationSettingsViewDto extends ReconciliationThresholdsDto {
  @ApiProperty({ type: ReconciliationThresholdsDto, description: 'What a field left out of PUT goes back to' }) defaults: ReconciliationThresholdsDto;
}

export class DriftAlertDto {
  @ApiProperty({ format: 'uuid', example: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e' }) id: string;
  @ApiProperty({ example: 'openai' }) provider: string;
  @ApiProperty({ ...DAY, example: '2026-11-29' }) day: string;
  @ApiMoney({ example: '412.80' }) meteredCostUsd: string;
  @ApiMoney({ example: '468.10' }) billedCostUsd: string;
  @ApiMoney({ example: '55.30', description: 'billed - metered' }) deltaUsd: string;
  @ApiProperty({ type: 'number', nullable: true, example: 11.81, description: 'Percent of billed; null when billed is 0' }) deltaPercent: number | null;
  @ApiProperty({ type: 'number', nullable: true, example: 0.9312, description: 'Metered / billed tokens; null when billed tokens are 0' }) coverage: number | null;
  @ApiProperty({ enum: DRIFT_REASONS, enumName: 'DriftReason', isArray: true, example: ['drift'] }) reasons: string[];
  @ApiProperty({ type: 'string', format: 'date-time', example: '2026-11-30T06:00:12.000Z' }) createdAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-11-30T06:00:13.000Z', description: 'When its webhooks were recorded; null before' }) notifiedAt: string | null;
}

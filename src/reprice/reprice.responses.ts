// The answers of POST /v1/catalog/reprice (a dry run's per-model difference, or the run it started) and
// GET /v1/catalog/reprice/{id}.
import { ApiProperty } from '@nestjs/swagger';
import { ApiMoney } from '../common/api-contract.js';

/** A run's life (reprice_runs.status). */
export const REPRICE_RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;

const DATE_TIME = { type: 'string', format: 'date-time' } as const;
const MODEL = { type: 'string', nullable: true, example: 'gpt-4o', description: 'Only events of this model; null: every model' } as const;

export class RepriceModelDiffDto {
  @ApiProperty({ example: 'gpt-4o' }) modelId: string;
  @ApiProperty({ example: 48210, description: 'Events of the window' }) events: number;
  @ApiProperty({ example: 48210, description: 'Events whose cost would change' }) changedEvents: number;
  @ApiMoney({ example: '1735.95' }) currentCostUsd: string;
  @ApiMoney({ example: '1612.40' }) newCostUsd: string;
  @ApiMoney({ example: '-123.55', description: 'newCostUsd - currentCostUsd' }) differenceUsd: string;
  @ApiProperty({ example: 0, description: 'Events without a price that would get one' }) newlyPriced: number;
  @ApiProperty({ example: 0, description: 'Priced events that would lose their price' }) newlyUnpriced: number;
}

export class RepriceTotalsDto {
  @ApiMoney({ example: '1735.95' }) currentCostUsd: string;
  @ApiMoney({ example: '1612.40' }) newCostUsd: string;
  @ApiMoney({ example: '-123.55' }) differenceUsd: string;
}

/** What a re-pricing would change, computed without writing. */
export class RepriceDryRunDto {
  @ApiProperty({ enum: [true], example: true }) dryRun: boolean;
  @ApiProperty({ ...DATE_TIME, example: '2026-11-01T00:00:00.000Z' }) from: string;
  @ApiProperty({ ...DATE_TIME, example: '2026-12-01T00:00:00.000Z', description: 'Exclusive' }) to: string;
  @ApiProperty(MODEL) model: string | null;
  @ApiProperty({ type: [RepriceModelDiffDto], description: 'Per model, by model id' }) models: RepriceModelDiffDto[];
  @ApiProperty({ type: RepriceTotalsDto }) totals: RepriceTotalsDto;
}

/** A background re-pricing run and its progress. */
export class RepriceRunDto {
  @ApiProperty({ format: 'uuid', example: '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a' }) id: string;
  @ApiProperty({ enum: REPRICE_RUN_STATUSES, enumName: 'RepriceRunStatus', example: 'running' }) status: string;
  @ApiProperty({ ...DATE_TIME, example: '2026-11-01T00:00:00.000Z' }) from: string;
  @ApiProperty({ ...DATE_TIME, example: '2026-12-01T00:00:00.000Z', description: 'Exclusive' }) to: string;
  @ApiProperty(MODEL) model: string | null;
  @ApiProperty({ example: 48210, description: 'Events in the window when the run started' }) total: number;
  @ApiProperty({ example: 20000 }) processed: number;
  @ApiProperty({ example: 19874, description: 'Events whose cost changed' }) changed: number;
  @ApiProperty({ example: 0.4149, description: 'processed / total (0-1)' }) progress: number;
  @ApiProperty({ type: 'string', nullable: true, example: null, description: 'Why a failed run failed' }) error: string | null;
  @ApiProperty({ ...DATE_TIME, example: '2026-11-30T14:05:12.000Z' }) createdAt: string;
  @ApiProperty({ ...DATE_TIME, nullable: true, example: null, description: 'null until it ends' }) finishedAt: string | null;
}

// Response bodies of /v1/budgets and the budget decision, as the OpenAPI document describes them.
import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath, type ApiPropertyOptions } from '@nestjs/swagger';
import { ApiMoney, ApiMoneyOptional, ApiNullableRef } from '../common/api-contract.js';
import { BUDGET_WINDOWS, type BudgetWindow } from '../domain/budget/rules.js';
import { DataFreshnessDto } from '../metering/admin-jobs.responses.js';
import { DECISION_SOURCES } from './budget-decision.service.js';


export class BudgetScopeTagDto {
  @ApiProperty({ example: 'team' }) key: string;
  @ApiProperty({ example: 'growth' }) value: string;
}

/** What a budget counts: every null part matches everything (all null: the whole organisation). */
export class BudgetScopeViewDto {
  @ApiProperty({ type: 'string', nullable: true, example: 'support-chat' }) project: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'support-chat' }) workload: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'openai' }) provider: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'acme-corp', description: 'One end customer; never with tag' }) customer: string | null;
  @ApiNullableRef(BudgetScopeTagDto, { example: null, description: 'One tag of the events; never with customer' }) tag: BudgetScopeTagDto | null;
}

const WINDOW = { enum: BUDGET_WINDOWS, enumName: 'BudgetWindow', example: 'month', description: "month: the calendar month in the org's time zone; 24h, 7d, 30d: rolling, ending with the current hour" } as const;

export class BudgetDto {
  @ApiProperty({ format: 'uuid', example: '4a2f8c1e-6d3b-4e7a-9c5f-1b8d0e2a7c64' }) id: string;
  @ApiProperty({ example: 'OpenAI monthly' }) name: string;
  @ApiProperty({ type: BudgetScopeViewDto }) scope: BudgetScopeViewDto;
  @ApiProperty(WINDOW) window: BudgetWindow;
  @ApiProperty({ example: true, description: 'Hard: the decision endpoint denies once spent; soft: alerts only' }) hard: boolean;
  @ApiMoney({ example: '2000', description: 'USD per window, decimal string' }) limitUsd: string;
  @ApiProperty({ type: 'integer', isArray: true, example: [50, 80, 100], description: 'Percent of the limit, ascending; an alert once per threshold and period' }) thresholds: number[];
  @ApiMoney({ example: '1735.95', description: 'Spent in the current window, USD decimal string' }) spentUsd: string;
  @ApiMoney({ example: '264.05', description: 'Never negative: 0 once the limit is reached (usedPercent says by how much it went over)' }) remainingUsd: string;
  @ApiProperty({ type: 'number', example: 86.8, description: 'Percent of the limit spent, 2 decimals; above 100 when over' }) usedPercent: number;
  @ApiProperty({ format: 'date-time', example: '2026-11-01T00:00:00.000Z' }) windowStart: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T00:00:00.000Z', description: 'Exclusive' }) windowEnd: string;
  @ApiMoneyOptional({ example: '2000', deprecated: true, description: 'Deprecated alias of limitUsd, month windows only' }) monthlyLimitUsd?: string;
  @ApiMoneyOptional({ example: '1735.95', deprecated: true, description: 'Deprecated alias of spentUsd, month windows only' }) monthToDateUsd?: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-02T09:15:00.000Z' }) createdAt: string;
}

/** One budget, with whether its spend includes every hour of usage already sent. */
export class BudgetDetailDto extends BudgetDto {
  @ApiProperty({ type: DataFreshnessDto }) dataFreshness: DataFreshnessDto;
}

/**
 * GET /v1/budgets: a page of budgets (at most 100 per org, so the default limit gives them all) with its dataFreshness;
 * the page schema of ApiPageResponse plus that field.
 */
export const ApiBudgetPageResponse = () =>
  applyDecorators(
    ApiExtraModels(BudgetDto, DataFreshnessDto),
    ApiResponse({
      status: 200,
      description: 'A page of budgets, oldest first, with their spend in the current window',
      schema: {
        title: 'BudgetPage',
        type: 'object',
        required: ['data', 'nextCursor', 'dataFreshness'],
        properties: {
          data: { type: 'array', items: { $ref: getSchemaPath(BudgetDto) } },
          nextCursor: { $ref: '#/components/schemas/NextCursor' },
          dataFreshness: { $ref: getSchemaPath(DataFreshnessDto) },
        },
      },
    }),
  );

export class DecisionBudgetDto {
  @ApiProperty({ format: 'uuid', example: '4a2f8c1e-6d3b-4e7a-9c5f-1b8d0e2a7c64' }) id: string;
  @ApiProperty({ example: 'OpenAI monthly' }) name: string;
  @ApiProperty(WINDOW) window: BudgetWindow;
  @ApiMoney({ example: '2000' }) limitUsd: string;
  @ApiMoney({ example: '1735.95', description: 'Rolled-up spend plus usage ingested since (ingest-time counters), at most 6 decimals' }) spentUsd: string;
  @ApiMoney({ example: '264.05' }) remainingUsd: string;
  @ApiProperty({ example: true }) hard: boolean;
  @ApiProperty({ type: BudgetScopeViewDto }) scope: BudgetScopeViewDto;
  @ApiProperty({ format: 'date-time', example: '2026-11-01T00:00:00.000Z' }) windowStart: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T00:00:00.000Z' }) windowEnd: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-30T13:58:00.000Z', description: 'When the rollup part of spentUsd was read' }) rolledUpAt: string;
}

export class BudgetDecisionDto {
  @ApiProperty({ example: true, description: 'false when a hard budget the request falls under is spent' }) allow: boolean;
  @ApiProperty({ type: [DecisionBudgetDto], description: 'Every budget the request falls under' }) budgets: DecisionBudgetDto[];
  @ApiProperty({ format: 'date-time', example: '2026-11-30T14:02:11.000Z' }) asOf: string;
  @ApiProperty({ enum: DECISION_SOURCES, enumName: 'DecisionSource', example: 'redis', description: 'redis: every figure from Redis; database: a stale base was recomputed now' })
  source: (typeof DECISION_SOURCES)[number];
}

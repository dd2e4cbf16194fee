// The answers of GET /v1/anomalies and GET /v1/alerts. An anomaly here is the `spend.anomaly` webhook
// payload plus its id, baseline figures and createdAt (AnomalyView); /v1/alerts mixes budget alerts and
// anomalies, told apart by `type`.
import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath, type ApiPropertyOptions } from '@nestjs/swagger';
import { ApiMoney, ApiMoneyNullable, ApiNullableRef } from '../common/api-contract.js';
import { BUDGET_WINDOWS } from '../domain/budget/rules.js';
import { SCOPE_KINDS } from './anomalies.repository.js';

const DATE_TIME = { type: 'string', format: 'date-time' } as const;
// A nullable enum is inline with null among its values (OpenAPI 3.0.3): a named enum is a $ref, which null cannot match.
export const DIRECTIONS = ['above', 'below'] as const;
export { SCOPE_KINDS };


export class AnomalyScopeDto {
  @ApiProperty({ enum: SCOPE_KINDS, enumName: 'AnomalyScopeKind', example: 'workload' }) kind: string;
  @ApiProperty({ example: 'support-chat', description: 'The workload slug, customer id or provider' }) value: string;
}

export class ModelContributorDto {
  @ApiProperty({ example: 'gpt-4o' }) model: string;
  @ApiMoney({ example: '412.80', description: "The contributor's spend on the day" }) costUsd: string;
  @ApiMoneyNullable({ example: '120.35', description: 'Its own baseline for the day; null without 14 days of its history' }) expectedUsd: string | null;
}

export class CustomerContributorDto {
  @ApiProperty({ example: 'acme-corp' }) customer: string;
  @ApiMoney({ example: '318.20' }) costUsd: string;
  @ApiMoneyNullable({ example: '95.10', description: 'null without 14 days of its history' }) expectedUsd: string | null;
}

export class WorkloadContributorDto {
  @ApiProperty({ example: 'code-assistant' }) workload: string;
  @ApiMoney({ example: '288.00' }) costUsd: string;
  @ApiMoneyNullable({ example: '80.00', description: 'null without 14 days of its history' }) expectedUsd: string | null;
}

export class TopContributorsDto {
  @ApiProperty({ type: [ModelContributorDto], description: 'At most 5, the largest moves first' }) models: ModelContributorDto[];
  @ApiProperty({ type: [CustomerContributorDto], description: 'At most 5' }) customers: CustomerContributorDto[];
  @ApiProperty({ type: [WorkloadContributorDto], description: 'At most 5' }) workloads: WorkloadContributorDto[];
}

export class BaselineRangeDto {
  @ApiMoney({ example: '95.00' }) lowerUsd: string;
  @ApiMoney({ example: '160.00' }) upperUsd: string;
}

export class ForecastBandDto extends BaselineRangeDto {
  @ApiMoney({ example: '128.40' }) expectedUsd: string;
  @ApiProperty({ example: 'damped-log-linear-trend x day-of-week', description: 'The forecast model that gave the band' }) method: string;
}

export class AnomalyBaselineDto {
  @ApiProperty({ example: 'median/MAD of the deseasonalised last 8 weeks x weekday factor, k 4, floor 10% of expected; widened to the forecast p10/p90 band' }) method: string;
  @ApiProperty({ example: 56, description: 'Days of history behind it (at most 8 weeks)' }) historyDays: number;
  @ApiMoney({ example: '121.30', description: 'Deseasonalised median spend, USD/day' }) levelUsd: string;
  @ApiMoney({ example: '8.40', description: 'Its median absolute deviation, USD/day' }) madUsd: string;
  @ApiProperty({ example: 1.0814, description: "The checked day's weekday factor (the week's average 1)" }) weekdayFactor: number;
  @ApiProperty({ type: BaselineRangeDto }) robust: BaselineRangeDto;
  @ApiProperty({ type: ForecastBandDto }) forecast: ForecastBandDto;
}

export class AnomalyDto {
  @ApiProperty({ format: 'uuid', example: 'b2f7c1e4-6a0d-4f4b-9a7e-1c3d5e7f9a21' }) id: string;
  @ApiProperty({ format: 'uuid', example: 'b2f7c1e4-6a0d-4f4b-9a7e-1c3d5e7f9a21', description: 'Same as id (the webhook payload names it so)' }) anomalyId: string;
  @ApiProperty({ format: 'date', example: '2026-11-30', description: 'The checked UTC day' }) day: string;
  @ApiProperty({ type: AnomalyScopeDto }) scope: AnomalyScopeDto;
  @ApiProperty({ enum: DIRECTIONS, enumName: 'AnomalyDirection', example: 'above' }) direction: string;
  @ApiProperty({ example: false, description: 'The day was still in progress when checked' }) partialDay: boolean;
  @ApiMoney({ example: '412.80', description: 'Spend of the day' }) observedUsd: string;
  @ApiMoney({ example: '128.40' }) expectedUsd: string;
  @ApiMoney({ example: '95.00' }) lowerUsd: string;
  @ApiMoney({ example: '160.00' }) upperUsd: string;
  @ApiMoney({ example: '50.00', description: 'Smallest move (USD) that counts as an anomaly' }) minimumUsd: string;
  @ApiProperty({ type: TopContributorsDto }) topContributors: TopContributorsDto;
  @ApiProperty({ example: 'https://crossover.example.com/app/#/workloads/support-chat', description: 'Where to look in the dashboard' }) dashboardUrl: string;
  @ApiNullableRef(AnomalyBaselineDto, { description: 'How the expected range was found; null for anomalies recorded before it was kept' }) baseline: AnomalyBaselineDto | null;
  @ApiProperty({ ...DATE_TIME, example: '2026-11-30T14:05:12.000Z' }) createdAt: string;
}

/** An anomaly in the merged alerts list. */
export class AnomalyAlertDto extends AnomalyDto {
  @ApiProperty({ enum: ['anomaly'], example: 'anomaly' }) type: string;
}

/** A budget alert in the merged alerts list: a threshold of a budget crossed in a period. */
export class BudgetAlertDto {
  @ApiProperty({ enum: ['budget'], example: 'budget' }) type: string;
  @ApiProperty({ format: 'uuid', example: '6c1d2f0a-3b4e-4c5d-8e9f-0a1b2c3d4e5f' }) id: string;
  @ApiProperty({ format: 'uuid', example: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a' }) budgetId: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'OpenAI monthly', description: 'null once the budget is deleted' }) budgetName: string | null;
  @ApiProperty({ example: '2026-11', description: 'The budget period: YYYY-MM for month windows, the window start for rolling ones' }) period: string;
  @ApiProperty({ type: 'string', enum: [...BUDGET_WINDOWS, null], nullable: true, example: 'month', description: 'null once a rolling budget is deleted' }) window: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '2026-11', deprecated: true, description: 'The period of month windows, null for rolling ones' }) month: string | null;
  @ApiProperty({ type: 'boolean', nullable: true, example: false, description: 'null once the budget is deleted' }) hard: boolean | null;
  @ApiProperty({ example: 80, description: 'Percent of the limit crossed' }) threshold: number;
  @ApiMoney({ example: '4012.50', description: 'Spend when the alert was raised' }) spendUsd: string;
  @ApiMoney({ example: '5000' }) limitUsd: string;
  @ApiProperty({ ...DATE_TIME, example: '2026-11-24T09:00:00.000Z' }) createdAt: string;
}

/** The alerts page: `data` holds budget alerts and anomalies, told apart by `type`. */
export function ApiAlertPageResponse() {
  return applyDecorators(
    ApiExtraModels(BudgetAlertDto, AnomalyAlertDto, AnomalyBaselineDto),
    ApiResponse({
      status: 200,
      description: 'A page of alerts, newest first; follow nextCursor for the next',
      schema: {
        title: 'AlertPage',
        type: 'object',
        required: ['data', 'nextCursor'],
        properties: {
          data: {
            type: 'array',
            // `type` tells them apart (budget | anomaly); each item matches exactly one.
            items: { oneOf: [{ $ref: getSchemaPath(BudgetAlertDto) }, { $ref: getSchemaPath(AnomalyAlertDto) }] },
          },
          nextCursor: { $ref: '#/components/schemas/NextCursor' },
        },
      },
    }),
  );
}

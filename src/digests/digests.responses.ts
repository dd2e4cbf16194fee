// The answers of /v1/digests: the schedule, the list, and one digest as JSON (its view, src/domain/digest/model.ts,
// plus the plan it was built from) or as the Slack message its webhooks send.
import type { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, getSchemaPath, type ApiPropertyOptions } from '@nestjs/swagger';
import { ApiMoney, ApiNullableRef } from '../common/api-contract.js';
import { BUDGET_WINDOWS } from '../domain/budget/rules.js';
import { DataFreshnessDto } from '../metering/admin-jobs.responses.js';
import { OrganisationPlanDto, RECOMMENDATIONS } from '../workloads/workloads.responses.js';
import { DIRECTIONS, SCOPE_KINDS } from '../anomalies/anomalies.responses.js';

// The digest model names these sets as type unions only (src/domain/digest/model.ts); listed once here.
const ACTION_KINDS = ['evaluate', 'pilot_self_host', 'self_host', 'managed_open', 'cheaper_closed', 'budget'];
const DATE_TIME = { type: 'string', format: 'date-time' } as const;
const DASHBOARD = 'https://crossover.example.com/app/';
const VERDICT = { type: 'string', enum: RECOMMENDATIONS, enumName: 'Recommendation' } as const;
// A nullable enum is inline with null among its values (OpenAPI 3.0.3): a named enum is a $ref, which null cannot match.
const NULLABLE_VERDICT = { type: 'string', enum: [...RECOMMENDATIONS, null], nullable: true } as const;


export class DigestScheduleViewDto {
  @ApiProperty({ example: '0 8 * * 1', description: 'Cron (minute hour day month weekday) in `timezone`' }) cron: string;
  @ApiProperty({ example: 'Europe/Paris', description: 'IANA time zone' }) timezone: string;
  @ApiProperty({ example: true }) enabled: boolean;
}

export class DigestSummaryDto {
  @ApiProperty({ format: 'uuid', example: '7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918' }) id: string;
  @ApiProperty({ example: '2026-11-30T07:00:00.000Z', description: 'The schedule slot, or manual-<instant> for a digest built on request' }) period: string;
  @ApiProperty({ example: 'Week of 30 November 2026' }) title: string;
  @ApiProperty({ ...DATE_TIME, example: '2026-11-30T07:00:04.000Z' }) createdAt: string;
}

export class DigestSpendDto {
  @ApiMoney({ example: '1735.95', description: 'The 7 days before the digest' }) thisPeriodUsd: string;
  @ApiMoney({ example: '1544.10', description: 'The 7 days before those' }) lastPeriodUsd: string;
  @ApiProperty({ type: 'number', nullable: true, example: 12.4, description: 'Percent; null when the last period was $0' }) changePercent: number | null;
}

export class DigestForecastMonthDto {
  @ApiProperty({ example: '2026-12' }) month: string;
  @ApiMoney({ example: '7421.80' }) expectedUsd: string;
  @ApiMoney({ example: '6980.00' }) p10Usd: string;
  @ApiMoney({ example: '7910.25' }) p90Usd: string;
}

export class VerdictCountsDto {
  @ApiPropertyOptional({ example: 2 }) stay_closed?: number;
  @ApiPropertyOptional({ example: 1 }) cheaper_closed?: number;
  @ApiPropertyOptional({ example: 1 }) managed_open?: number;
  @ApiPropertyOptional({ example: 1 }) pilot_self_host?: number;
  @ApiPropertyOptional({ example: 0 }) self_host?: number;
}

export class LargestWorkloadDto {
  @ApiProperty({ example: 'support-chat' }) workload: string;
  @ApiProperty({ example: `${DASHBOARD}#/workloads/support-chat` }) url: string;
  @ApiMoney({ example: '4120.00', description: 'USD/month' }) monthlySpendUsd: string;
  @ApiProperty({ ...VERDICT, example: 'managed_open' }) verdict: string;
  @ApiMoney({ example: '2380.50', description: 'USD/month' }) atStakeUsd: string;
}

export class DigestStandingDto {
  @ApiProperty({ example: 5 }) workloads: number;
  @ApiProperty({ type: VerdictCountsDto, description: 'Workloads per verdict (verdicts with none are left out)' }) verdicts: VerdictCountsDto;
  @ApiProperty({ example: 1, description: 'Workloads whose next step is an evaluation' }) waitingOnEvaluation: number;
  @ApiMoney({ example: '3810.40', description: 'USD/month at stake across every workload action' }) potentialMonthlySavingsUsd: string;
  @ApiMoney({ example: '1200.00', description: 'Of which ready now' }) readyMonthlySavingsUsd: string;
  @ApiProperty({ type: [LargestWorkloadDto] }) largest: LargestWorkloadDto[];
}

export class DigestActionDto {
  @ApiProperty({ enum: ACTION_KINDS, enumName: 'DigestActionKind', example: 'managed_open' }) kind: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'support-chat', description: 'null for a budget' }) workload: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: null, description: 'The budget an action of kind budget is about' }) budget: string | null;
  @ApiProperty({ example: 'Move support-chat to llama-3.3-70b-instruct on deepinfra' }) nextStep: string;
  @ApiMoney({ example: '2380.50', description: 'Monthly savings (per_month) or spend beyond a limit (over_limit)' }) atStakeUsd: string;
  @ApiProperty({ enum: ['per_month', 'over_limit'], enumName: 'AtStakeUnit', example: 'per_month' }) atStakeUnit: string;
  @ApiProperty({ example: 'platform lead', description: "The workload's owner team, else the role that acts" }) owner: string;
  @ApiProperty({ example: false }) ownerIsTeam: boolean;
  @ApiProperty({ example: `${DASHBOARD}#/workloads/support-chat` }) url: string;
}

export class VerdictChangeDto {
  @ApiProperty({ ...NULLABLE_VERDICT, example: 'stay_closed', description: 'null: a new workload' }) from: string | null;
  @ApiProperty({ ...NULLABLE_VERDICT, example: 'managed_open', description: 'null: no longer planned' }) to: string | null;
}

export class DigestMoveDto {
  @ApiProperty({ enum: ['spend', 'savings', 'break_even'], enumName: 'DigestMetric', example: 'spend' }) metric: string;
  @ApiProperty({ type: 'string', nullable: true, example: '3600.00', description: 'USD/month (spend, savings) or months (break_even); null when there was none' }) from: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '4120.00' }) to: string | null;
  @ApiProperty({ type: 'number', nullable: true, example: 14.4, description: 'Percent vs from (1 place); null when from was zero or absent' }) changePercent: number | null;
}

export class DigestChangeDto {
  @ApiProperty({ example: 'support-chat' }) workload: string;
  @ApiProperty({ example: `${DASHBOARD}#/workloads/support-chat` }) url: string;
  @ApiNullableRef(VerdictChangeDto, { description: 'null when the verdict did not change' }) verdict: VerdictChangeDto | null;
  @ApiProperty({ type: [DigestMoveDto] }) moves: DigestMoveDto[];
}

export class DigestChangesDto {
  @ApiProperty({ example: false, description: 'No previous digest: standing is the content and items is empty' }) first: boolean;
  @ApiProperty({ example: 2 }) count: number;
  @ApiProperty({ type: [DigestChangeDto], description: 'At most 8' }) items: DigestChangeDto[];
  @ApiProperty({ example: 0, description: 'Changes beyond the items' }) more: number;
}

export class DigestAnomalyDto {
  @ApiProperty({ format: 'date', example: '2026-11-28' }) day: string;
  @ApiProperty({ enum: SCOPE_KINDS, enumName: 'AnomalyScopeKind', example: 'workload' }) scopeKind: string;
  @ApiProperty({ example: 'support-chat' }) scopeValue: string;
  @ApiProperty({ enum: DIRECTIONS, enumName: 'AnomalyDirection', example: 'above' }) direction: string;
  @ApiMoney({ example: '412.80' }) observedUsd: string;
  @ApiMoney({ example: '128.40' }) expectedUsd: string;
  @ApiMoney({ example: '95.00' }) lowerUsd: string;
  @ApiMoney({ example: '160.00' }) upperUsd: string;
  @ApiProperty({ example: false }) partialDay: boolean;
  @ApiProperty({ example: `${DASHBOARD}#/workloads/support-chat` }) url: string;
}

export class DigestAnomaliesDto {
  @ApiProperty({ example: 1 }) count: number;
  @ApiProperty({ type: [DigestAnomalyDto], description: 'At most 3' }) items: DigestAnomalyDto[];
  @ApiProperty({ example: 0 }) more: number;
}

export class DigestBudgetDto {
  @ApiProperty({ example: 'OpenAI monthly' }) name: string;
  @ApiProperty({ enum: BUDGET_WINDOWS, enumName: 'BudgetWindow', example: 'month' }) window: string;
  @ApiMoney({ example: '4310.20' }) spentUsd: string;
  @ApiMoney({ example: '5000' }) limitUsd: string;
  @ApiProperty({ example: 86.2 }) usedPercent: number;
  @ApiProperty({ example: false }) hard: boolean;
  @ApiProperty({ enum: ['near', 'over'], enumName: 'DigestBudgetStatus', example: 'near' }) status: string;
}

export class DigestBudgetsDto {
  @ApiProperty({ example: 1, description: 'Budgets near (80%+) or over their limit' }) count: number;
  @ApiProperty({ type: [DigestBudgetDto], description: 'At most 3' }) items: DigestBudgetDto[];
  @ApiProperty({ example: 0 }) more: number;
}

export class DigestLinksDto {
  @ApiProperty({ example: `${DASHBOARD}#/` }) overview: string;
  @ApiProperty({ example: `${DASHBOARD}#/roadmap` }) roadmap: string;
}

/** One digest as stored: what a finance lead and a platform lead read in a minute, and the plan behind it. */
export class DigestDto {
  @ApiProperty({ format: 'uuid', example: '7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918' }) id: string;
  @ApiProperty({ example: '2026-11-30T07:00:00.000Z', description: 'The schedule slot, or manual-<instant>' }) period: string;
  @ApiProperty({ ...DATE_TIME, example: '2026-11-30T07:00:04.000Z' }) createdAt: string;
  @ApiProperty({ example: 'Week of 30 November 2026' }) title: string;
  @ApiProperty({ ...DATE_TIME, example: '2026-11-30T07:00:02.000Z' }) generatedAt: string;
  @ApiProperty({ type: DataFreshnessDto }) dataFreshness: DataFreshnessDto;
  @ApiProperty({ type: DigestSpendDto }) spend: DigestSpendDto;
  @ApiProperty({ type: [DigestForecastMonthDto] }) forecast: DigestForecastMonthDto[];
  @ApiProperty({ type: DigestStandingDto }) standing: DigestStandingDto;
  @ApiProperty({ type: [DigestActionDto], description: 'At most 3, the most at stake first' }) topActions: DigestActionDto[];
  @ApiProperty({ example: 2, description: 'Actions beyond the top ones (on the roadmap)' }) moreActions: number;
  @ApiProperty({ type: DigestChangesDto, description: 'Since the previous digest' }) changes: DigestChangesDto;
  @ApiProperty({ type: DigestAnomaliesDto }) anomalies: DigestAnomaliesDto;
  @ApiProperty({ type: DigestBudgetsDto }) budgets: DigestBudgetsDto;
  @ApiProperty({ type: DigestLinksDto }) links: DigestLinksDto;
  @ApiProperty({ type: OrganisationPlanDto, description: 'The plan the digest was built from (the next digest diffs against it)' }) plan: OrganisationPlanDto;
}

export class SlackTextDto {
  @ApiProperty({ enum: ['mrkdwn', 'plain_text'], enumName: 'SlackTextType', example: 'mrkdwn' }) type: string;
  @ApiProperty({ example: '*Spend:* $1,735.95 this week, up 12.4% on last week' }) text: string;
}

/** A Slack Block Kit block: header and section have `text`, context has `elements`, divider neither. */
export class SlackBlockDto {
  @ApiProperty({ enum: ['header', 'section', 'context', 'divider'], enumName: 'SlackBlockType', example: 'section' }) type: string;
  @ApiPropertyOptional({ type: SlackTextDto, description: 'header (plain_text) and section' }) text?: SlackTextDto;
  @ApiPropertyOptional({ type: [SlackTextDto], description: 'context' }) elements?: SlackTextDto[];
}

/** The incoming-webhook message: what Slack shows for a digest. */
export class SlackMessageDto {
  @ApiProperty({ example: 'Week of 30 November 2026', description: 'Fallback text (notifications)' }) text: string;
  @ApiProperty({ type: [SlackBlockDto], description: 'At most 50' }) blocks: SlackBlockDto[];
}

import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { ApiMoney, ApiMoneyNullable, ApiNullableRef } from '../common/api-contract.js';
import { EconomicsEstimateDto } from '../economics/economics.responses.js';
import type { Confidence, EvidenceStatus, GateName, GateStatus, OptionKind, PhaseId, QualityTier, Recommendation, TeamMaturity } from '../domain/planner/types.js';
import { QUALITY_REQUIREMENTS, SENSITIVITIES, TASK_CATEGORIES } from './workloads.dto.js';

/*
 * OpenAPI description of the workloads, evaluations, planner settings and the migration plan. The plan is the planner's
 * OrganisationPlanWithFleets (src/domain/planner) through toJson: USD amounts are decimal strings, token counts and
 * fractions numbers.
 */

/**
 * The planner's closed sets. The domain declares them as union types only, so they are listed here and checked against
 * those types both ways (a value missing here, or one the domain does not have, fails the type check).
 */
const closedSet =
  <T extends string>() =>
  <const A extends readonly T[]>(values: A & ([T] extends [A[number]] ? unknown : never)) =>
    values;
export const RECOMMENDATIONS = closedSet<Recommendation>()(['stay_closed', 'cheaper_closed', 'managed_open', 'pilot_self_host', 'self_host']);
export const OPTION_KINDS = closedSet<OptionKind>()(['cheaper_closed', 'managed_open', 'self_host']);
export const QUALITY_TIERS = closedSet<QualityTier>()(['encoder', 'small', 'mid', 'large', 'frontier']);
export const CONFIDENCES = closedSet<Confidence>()(['low', 'medium', 'high']);
export const GATE_NAMES = closedSet<GateName>()(['selection', 'task-fit', 'value', 'quality-evidence', 'volume', 'latency', 'team-maturity', 'data-control', 'customisation']);
export const GATE_STATUSES = closedSet<GateStatus>()(['pass', 'fail', 'n/a']);
export const EVIDENCE_STATUSES = closedSet<EvidenceStatus>()(['passed', 'failed', 'inconclusive', 'none']);
export const PHASE_IDS = closedSet<PhaseId>()(['phase-1', 'phase-2', 'stay-closed']);
export const TEAM_MATURITIES = closedSet<TeamMaturity>()(['none', 'some', 'strong']);
export const LATENCY_TOLERANCES = ['interactive', 'batch'] as const;
// Nullable enums are anyOf the named enum or null: `nullable` beside a bare $ref is ignored by validators.

const TS = '2026-11-30T00:00:00.000Z';

// ---------------------------------------------------------------- workloads and evaluations

export class WorkloadAnnotationsDto {
  @ApiPropertyOptional({ enum: TASK_CATEGORIES, enumName: 'TaskCategory', example: 'code' }) taskCategory?: string;
  @ApiPropertyOptional({ enum: QUALITY_REQUIREMENTS, enumName: 'QualityRequirement', example: 'high' }) qualityRequirement?: string;
  @ApiPropertyOptional({ example: 4000, description: 'p95 latency target (ms)' }) latencyTargetP95Ms?: number;
  @ApiPropertyOptional({ enum: LATENCY_TOLERANCES, enumName: 'LatencyTolerance', example: 'interactive' }) latencyTolerance?: string;
  @ApiPropertyOptional({ enum: SENSITIVITIES, enumName: 'DataSensitivity', example: 'confidential' }) dataSensitivity?: string;
  @ApiPropertyOptional({ example: 'eu', description: "'any', 'eu', 'us' or a narrower region code" }) dataResidency?: string;
  @ApiPropertyOptional({ type: [String], example: ['eu'], description: 'Older form of dataResidency' }) residency?: string[];
  @ApiPropertyOptional({ example: false }) needsCustomisation?: boolean;
  @ApiPropertyOptional({ example: 'developer-productivity' }) ownerTeam?: string;
}

export class WorkloadDto {
  @ApiProperty({ example: 'code-assistant' }) slug!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Code assistant' }) name!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'IDE completions and chat for the engineering team' }) description!: string | null;
  @ApiProperty({ type: WorkloadAnnotationsDto, description: 'What people said about the workload (PATCH /v1/workloads/{slug}); {} until annotated' }) annotations!: WorkloadAnnotationsDto;
  @ApiProperty({ format: 'date-time', example: TS, description: 'When its first event registered it' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: TS }) updatedAt!: string;
}

const SCORES = { type: 'object', additionalProperties: { type: 'number', minimum: 0, maximum: 1 } } as const;

export class EvaluationMetricsDto {
  @ApiProperty({ ...SCORES, example: { accuracy: 0.95, faithfulness: 0.91 }, description: 'Metric → score 0..1 of the candidate' }) candidate!: Record<string, number>;
  @ApiProperty({ ...SCORES, example: { accuracy: 0.96, faithfulness: 0.93 }, description: 'Metric → score 0..1 of the baseline' }) baseline!: Record<string, number>;
}

export class EvaluationDto {
  @ApiProperty({ format: 'uuid', example: '2c9e4b1a-7f3d-4e8a-b6c5-1d0f9e8a7b6c' }) id!: string;
  @ApiProperty({ example: 'llama-3.3-70b-instruct' }) candidateModel!: string;
  @ApiProperty({ example: 'gpt-4o' }) baselineModel!: string;
  @ApiProperty({ example: 500 }) sampleSize!: number;
  @ApiProperty({ type: EvaluationMetricsDto }) metrics!: EvaluationMetricsDto;
  @ApiProperty({ format: 'date-time', example: TS }) createdAt!: string;
}

/** The answer to POST /v1/workloads/{slug}/evaluations: the evaluation with the workload it belongs to. */
export class CreatedEvaluationDto extends EvaluationDto {
  @ApiProperty({ example: 'code-assistant' }) workload!: string;
}

// ---------------------------------------------------------------- planner settings

export class PlannerSettingsValuesDto {
  @ApiProperty({ enum: TEAM_MATURITIES, enumName: 'TeamMaturity', example: 'some', description: 'From the economics assumptions (PATCH /v1/settings/assumptions)' }) teamMaturity!: string;
  @ApiMoney({ example: '1000', description: 'Minimum USD/month a self_host migration must save' }) selfHostSavingsFloorUsd!: string;
  @ApiMoney({ example: '250', description: 'Minimum USD/month a managed_open or cheaper_closed migration must save' }) managedSavingsFloorUsd!: string;
  @ApiProperty({ example: 12, description: 'Longest acceptable payback of the one-off cost (months)' }) maxBreakEvenMonths!: number;
  @ApiProperty({ type: [String], example: ['accuracy'] }) requiredMetrics!: string[];
  @ApiProperty({ example: 0.02, description: 'How far (0..1 points) a candidate may trail the baseline' }) evaluationTolerance!: number;
  @ApiProperty({ example: 200 }) minEvaluationSampleSize!: number;
  @ApiProperty({ example: 0.5, description: 'Largest coefficient of variation of daily volume considered stable' }) stabilityMaxCv!: number;
  @ApiProperty({ type: [String], example: ['OpenAI'], description: 'Processors approved for regulated data' }) approvedProcessors!: string[];
  @ApiProperty({ example: 0.5, description: 'Probability 0..1 that a pending evaluation passes' }) evaluationPassProbability!: number;
}

/** Your overrides only, as saved (money as decimal strings). */
export class PlannerSettingsOverridesDto {
  @ApiPropertyOptional({ type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', example: '2000', description: 'USD, decimal string' }) selfHostSavingsFloorUsd?: string;
  @ApiPropertyOptional({ type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', example: '500', description: 'USD, decimal string' }) managedSavingsFloorUsd?: string;
  @ApiPropertyOptional({ example: 9 }) maxBreakEvenMonths?: number;
  @ApiPropertyOptional({ type: [String], example: ['accuracy', 'faithfulness'] }) requiredMetrics?: string[];
  @ApiPropertyOptional({ example: 0.03 }) evaluationTolerance?: number;
  @ApiPropertyOptional({ example: 300 }) minEvaluationSampleSize?: number;
  @ApiPropertyOptional({ example: 0.4 }) stabilityMaxCv?: number;
  @ApiPropertyOptional({ type: [String], example: ['OpenAI'] }) approvedProcessors?: string[];
  @ApiPropertyOptional({ example: 0.6 }) evaluationPassProbability?: number;
}

export class PlannerSettingsDto {
  @ApiProperty({ type: PlannerSettingsOverridesDto }) overrides!: PlannerSettingsOverridesDto;
  @ApiProperty({ type: PlannerSettingsValuesDto, description: 'In force: the defaults merged with your overrides' }) values!: PlannerSettingsValuesDto;
  @ApiProperty({ type: PlannerSettingsValuesDto }) defaults!: PlannerSettingsValuesDto;
}

/** PATCH /v1/settings/planner: every field optional; null removes an override. */
export class PatchPlannerSettingsDto {
  @ApiPropertyOptional({ type: 'string', nullable: true, example: '2000', description: 'USD (decimal string or number)' }) selfHostSavingsFloorUsd?: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true, example: '500', description: 'USD (decimal string or number)' }) managedSavingsFloorUsd?: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, example: 9 }) maxBreakEvenMonths?: number | null;
  @ApiPropertyOptional({ type: [String], nullable: true, maxItems: 20, example: ['accuracy', 'faithfulness'] }) requiredMetrics?: string[] | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, example: 0.03 }) evaluationTolerance?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, example: 300 }) minEvaluationSampleSize?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, example: 0.4 }) stabilityMaxCv?: number | null;
  @ApiPropertyOptional({ type: [String], nullable: true, maxItems: 50, example: ['OpenAI'] }) approvedProcessors?: string[] | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 1, example: 0.6 }) evaluationPassProbability?: number | null;
}

// ---------------------------------------------------------------- the plan: one workload

export class PlanDeploymentDto {
  @ApiProperty({ example: 'H100-80GB-SXM' }) gpu!: string;
  @ApiProperty({ type: 'integer', example: 4, description: 'GPUs in the whole fleet at peak (replicas x gpusPerReplica)' }) gpuCount!: number;
  @ApiProperty({ example: 'fp8' }) precision!: string;
  @ApiProperty({ example: 2 }) replicas!: number;
  @ApiPropertyOptional({ example: 2, description: 'GPUs one replica spans' }) gpusPerReplica?: number;
  @ApiPropertyOptional({ example: 2 }) tensorParallel?: number;
}

export class PlanCandidateDto {
  @ApiProperty({ example: 'llama-3.3-70b-instruct' }) modelId!: string;
  @ApiProperty({ enum: OPTION_KINDS, enumName: 'OptionKind', example: 'self_host' }) kind!: string;
  @ApiPropertyOptional({ example: 'Groq', description: 'API options: who serves it' }) provider?: string;
  @ApiProperty({ enum: QUALITY_TIERS, enumName: 'QualityTier', example: 'large' }) qualityTier!: string;
  @ApiPropertyOptional({ type: PlanDeploymentDto, description: 'self_host: the deployment' }) deployment?: PlanDeploymentDto;
}

export class PendingEvaluationDto extends PlanCandidateDto {
  @ApiMoney({ example: '8420.5', description: 'USD/month at stake if the evaluation passes' }) monthlySavingsUsd!: string;
  @ApiMoney({ example: '24000' }) oneOffMigrationCostUsd!: string;
  @ApiProperty({ example: 'Evaluate self_host llama-3.3-70b-instruct vs gpt-4o on code-assistant' }) action!: string;
}

export class PlanGateDto {
  @ApiProperty({ enum: GATE_NAMES, enumName: 'PlanGate', example: 'value' }) gate!: string;
  @ApiProperty({ enum: GATE_STATUSES, enumName: 'GateStatus', example: 'pass' }) status!: string;
  @ApiProperty({ example: 'saves $8,420.50/month ≥ floor $1,000; break-even 2.85 months ≤ 12' }) detail!: string;
}

export class PlanOptionSummaryDto {
  @ApiProperty({ example: 'llama-3.3-70b-instruct' }) modelId!: string;
  @ApiProperty({ enum: OPTION_KINDS, enumName: 'OptionKind', example: 'managed_open' }) kind!: string;
  @ApiPropertyOptional({ example: 'Groq' }) provider?: string;
  @ApiProperty({ enum: QUALITY_TIERS, enumName: 'QualityTier', example: 'large' }) qualityTier!: string;
  @ApiMoney({ example: '3120.4', description: 'USD/month' }) monthlyCostUsd!: string;
  @ApiMoney({ example: '9650.1', description: 'USD/month against today (negative: dearer)' }) monthlySavingsUsd!: string;
  @ApiProperty({ enum: EVIDENCE_STATUSES, enumName: 'EvidenceStatus', example: 'none' }) evidence!: string;
  @ApiProperty({ anyOf: [{ $ref: getSchemaPath('Recommendation') }, { type: 'object', nullable: true, enum: [null] }], example: 'managed_open', description: 'The furthest this option could go; null when a gate excludes it' }) ceiling!: string | null;
  @ApiProperty({ enum: GATE_NAMES, enumName: 'PlanGate', isArray: true, example: [], description: 'Gates that exclude it' }) excludedBy!: string[];
}

export class WorkloadFleetDto {
  @ApiProperty({ example: 'llama-3.3-70b-instruct|H100-80GB-SXM|fp8|tp2' }) fleetId!: string;
  @ApiProperty({ example: 0.5, description: "Share 0..1 of the fleet's replica-demand" }) loadShare!: number;
  @ApiMoney({ example: '6120.75', description: "The workload's share of the fleet, USD/month" }) monthlyCostUsd!: string;
  @ApiMoneyNullable({ example: '9480.2', description: 'The same option stand-alone, USD/month' }) standaloneMonthlyCostUsd!: string | null;
  @ApiProperty({ example: 'shares fleet llama-3.3-70b-instruct|H100-80GB-SXM|fp8|tp2 (2 replicas × 2× H100-80GB-SXM, 2 workloads)' }) text!: string;
}

/** One workload's recommendation: verdict, savings, break-even, gates, risks and next steps. */
export class WorkloadPlanDto {
  @ApiProperty({ example: 'code-assistant' }) workload!: string;
  @ApiProperty({ type: String, nullable: true, example: 'developer-productivity' }) ownerTeam!: string | null;
  @ApiProperty({ enum: RECOMMENDATIONS, enumName: 'Recommendation', example: 'self_host', description: 'The verdict' }) recommendation!: string;
  @ApiNullableRef(PlanCandidateDto, { description: 'What to move to; null when staying closed' }) candidate!: PlanCandidateDto | null;
  @ApiNullableRef(PendingEvaluationDto, { description: 'Staying closed until this evaluation passes' }) pendingEvaluation!: PendingEvaluationDto | null;
  @ApiProperty({ type: String, nullable: true, example: 'Run an offline evaluation of llama-3.3-70b-instruct against gpt-4o on 200+ samples' }) nextStep!: string | null;
  @ApiMoney({ example: '18760.4', description: 'USD/month today' }) currentMonthlyCostUsd!: string;
  @ApiMoney({ example: '6120.75', description: 'USD/month after the migration (equals current when staying closed)' }) projectedMonthlyCostUsd!: string;
  @ApiMoney({ example: '12639.65', description: 'USD/month' }) monthlySavingsUsd!: string;
  @ApiMoney({ example: '36000', description: 'USD, once' }) oneOffMigrationCostUsd!: string;
  @ApiProperty({ type: Number, nullable: true, example: 2.85, description: 'Months for the savings to repay the one-off cost; null when nothing is saved' }) breakEvenMonths!: number | null;
  @ApiProperty({ enum: CONFIDENCES, enumName: 'Confidence', example: 'medium' }) confidence!: string;
  @ApiProperty({ type: [PlanGateDto], description: 'Every gate with the numbers it used' }) reasons!: PlanGateDto[];
  @ApiProperty({ type: [String], example: ['Volume varies by 40% day to day: size for the peak'] }) risks!: string[];
  @ApiProperty({ type: [String], example: ['Run a 2-week shadow pilot on one replica'] }) nextSteps!: string[];
  @ApiProperty({ type: [PlanOptionSummaryDto] }) optionsConsidered!: PlanOptionSummaryDto[];
  @ApiNullableRef(WorkloadFleetDto, { description: 'The shared fleet it self-hosts on; null when it does not' }) fleet!: WorkloadFleetDto | null;
}

// ---------------------------------------------------------------- the plan: the roadmap

export class PhaseWorkloadDto {
  @ApiProperty({ example: 'code-assistant' }) workload!: string;
  @ApiProperty({ enum: RECOMMENDATIONS, enumName: 'Recommendation', example: 'self_host' }) recommendation!: string;
  @ApiProperty({ type: String, nullable: true, example: 'llama-3.3-70b-instruct' }) modelId!: string | null;
  @ApiProperty({ anyOf: [{ $ref: getSchemaPath('OptionKind') }, { type: 'object', nullable: true, enum: [null] }], example: 'self_host' }) kind!: string | null;
  @ApiProperty({ enum: CONFIDENCES, enumName: 'Confidence', example: 'medium' }) confidence!: string;
  @ApiMoney({ example: '12639.65', description: 'USD/month, unweighted' }) monthlySavingsUsd!: string;
  @ApiProperty({ example: true, description: 'Whether the target has a passing evaluation' }) evaluated!: boolean;
  @ApiProperty({ example: 1, description: '1 when evaluated, else evaluationPassProbability' }) passProbability!: number;
  @ApiMoney({ example: '12639.65', description: 'monthlySavingsUsd x passProbability, USD/month' }) expectedMonthlySavingsUsd!: string;
  @ApiMoney({ example: '36000' }) oneOffMigrationCostUsd!: string;
  @ApiMoney({ example: '10111.72', description: 'Orders workloads and actions, USD/month' }) priorityUsd!: string;
}

export class PlanPhaseDto {
  @ApiProperty({ enum: PHASE_IDS, enumName: 'PlanPhaseId', example: 'phase-1' }) id!: string;
  @ApiProperty({ example: 'Phase 1: evaluated, ready to migrate' }) title!: string;
  @ApiProperty({ type: Number, nullable: true, example: 1, description: 'Month it migrates in; null for stay-closed' }) migrationMonth!: number | null;
  @ApiProperty({ type: [PhaseWorkloadDto] }) workloads!: PhaseWorkloadDto[];
  @ApiMoney({ example: '12639.65' }) monthlySavingsUsd!: string;
  @ApiMoney({ example: '12639.65' }) expectedMonthlySavingsUsd!: string;
  @ApiMoney({ example: '36000' }) oneOffMigrationCostUsd!: string;
}

export class PortfolioSnapshotDto {
  @ApiMoney({ example: '42150.3' }) totalMonthlySpendUsd!: string;
  @ApiMoney({ example: '42150.3' }) closedMonthlySpendUsd!: string;
  @ApiMoney({ example: '0' }) openMonthlySpendUsd!: string;
  @ApiProperty({ example: 100, description: 'Percent 0..100' }) closedSharePct!: number;
  @ApiProperty({ example: 0, description: 'Percent 0..100' }) openSharePct!: number;
}

export class PortfolioDto {
  @ApiProperty({ type: PortfolioSnapshotDto }) before!: PortfolioSnapshotDto;
  @ApiProperty({ type: PortfolioSnapshotDto }) afterPhase1!: PortfolioSnapshotDto;
  @ApiProperty({ type: PortfolioSnapshotDto }) after!: PortfolioSnapshotDto;
}

export class MonthProjectionDto {
  @ApiProperty({ example: 1 }) month!: number;
  @ApiMoney({ example: '12639.65' }) phase1SavingsUsd!: string;
  @ApiMoney({ example: '0', description: 'Expected (probability-weighted)' }) phase2SavingsUsd!: string;
  @ApiMoney({ example: '0', description: 'Unweighted, at stake' }) phase2AtStakeUsd!: string;
  @ApiMoney({ example: '36000' }) oneOffCostsUsd!: string;
  @ApiMoney({ example: '-23360.35' }) netSavingsUsd!: string;
  @ApiMoney({ example: '-23360.35' }) cumulativeNetSavingsUsd!: string;
}

export class CumulativeSavingsDto {
  @ApiProperty({ type: [MonthProjectionDto], description: '12 months' }) months!: MonthProjectionDto[];
  @ApiMoney({ example: '115675.8' }) totalNetSavingsUsd!: string;
}

export class FleetMemberDto {
  @ApiProperty({ example: 'code-assistant' }) workload!: string;
  @ApiProperty({ example: 'llama-3.3-70b-instruct' }) modelId!: string;
  @ApiProperty({ example: false, description: 'An adapter fine-tune on the base model' }) adapter!: boolean;
  @ApiProperty({ example: 0.5 }) loadShare!: number;
  @ApiProperty({ example: 0.8123, description: 'Mean demand in replicas' }) averageDemandReplicas!: number;
  @ApiMoney({ example: '4380' }) gpuCostUsd!: string;
  @ApiMoney({ example: '438' }) overheadUsd!: string;
  @ApiMoney({ example: '1875' }) peopleUsd!: string;
  @ApiMoney({ example: '6693' }) monthlyCostUsd!: string;
  @ApiMoneyNullable({ example: '9480.2' }) standaloneMonthlyCostUsd!: string | null;
  @ApiMoneyNullable({ example: '2787.2' }) savingsUsd!: string | null;
}

export class FleetDto {
  @ApiProperty({ example: 'llama-3.3-70b-instruct|H100-80GB-SXM|fp8|tp2' }) id!: string;
  @ApiProperty({ example: 'llama-3.3-70b-instruct' }) baseModelId!: string;
  @ApiProperty({ type: [String], example: ['llama-3.3-70b-instruct'] }) modelIds!: string[];
  @ApiProperty({ example: 'H100-80GB-SXM' }) gpu!: string;
  @ApiProperty({ example: 'fp8' }) precision!: string;
  @ApiProperty({ example: 2 }) gpusPerReplica!: number;
  @ApiProperty({ example: 2 }) servingReplicas!: number;
  @ApiProperty({ example: 1 }) spareReplicas!: number;
  @ApiProperty({ example: 3 }) replicas!: number;
  @ApiProperty({ type: 'integer', example: 6 }) gpuCount!: number;
  @ApiProperty({ example: 54.2, description: 'Average demand / provisioned replicas, percent' }) utilisationPct!: number;
  @ApiProperty({ example: 81.3, description: 'Sizing (p95) demand / provisioned replicas, percent' }) peakUtilisationPct!: number;
  @ApiMoney({ example: '2.99', description: 'USD per GPU-hour' }) usdPerGpuHour!: string;
  @ApiMoney({ example: '13096.2' }) gpuCostUsd!: string;
  @ApiMoney({ example: '1309.62' }) overheadUsd!: string;
  @ApiMoney({ example: '3750' }) peopleUsd!: string;
  @ApiMoney({ example: '18155.82' }) totalUsd!: string;
  @ApiProperty({ type: [FleetMemberDto] }) members!: FleetMemberDto[];
  @ApiProperty({ type: [String], example: ['1 spare replica for failover'] }) notes!: string[];
}

export class FleetSkipDto {
  @ApiProperty({ example: 'support-chat' }) workload!: string;
  @ApiProperty({ example: 'llama-3.1-8b-instruct' }) modelId!: string;
  @ApiProperty({ example: 'no capacity estimate at this shape' }) reason!: string;
}

export class OrganisationFleetsDto {
  @ApiProperty({ type: [FleetDto] }) fleets!: FleetDto[];
  @ApiProperty({ enum: TEAM_MATURITIES, enumName: 'TeamMaturity', example: 'strong' }) teamMaturity!: string;
  @ApiProperty({ example: 0.25, description: 'Platform engineers (FTE) for all fleets' }) engineers!: number;
  @ApiMoney({ example: '3750' }) orgPeopleUsd!: string;
  @ApiProperty({ type: 'integer', example: 6 }) gpuCount!: number;
  @ApiMoney({ example: '13096.2' }) gpuCostUsd!: string;
  @ApiMoney({ example: '1309.62' }) overheadUsd!: string;
  @ApiMoney({ example: '18155.82' }) totalUsd!: string;
  @ApiMoneyNullable({ example: '18960.4', description: "Sum of the members' stand-alone costs; null unless every member gave one" }) standaloneTotalUsd!: string | null;
  @ApiMoneyNullable({ example: '804.58' }) savingsUsd!: string | null;
  @ApiProperty({ type: [FleetSkipDto] }) skipped!: FleetSkipDto[];
  @ApiProperty({ type: [String], example: ['One platform team runs every fleet'] }) assumptions!: string[];
}

export class FleetRoundsDto {
  @ApiProperty({ example: 2 }) rounds!: number;
  @ApiProperty({ example: true, description: 'The last round self-hosted exactly the set the fleets were priced on' }) stable!: boolean;
  @ApiProperty({ type: [String], example: ['support-chat'] }) declined!: string[];
  @ApiProperty({ example: 'stable after 2 rounds' }) detail!: string;
}

export class PlanDataFreshnessDto {
  @ApiProperty({ example: 0, description: 'Hours of usage still waiting for their rollup (not in the plan)' }) pendingRollupHours!: number;
  @ApiProperty({ example: true }) complete!: boolean;
  @ApiProperty({ format: 'date-time', example: TS, description: 'Usage up to this instant is in the plan' }) dataAsOf!: string;
}

export class OrganisationPlanDto {
  @ApiProperty({ type: [WorkloadPlanDto], description: 'Workloads with usage in the last 28 days' }) workloads!: WorkloadPlanDto[];
  @ApiProperty({ type: [PlanPhaseDto], description: 'phase-1, phase-2, stay-closed' }) phases!: PlanPhaseDto[];
  @ApiProperty({ type: PortfolioDto, description: 'Closed vs open spend before, after phase 1 and after' }) portfolio!: PortfolioDto;
  @ApiProperty({ type: CumulativeSavingsDto }) cumulativeSavings!: CumulativeSavingsDto;
  @ApiProperty({ type: [String], example: ['Savings follow the organisation spend forecast'] }) assumptions!: string[];
  @ApiNullableRef(OrganisationFleetsDto, { description: 'Shared self-hosted fleets; null when nothing self-hosts' }) fleets!: OrganisationFleetsDto | null;
  @ApiProperty({ type: FleetRoundsDto }) fleetRounds!: FleetRoundsDto;
  @ApiProperty({ type: PlanDataFreshnessDto }) dataFreshness!: PlanDataFreshnessDto;
}

export class PlanDto {
  @ApiProperty({ format: 'date-time', example: TS, description: 'When the plan was computed' }) asOf!: string;
  @ApiProperty({ example: false, description: 'true when computed for this request; false when served from the snapshot' }) recomputed!: boolean;
  @ApiProperty({ type: OrganisationPlanDto }) plan!: OrganisationPlanDto;
}

export class WorkloadPlanAnswerDto extends WorkloadPlanDto {
  @ApiProperty({ format: 'date-time', example: TS }) asOf!: string;
  @ApiProperty({ example: false }) recomputed!: boolean;
}

// ---------------------------------------------------------------- GET /v1/workloads/{slug}/economics

export class WorkloadUsageMonthlyDto {
  @ApiProperty({ type: 'integer', example: 182000000, description: 'Input tokens per month (the window scaled to 30.4 days)' }) inputTokens!: number;
  @ApiProperty({ type: 'integer', example: 24500000 }) outputTokens!: number;
  @ApiProperty({ type: 'integer', example: 61000000, description: 'Part of inputTokens read from a prompt cache' }) cachedInputTokens!: number;
  @ApiProperty({ type: 'integer', example: 410000 }) requests!: number;
}

export class WorkloadUsageModelDto {
  @ApiProperty({ example: 'gpt-4o' }) modelId!: string;
  @ApiProperty({ example: 'openai' }) provider!: string;
  @ApiMoney({ example: '1735.95', description: 'USD over the window' }) costUsd!: string;
  @ApiProperty({ example: 0.92, description: "Share 0..1 of the workload's spend" }) share!: number;
}

export class WorkloadEconomicsUsageDto {
  @ApiProperty({ type: WorkloadUsageMonthlyDto }) monthly!: WorkloadUsageMonthlyDto;
  @ApiMoney({ example: '1880.4', description: 'USD/month at the window rate' }) monthlySpendUsd!: string;
  @ApiProperty({ type: [WorkloadUsageModelDto], description: 'Models it used in the window, dearest first' }) models!: WorkloadUsageModelDto[];
}

/** The estimate fed by the workload's real usage: EconomicsEstimateDto plus the usage it was computed from. */
export class WorkloadEconomicsDto extends EconomicsEstimateDto {
  @ApiProperty({ format: 'date-time', example: TS, description: 'When the estimate was computed (served from a snapshot unless refresh=true)' }) asOf!: string;
  @ApiProperty({ example: 'code-assistant' }) workload!: string;
  @ApiProperty({ example: 28, description: 'Days of usage read' }) windowDays!: number;
  @ApiProperty({ type: WorkloadEconomicsUsageDto }) usage!: WorkloadEconomicsUsageDto;
}

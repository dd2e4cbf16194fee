import type { Money } from '../money.js';
import type { OrganisationFleets } from './fleets.js';

/** A USD amount as callers may supply it. */
export type UsdValue = Money | string | number;


/**
 * Planner input and output types. Deliberately independent of src/domain/economics:
 * an adapter maps the economics engine's output onto `CandidateOption`.
 * All USD amounts are Decimal (the `Money` clone in ../money.ts); token counts are plain numbers.
 */

export type ModelTier = 'frontier' | 'mid' | 'small';
export type QualityTier = 'encoder' | 'small' | 'mid' | 'large' | 'frontier';
export type TaskCategory =
  | 'classification'
  | 'extraction'
  | 'summarisation'
  | 'chat'
  | 'code'
  | 'reasoning'
  | 'embedding'
  | 'other';
export type QualityRequirement = 'best-available' | 'high' | 'good-enough';
export type DataSensitivity = 'public' | 'internal' | 'confidential' | 'regulated';
export type TeamMaturity = 'none' | 'some' | 'strong';
export type OptionKind = 'cheaper_closed' | 'managed_open' | 'self_host';
export type Recommendation = 'stay_closed' | 'cheaper_closed' | 'managed_open' | 'pilot_self_host' | 'self_host';
export type Confidence = 'low' | 'medium' | 'high';

/** A model the workload uses today. `openWeights` (default false) marks spend that is already on an open model. */
export interface CurrentModel {
  modelId: string;
  provider: string;
  tier: ModelTier;
  /** Fraction 0..1 of this workload's spend. */
  shareOfSpend: number;
  openWeights?: boolean;
}

export interface WorkloadAnnotations {
  taskCategory?: TaskCategory;
  qualityRequirement?: QualityRequirement;
  latencyTargetP95Ms?: number;
  /** 'batch': nobody waits on each answer; batch and flex API tiers are priced. */
  latencyTolerance?: 'interactive' | 'batch';
  dataSensitivity?: DataSensitivity;
  /**
   * Where the data must be processed: 'eu', 'us', a narrower code such as 'eu-west', or 'any' (no constraint).
   * Takes precedence over `residency`.
   */
  dataResidency?: string;
  /** Older form: region codes the data must stay in, e.g. ['eu']; read when `dataResidency` is absent. */
  residency?: string[];
  needsCustomisation?: boolean;
  ownerTeam?: string;
}

/** An offline evaluation of `candidateModel` against `baselineModel` on the org's own samples. Metrics are 0..1. */
export interface WorkloadEvaluation {
  candidateModel: string;
  baselineModel: string;
  sampleSize: number;
  metrics: { candidate: Record<string, number>; baseline: Record<string, number> };
  /** Date or ISO-8601 string; the most recent evaluation of a candidate wins. */
  createdAt: Date | string;
}

export interface WorkloadProfile {
  slug: string;
  /** Current spend, USD/month. */
  monthlySpendUsd: Money;
  monthlyInputTokens: number;
  monthlyOutputTokens: number;
  /** Volume growth, fraction per month (0.1 = +10 %/month). */
  monthlyGrowth: number;
  /** Coefficient of variation of daily volume (stddev / mean). */
  volumeStability: number;
  currentModels: CurrentModel[];
  p95LatencyMs: number;
  /** Fraction 0..1 of requests that error today. */
  errorRate: number;
  /** Fraction 0..1 of the organisation's LLM spend. */
  shareOfOrgSpend: number;
  annotations: WorkloadAnnotations;
  evaluations: WorkloadEvaluation[];
}

export interface QualityScore {
  key: string;
  value: number;
  source: string;
}

export interface Deployment {
  gpu: string;
  /** GPUs in the whole fleet at peak (replicas × gpusPerReplica). */
  gpuCount: number;
  precision: string;
  replicas: number;
  /** GPUs one replica spans (tensor parallel degree); when absent, gpuCount / replicas. */
  gpusPerReplica?: number;
  tensorParallel?: number;
}

/** crosses: self-host is cheaper above monthlyTokens; always_cheaper: cheaper at every volume searched; never_below_max: never cheaper up to the top of the range. */
export type CrossoverStatus = 'crosses' | 'always_cheaper' | 'never_below_max';

/** Where a self-host option's cost meets an API's (tokens/month, input + output). */
export interface CrossoverPoint {
  status: CrossoverStatus;
  /** Tokens/month; null unless status is 'crosses'. */
  monthlyTokens: number | null;
  /** What it was compared with, e.g. "gpt-4o at today's cost per token". */
  against?: string;
  /** Top of the searched range, tokens/month (for 'never_below_max' explanations). */
  searchedMaxTokens?: number;
}

/** Where a provider processes data, as the adapter read it from the provider-regions reference (see providers.ts). */
export interface ProviderRegions {
  /** Canonical display name, e.g. 'Groq'. */
  provider: string;
  /** Region codes where processing can be kept (e.g. ['us', 'eu']); empty = none proven. */
  regions: string[];
  /** Conditions attached to those regions (enterprise agreement, regional endpoint, ...). */
  conditions: string | null;
  /** Source ids (provider-regions.json `sources[]`). */
  sourceIds: string[];
}

/** One way to serve the workload, priced by the economics engine. */
export interface CandidateOption {
  kind: OptionKind;
  modelId: string;
  provider?: string;
  qualityTier: QualityTier;
  /** Catalog scores; the org's own evaluations take precedence. */
  qualityScores?: QualityScore[];
  /** Steady-state USD/month at today's volume, including people for self_host. */
  monthlyCostUsd: Money;
  /** USD, paid once in the month of migration. */
  oneOffMigrationCostUsd: Money;
  deployment?: Deployment;
  /** p95 per request (ms) expected on this option; undefined = no estimate (the latency gate says n/a). */
  expectedP95LatencyMs?: number;
  /** Where the estimate comes from, e.g. 'capacity model' or 'observed p95 on the same provider'. */
  latencyBasis?: string;
  /** Per-option crossover (self_host): vs today's API and vs the cheapest managed API for the same open model. */
  crossover?: { vsCurrent: CrossoverPoint | null; vsManagedOpen: CrossoverPoint | null };
  /** Legacy fallback when `crossover` is absent. Tokens/month above which self-hosting beats the API; null = unknown direction; undefined = unknown. */
  crossoverMonthlyTokens?: number | null;
  /** API options: where the provider processes data; null/undefined = not sourced (blocks residency-bound data). */
  providerRegions?: ProviderRegions | null;
}

/** Organisation settings after defaults are applied (see settings.ts). */
export interface PlannerSettings {
  teamMaturity: TeamMaturity;
  /** Minimum USD/month a self_host migration must save. */
  selfHostSavingsFloorUsd: Money;
  /** Minimum USD/month a managed_open or cheaper_closed migration must save. */
  managedSavingsFloorUsd: Money;
  /** A migration whose one-off cost takes longer than this many months to pay back fails the value gate. */
  maxBreakEvenMonths: number;
  requiredMetrics: string[];
  /** Absolute fraction (0.02 = 2 points on a 0..1 metric) the candidate may trail the baseline by. */
  evaluationTolerance: number;
  minEvaluationSampleSize: number;
  /** Maximum coefficient of variation of daily volume considered stable. */
  stabilityMaxCv: number;
  /** Third-party processors (provider names, case-insensitive) approved for regulated data. */
  approvedProcessors: string[];
  /** Probability 0..1 that a pending evaluation passes; weights unevaluated savings in the roadmap. */
  evaluationPassProbability: number;
}

/** Settings as supplied by callers: every field optional, money as Money, number or string. */
export interface PlannerSettingsInput {
  teamMaturity?: TeamMaturity;
  selfHostSavingsFloorUsd?: UsdValue;
  managedSavingsFloorUsd?: UsdValue;
  maxBreakEvenMonths?: number;
  requiredMetrics?: string[];
  evaluationTolerance?: number;
  minEvaluationSampleSize?: number;
  stabilityMaxCv?: number;
  approvedProcessors?: string[];
  evaluationPassProbability?: number;
}

export type GateName =
  | 'selection'
  | 'task-fit'
  | 'value'
  | 'quality-evidence'
  | 'volume'
  | 'latency'
  | 'team-maturity'
  | 'data-control'
  | 'customisation';
export type GateStatus = 'pass' | 'fail' | 'n/a';

export interface Gate {
  gate: GateName;
  status: GateStatus;
  /** Human-readable explanation with the numbers used. */
  detail: string;
}

export interface MetricCheck {
  metric: string;
  candidate: number | null;
  baseline: number | null;
  /** candidate − baseline, null when either is missing. */
  delta: number | null;
  /** baseline − tolerance, null when the baseline is missing. */
  threshold: number | null;
  pass: boolean;
}

export type EvidenceStatus = 'passed' | 'failed' | 'inconclusive' | 'none';

export interface EvidenceVerdict {
  status: EvidenceStatus;
  evaluation: WorkloadEvaluation | null;
  metrics: MetricCheck[];
  sampleSize: number | null;
  /** What is missing when status is 'inconclusive'. */
  missing: string[];
  detail: string;
}

export interface PlanCandidate {
  modelId: string;
  kind: OptionKind;
  provider?: string;
  qualityTier: QualityTier;
  deployment?: Deployment;
}

/** An option that could become the recommendation once its evaluation passes. */
export interface PendingEvaluation extends PlanCandidate {
  /** Savings at stake if the evaluation passes, USD/month. */
  monthlySavingsUsd: Money;
  oneOffMigrationCostUsd: Money;
  /** "Evaluate managed_open llama-3.3-70b via Groq vs gpt-4o". */
  action: string;
}

/** What the planner concluded about one option. `ceiling` is null when a gate excludes it. */
export interface OptionSummary {
  modelId: string;
  kind: OptionKind;
  provider?: string;
  qualityTier: QualityTier;
  monthlyCostUsd: Money;
  monthlySavingsUsd: Money;
  evidence: EvidenceStatus;
  ceiling: Recommendation | null;
  excludedBy: GateName[];
}

export interface WorkloadPlan {
  workload: string;
  ownerTeam: string | null;
  recommendation: Recommendation;
  candidate: PlanCandidate | null;
  /** Set when staying closed because the cheapest eligible option still needs a passing evaluation ("evaluate X first"). */
  pendingEvaluation: PendingEvaluation | null;
  /** The one thing to do next (first of nextSteps); null when nothing is to be done. */
  nextStep: string | null;
  currentMonthlyCostUsd: Money;
  /** Cost after the recommended migration completes (equals current when staying closed). */
  projectedMonthlyCostUsd: Money;
  monthlySavingsUsd: Money;
  oneOffMigrationCostUsd: Money;
  /** Months for the one-off cost to be repaid by monthly savings (2 dp); null when nothing is saved. */
  breakEvenMonths: number | null;
  confidence: Confidence;
  reasons: Gate[];
  risks: string[];
  nextSteps: string[];
  optionsConsidered: OptionSummary[];
  /** Set (or null) by planOrganisationWithFleets: the shared fleet this workload self-hosts on. */
  fleet?: WorkloadFleet | null;
}

/** A self-hosting workload's place on its fleet, on `WorkloadPlan.fleet`. */
export interface WorkloadFleet {
  fleetId: string;
  /** Share 0..1 of the fleet's replica-demand (4 dp). */
  loadShare: number;
  /** The workload's share of the fleet, USD/month (what its self_host option is priced at). */
  monthlyCostUsd: Money;
  /** The same option stand-alone (own spare, full people cost), USD/month; null when unknown. */
  standaloneMonthlyCostUsd: Money | null;
  /** "shares fleet llama-3.1-8b|L4-24GB|bf16|tp1 (2 replicas × 1× L4-24GB, 3 workloads)". */
  text: string;
}

export interface FleetRounds {
  rounds: number;
  /** True when the last round's self-hosting set equalled the fleet it was priced on. */
  stable: boolean;
  /** Workloads tried on a fleet because their best self-host model is served by one, but that did not self-host at their share. */
  declined: string[];
  detail: string;
}


export interface WorkloadWithOptions {
  workload: WorkloadProfile;
  options: CandidateOption[];
}

/** Growth used by the 12-month projection; without it each workload's own monthlyGrowth applies. */
export interface RoadmapForecast {
  /** Org-wide volume growth, fraction/month; month m has factor (1 + g)^(m − 1). */
  monthlyGrowth?: number;
  /** Volume factor per month relative to today (index 0 = month 1; the planner service passes the org forecast's damped, capped months[].volumeGrowthFactor); the last value repeats. Overrides monthlyGrowth. */
  monthlySpendFactors?: number[];
  /** Month phase 1 migrates in (default 1). */
  phase1MigrationMonth?: number;
  /** Month phase 2 migrates in (default 3). */
  phase2MigrationMonth?: number;
}

export type PhaseId = 'phase-1' | 'phase-2' | 'stay-closed';

export interface PhaseWorkload {
  workload: string;
  recommendation: Recommendation;
  modelId: string | null;
  kind: OptionKind | null;
  confidence: Confidence;
  /** Realised (phase 1) or at-stake (phase 2) USD/month savings, unweighted. */
  monthlySavingsUsd: Money;
  /** Whether the target has a passing evaluation; unevaluated savings are weighted by passProbability. */
  evaluated: boolean;
  /** 1 when evaluated, else the settings' evaluationPassProbability. */
  passProbability: number;
  /** monthlySavings × passProbability, USD/month. */
  expectedMonthlySavingsUsd: Money;
  oneOffMigrationCostUsd: Money;
  /** monthlySavings × readiness weight × confidence weight, USD/month; orders workloads and actions. */
  priorityUsd: Money;
}

export interface Phase {
  id: PhaseId;
  title: string;
  /** Month the phase migrates in; null for stay-closed. */
  migrationMonth: number | null;
  workloads: PhaseWorkload[];
  /** Unweighted (at stake for phase 2), USD/month. */
  monthlySavingsUsd: Money;
  /** Weighted by each workload's passProbability, USD/month. */
  expectedMonthlySavingsUsd: Money;
  oneOffMigrationCostUsd: Money;
}

export interface PortfolioSnapshot {
  totalMonthlySpendUsd: Money;
  closedMonthlySpendUsd: Money;
  openMonthlySpendUsd: Money;
  /** Percent 0..100, 2 dp. */
  closedSharePct: number;
  openSharePct: number;
}

export interface MonthProjection {
  month: number;
  phase1SavingsUsd: Money;
  /** Expected (probability-weighted) phase-2 savings, USD; what the net and cumulative figures use. */
  phase2SavingsUsd: Money;
  /** Unweighted phase-2 savings at stake, USD. */
  phase2AtStakeUsd: Money;
  oneOffCostsUsd: Money;
  netSavingsUsd: Money;
  cumulativeNetSavingsUsd: Money;
}

export interface OrganisationPlan {
  workloads: WorkloadPlan[];
  phases: Phase[];
  portfolio: { before: PortfolioSnapshot; afterPhase1: PortfolioSnapshot; after: PortfolioSnapshot };
  cumulativeSavings: { months: MonthProjection[]; totalNetSavingsUsd: Money };
  assumptions: string[];
  /** Shared self-hosted fleets (planOrganisationWithFleets); null when nothing self-hosts. */
  fleets?: OrganisationFleets | null;
  /** How the fleet rounds ended (planOrganisationWithFleets). */
  fleetRounds?: FleetRounds;
}

export interface PlanDiff {
  addedWorkloads: string[];
  removedWorkloads: string[];
  newCandidates: { workload: string; modelId: string; kind: OptionKind; previousModelId: string | null }[];
  gatesNewlyPassed: { workload: string; gate: GateName; previousStatus: GateStatus | null; detail: string }[];
  gatesNewlyFailed: { workload: string; gate: GateName; previousStatus: GateStatus | null; detail: string }[];
  recommendationChanges: { workload: string; from: Recommendation | null; to: Recommendation | null }[];
  savingsChanges: { workload: string; previousUsd: Money; currentUsd: Money; deltaUsd: Money }[];
  /** Total monthly savings now − before, USD/month (realised recommendations only). */
  savingsDeltaUsd: Money;
}

export interface PlanAction {
  workload: string;
  recommendation: Recommendation;
  action: string;
  monthlySavingsUsd: Money;
  priorityUsd: Money;
}

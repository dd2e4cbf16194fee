import { planSharedFleets, type FleetMemberInput, type FleetOptions, type FleetPlan } from '../economics/fleet.js';
import type { Money } from '../money.js';
import type { CandidateOption, TeamMaturity, UsdValue } from './types.js';
import { num, toMoney, toNumber, usd } from './values.js';

/*
 * Shared self-hosted fleets for the roadmap. The planner decides per workload; self-hosting is
 * then priced per fleet (one per open base model and deployment), so a workload pays its share of
 * a fleet instead of a stand-alone deployment with its own spare replica and its own engineers.
 * The fleet economics live in ../economics/fleet.ts (pure); this file maps the planner's moves onto
 * them and shapes the result for `OrganisationPlan.fleets` and the value gate.
 */

/** Hours in an average month (365 x 24 / 12), the planner's unit for monthly volumes. */
const DEFAULT_HOURS_PER_MONTH = 730;

export interface FleetMoveDeployment {
  gpuId: string;
  precision: string;
  /** GPUs per replica. */
  tensorParallel: number;
}

/**
 * A workload's chosen (or candidate) self-host move. Load and capacity share one unit, either
 * requests or output-equivalent tokens: only load / capacity enters the fleet.
 */
export interface SelfHostMove {
  workload: string;
  modelId: string;
  /** Base model an adapter fine-tune runs on; default modelId. */
  baseModelId?: string;
  deployment: FleetMoveDeployment;
  /** USD per GPU-hour of the deployment. */
  usdPerGpuHour: UsdValue;
  /** What one replica serves per second at this workload's shape (requests/s or output-equivalent tokens/s). */
  capacityPerSecPerReplica: number;
  /**
   * Monthly volume (requests or output-equivalent tokens per month) with a peak-to-average ratio; or average and peak per
   * second (e.g. the economics engine's load.averageTokPerSec / peakTokPerSec); or the actual hourly series per second
   * (not a p95-per-hour profile, whose mean overstates the average).
   */
  load:
    | { monthly: number; peakToAverage: number }
    | { averagePerSec: number; peakPerSec: number }
    | { hourlyPerSec: number[]; startHourOfWeek?: number };
  /** The option's stand-alone monthly cost (USD, people included), to show what sharing saves. */
  standaloneMonthlyCostUsd?: UsdValue | null;
  /** Other deployments of the same model this workload could use, so its fleet can consolidate. */
  alternatives?: { deployment: FleetMoveDeployment; usdPerGpuHour: UsdValue; capacityPerSecPerReplica: number }[];
}

export interface FleetSettings {
  teamMaturity?: TeamMaturity;
  engineerFractionByMaturity?: Partial<Record<TeamMaturity, number>>;
  /** USD per engineer-month. */
  engineerMonthlyCostUsd?: UsdValue;
  /** Engineer FTE per fleet beyond the first (default 0). */
  extraFleetEngineerFraction?: number;
  overheadFraction?: number;
  targetUtilisation?: number;
  spareReplicasPerFleet?: number;
  minReplicas?: number;
  hoursPerMonth?: number;
}

export interface FleetMemberView {
  workload: string;
  modelId: string;
  adapter: boolean;
  /** Share 0..1 of the fleet's replica-demand (4 dp). */
  loadShare: number;
  /** Mean demand in replicas (4 dp). */
  averageDemandReplicas: number;
  gpuCostUsd: Money;
  overheadUsd: Money;
  peopleUsd: Money;
  /** The workload's share of the fleet, USD/month. */
  monthlyCostUsd: Money;
  standaloneMonthlyCostUsd: Money | null;
  savingsUsd: Money | null;
}

export interface FleetView {
  id: string;
  baseModelId: string;
  modelIds: string[];
  gpu: string;
  precision: string;
  gpusPerReplica: number;
  servingReplicas: number;
  spareReplicas: number;
  replicas: number;
  gpuCount: number;
  /** Average demand / provisioned replicas, percent 0..100 (1 dp). */
  utilisationPct: number;
  /** Sizing (p95) demand / provisioned replicas, percent 0..100 (1 dp). */
  peakUtilisationPct: number;
  usdPerGpuHour: Money;
  gpuCostUsd: Money;
  overheadUsd: Money;
  peopleUsd: Money;
  totalUsd: Money;
  members: FleetMemberView[];
  notes: string[];
}

/** `OrganisationPlan.fleets`: every shared self-hosted fleet, the org's one platform team, and the totals. */
export interface OrganisationFleets {
  fleets: FleetView[];
  teamMaturity: TeamMaturity;
  /** Platform engineers (FTE) for all fleets together. */
  engineers: number;
  orgPeopleUsd: Money;
  gpuCount: number;
  gpuCostUsd: Money;
  overheadUsd: Money;
  totalUsd: Money;
  /** Sum of the members' stand-alone costs; null unless every member gave one. */
  standaloneTotalUsd: Money | null;
  savingsUsd: Money | null;
  skipped: { workload: string; modelId: string; reason: string }[];
  assumptions: string[];
}

/** What one workload pays when it self-hosts on a shared fleet (USD/month). */
export interface WorkloadFleetCost {
  workload: string;
  modelId: string;
  fleetId: string;
  loadShare: number;
  monthlyCostUsd: Money;
  standaloneMonthlyCostUsd: Money | null;
  savingsUsd: Money | null;
  /** The shared fleet as a Deployment: gpuCount is the whole fleet (replicas × gpusPerReplica). */
  deployment: { gpu: string; gpuCount: number; precision: string; replicas: number; gpusPerReplica: number; tensorParallel: number };
}

const round = (x: number, dp: number) => Math.round(x * 10 ** dp) / 10 ** dp;

function memberOf(m: SelfHostMove, hoursPerMonth: number): FleetMemberInput {
  const load = m.load ?? { monthly: 0, peakToAverage: 1 };
  const average = (avgPerSec: number, peakToAverage: number): FleetMemberInput['load'] => ({ kind: 'average', averageRequestsPerSec: avgPerSec, peakToAverage });
  return {
    workload: m.workload,
    modelId: m.modelId,
    baseModelId: m.baseModelId,
    deployment: { ...(m.deployment ?? { gpuId: '?', precision: '?', tensorParallel: 0 }) },
    usdPerGpuHour: toMoney(m.usdPerGpuHour, NaN),
    requestsPerSecPerReplica: toNumber(m.capacityPerSecPerReplica, 0),
    load:
      'hourlyPerSec' in load
        ? { kind: 'hourly', requestsPerSec: Array.isArray(load.hourlyPerSec) ? load.hourlyPerSec : [], startHourOfWeek: load.startHourOfWeek }
        : 'averagePerSec' in load
          ? average(toNumber(load.averagePerSec, NaN), toNumber(load.averagePerSec, 0) > 0 ? toNumber(load.peakPerSec, 0) / load.averagePerSec : 1)
          : average(toNumber(load.monthly, NaN) / (hoursPerMonth * 3600), toNumber(load.peakToAverage, 1)),
    standaloneTcoUsd: m.standaloneMonthlyCostUsd === undefined || m.standaloneMonthlyCostUsd === null ? null : toMoney(m.standaloneMonthlyCostUsd),
    alternatives: (m.alternatives ?? []).map((a) => ({
      deployment: { ...a.deployment },
      usdPerGpuHour: toMoney(a.usdPerGpuHour, NaN),
      requestsPerSecPerReplica: toNumber(a.capacityPerSecPerReplica, 0),
    })),
  };
}

function view(plan: FleetPlan): FleetView[] {
  return plan.fleets.map((f) => ({
    id: f.id,
    baseModelId: f.baseModelId,
    modelIds: f.modelIds,
    gpu: f.deployment.gpuId,
    precision: f.deployment.precision,
    gpusPerReplica: f.gpusPerReplica,
    servingReplicas: f.servingReplicas,
    spareReplicas: f.spareReplicas,
    replicas: f.replicas,
    gpuCount: f.gpuCount,
    utilisationPct: round(f.utilisation * 100, 1),
    peakUtilisationPct: round(f.peakUtilisation * 100, 1),
    usdPerGpuHour: f.usdPerGpuHour,
    gpuCostUsd: f.gpuCostUsd,
    overheadUsd: f.overheadUsd,
    peopleUsd: f.peopleUsd,
    totalUsd: f.totalUsd,
    members: f.members.map((m) => ({
      workload: m.workload,
      modelId: m.modelId,
      adapter: m.adapter,
      loadShare: round(m.loadShare, 4),
      averageDemandReplicas: round(m.averageDemandReplicas, 4),
      gpuCostUsd: m.gpuCostUsd,
      overheadUsd: m.overheadUsd,
      peopleUsd: m.peopleUsd,
      monthlyCostUsd: m.costUsd,
      standaloneMonthlyCostUsd: m.standaloneTcoUsd,
      savingsUsd: m.savingsUsd,
    })),
    notes: f.notes,
  }));
}

/**
 * Shared fleets for the workloads that self-host (USD/month, GPUs, utilisation 0..100 %): one fleet per base model and
 * deployment, one spare per fleet, the platform team once per org split by replica-demand. Never throws: bad moves are
 * listed in `skipped`.
 */
export function planFleets(moves: readonly SelfHostMove[], settings: FleetSettings = {}): OrganisationFleets {
  const hoursPerMonth = toNumber(settings.hoursPerMonth, DEFAULT_HOURS_PER_MONTH) > 0 ? toNumber(settings.hoursPerMonth, DEFAULT_HOURS_PER_MONTH) : DEFAULT_HOURS_PER_MONTH;
  const options: FleetOptions = {
    teamMaturity: settings.teamMaturity,
    engineerFractionByMaturity: settings.engineerFractionByMaturity,
    engineerMonthlyCostUsd: settings.engineerMonthlyCostUsd === undefined ? undefined : toMoney(settings.engineerMonthlyCostUsd),
    extraFleetEngineerFraction: settings.extraFleetEngineerFraction,
    overheadFraction: settings.overheadFraction,
    targetUtilisation: settings.targetUtilisation,
    spareReplicasPerFleet: settings.spareReplicasPerFleet,
    minReplicas: settings.minReplicas,
    hoursPerMonth,
  };
  const all = (Array.isArray(moves) ? moves : []).filter((m) => !!m && typeof m === 'object');
  const named = all.filter((m) => typeof m.workload === 'string' && typeof m.modelId === 'string');
  const plan = planSharedFleets(named.map((m) => memberOf(m, hoursPerMonth)), options);
  const unnamed = all.length - named.length;
  const fleets = view(plan);
  const assumptions = [
    ...plan.notes,
    'a workload pays its share of its fleet (GPU + overhead + people) in proportion to the replica time its load uses',
    'fine-tuned adapters of one base model are served by the base model\'s replicas (vLLM multi-LoRA; Convirza case, source convirza_zenml); no adapter overhead is added',
  ];
  return {
    fleets,
    teamMaturity: plan.people.teamMaturity,
    engineers: plan.people.engineers,
    orgPeopleUsd: plan.orgPeopleUsd,
    gpuCount: fleets.reduce((a, f) => a + f.gpuCount, 0),
    gpuCostUsd: plan.gpuCostUsd,
    overheadUsd: plan.overheadUsd,
    totalUsd: plan.totalUsd,
    standaloneTotalUsd: plan.standaloneTotalUsd,
    savingsUsd: plan.savingsUsd,
    skipped: unnamed > 0 ? [...plan.skipped, { workload: '?', modelId: '?', reason: `${unnamed} move(s) without a workload slug or model id` }] : plan.skipped,
    assumptions,
  };
}

/** Each member's shared cost (USD/month), keyed by workload slug (one self-host move per workload): what replaces its stand-alone self-host cost. */
export function fleetCostsByWorkload(fleets: OrganisationFleets): Map<string, WorkloadFleetCost> {
  const out = new Map<string, WorkloadFleetCost>();
  for (const f of fleets.fleets) {
    for (const m of f.members) {
      out.set(m.workload, {
        workload: m.workload,
        modelId: m.modelId,
        fleetId: f.id,
        loadShare: m.loadShare,
        monthlyCostUsd: m.monthlyCostUsd,
        standaloneMonthlyCostUsd: m.standaloneMonthlyCostUsd,
        savingsUsd: m.savingsUsd,
        deployment: { gpu: f.gpu, gpuCount: f.gpuCount, precision: f.precision, replicas: f.replicas, gpusPerReplica: f.gpusPerReplica, tensorParallel: f.gpusPerReplica },
      });
    }
  }
  return out;
}

/**
 * The workload's options with its self_host option for the fleet's model re-priced at its fleet share (USD/month) and
 * deployed on the shared fleet; other options unchanged. Use before the value gate.
 */
export function withFleetCost(options: readonly CandidateOption[], share: WorkloadFleetCost | undefined): CandidateOption[] {
  if (!share) return [...options];
  return options.map((o) =>
    o.kind === 'self_host' && o.modelId === share.modelId
      ? { ...o, monthlyCostUsd: share.monthlyCostUsd, deployment: { ...share.deployment } }
      : o,
  );
}

/** One line per fleet for explanations: "llama-3.1-8b on 2× L4-24GB (1 serving + 1 spare), 15% utilised, $8792.51/month for 2 workloads". */
export function fleetSummary(f: FleetView): string {
  const n = f.members.length;
  return `${f.baseModelId} on ${f.gpuCount}× ${f.gpu} (${f.servingReplicas} serving + ${f.spareReplicas} spare), ${num(f.utilisationPct, 1)}% utilised, ${usd(f.totalUsd)}/month for ${n} workload${n === 1 ? '' : 's'}`;
}

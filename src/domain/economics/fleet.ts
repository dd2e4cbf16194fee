import type { Decimal } from 'decimal.js';
import { Money } from '../money.js';
import { DEFAULT_ASSUMPTIONS, type TeamMaturity } from './assumptions.js';
import { PEAK_QUANTILE, quantile } from './load.js';

/*
 * Shared self-hosted fleets: one fleet per open base model (and deployment), sized for the
 * combined load of every workload that moves to it, with one spare per fleet and one platform
 * team per organisation. Each workload pays its share of the fleet in proportion to the replica
 * time its load uses.
 *
 * Demand is counted in replica units: a member's requests/s divided by the requests/s one replica
 * serves at that member's own request shape. A 20:1 RAG member whose replica serves 2 requests/s
 * uses five times the replica time per request of a chat member whose replica serves 10 requests/s,
 * so mixed shapes add up on one fleet. Any consistent unit works (requests/s or output-equivalent
 * tokens/s): only the ratio load / capacity enters the fleet.
 *
 * Fine-tuned adapters (LoRA) of one base model are served by the base model's replicas: vLLM loads
 * adapters per request on top of the base model "with minimal overhead" (docs.vllm.ai/en/v0.8.5/features/lora.html,
 * read 2026-12-01), and Convirza ran per-indicator LoRA adapters of Llama-3-8B on one multi-LoRA
 * deployment (source convirza_zenml, 2024-11). No source quantifies the adapter overhead, so none
 * is added here: a caller that knows it lowers the adapter member's requestsPerSecPerReplica.
 */

/** Week = 168 hours; hourly series are folded onto the UTC hour of the week (0 = Monday 00:00 UTC). */
export const HOURS_PER_WEEK = 168;

/**
 * Engineer FTE added per fleet beyond the first (default 0). One platform team runs one serving
 * stack (engine, autoscaler, monitoring, on-call); another model on that stack is one more
 * deployment manifest and model-upgrade cadence, not another engineer. No published figure was
 * found for the marginal effort of an extra model, so the default is 0 and the org may set it.
 */
export const DEFAULT_EXTRA_FLEET_ENGINEER_FRACTION = 0;

export interface FleetDeployment {
  gpuId: string;
  precision: string;
  /** GPUs per replica (tensor parallel degree). */
  tensorParallel: number;
}

/** A member's load: an hourly series (requests/s per UTC hour) or an average with a peak-to-average ratio. */
export type MemberLoad =
  | {
      kind: 'hourly';
      /** Requests/s in each consecutive UTC hour: 168 hour-of-week values or any N hourly values. */
      requestsPerSec: readonly number[];
      /** Hour of week (0-167, 0 = Monday 00:00 UTC) of requestsPerSec[0]; default 0. */
      startHourOfWeek?: number;
    }
  | {
      kind: 'average';
      /** Mean requests/s over the month. */
      averageRequestsPerSec: number;
      /** Peak / average (≥ 1). */
      peakToAverage: number;
    };

/** One deployment a member can run on, with its price and the member's capacity there. */
export interface DeploymentQuote {
  deployment: FleetDeployment;
  /** USD per GPU-hour. */
  usdPerGpuHour: Decimal.Value;
  /** Requests/s one replica serves at this member's request shape (same unit as the load). */
  requestsPerSecPerReplica: number;
}

export interface FleetMemberInput {
  /** Workload slug. */
  workload: string;
  /** The model the workload calls (an adapter id for a fine-tune). */
  modelId: string;
  /** Base model whose replicas serve it; defaults to modelId (no adapter). */
  baseModelId?: string;
  deployment: FleetDeployment;
  /** USD per GPU-hour of the deployment. */
  usdPerGpuHour: Decimal.Value;
  /** Requests/s one replica serves at this workload's own shape. */
  requestsPerSecPerReplica: number;
  load: MemberLoad;
  /** The workload's stand-alone monthly TCO (USD) for the savings comparison. */
  standaloneTcoUsd?: Decimal.Value | null;
  /** Other deployments of the same base model this workload could run on: lets its fleet consolidate on one deployment. */
  alternatives?: readonly DeploymentQuote[];
}

export interface FleetOptions {
  /** Busiest-hour utilisation the fleet is planned for (0-1); default 0.6. */
  targetUtilisation?: number;
  /** Spare replicas per fleet (N+1 = 1); default 1. */
  spareReplicasPerFleet?: number;
  /** Replicas kept at zero load; default 1 + spare. */
  minReplicas?: number;
  /** Hours per month; default 730. */
  hoursPerMonth?: number;
  /** Storage, egress, monitoring as a fraction of GPU cost; default 0.1. */
  overheadFraction?: number;
  teamMaturity?: TeamMaturity;
  /** Engineers (FTE) for the org's self-hosting platform by team maturity; default none 1, some 0.5, strong 0.25. */
  engineerFractionByMaturity?: Partial<Record<TeamMaturity, number>>;
  /** Loaded cost of one engineer (USD/month); default 15000. */
  engineerMonthlyCostUsd?: Decimal.Value;
  /** Engineer FTE added per fleet beyond the first; default 0. */
  extraFleetEngineerFraction?: number;
  /** Quantile of the fleet's hour-of-week demand that sizes it; default 0.95. */
  peakQuantile?: number;
}

export interface FleetMember {
  workload: string;
  modelId: string;
  /** True when modelId differs from the fleet's base model (a fine-tuned adapter). */
  adapter: boolean;
  /** Mean demand in replica units (requests/s ÷ requests/s per replica). */
  averageDemandReplicas: number;
  /** The member's own peak demand in replica units (p95 of its hour-of-week profile, or average x peak-to-average). */
  peakDemandReplicas: number;
  /** Share (0-1) of the fleet's replica-demand over the month. */
  loadShare: number;
  gpuCostUsd: Decimal;
  overheadUsd: Decimal;
  peopleUsd: Decimal;
  /** loadShare x fleet total (USD/month). */
  costUsd: Decimal;
  standaloneTcoUsd: Decimal | null;
  /** Stand-alone TCO − shared cost (USD/month); null without a stand-alone figure. */
  savingsUsd: Decimal | null;
}

export interface Fleet {
  /** "base|gpu|precision|tpN". */
  id: string;
  baseModelId: string;
  /** Models served (the base model and/or its adapters), sorted. */
  modelIds: string[];
  deployment: FleetDeployment;
  usdPerGpuHour: Decimal;
  /** Mean demand in replica units. */
  averageDemandReplicas: number;
  /** Sizing demand in replica units (see peakBasis). */
  peakDemandReplicas: number;
  peakBasis: 'hour-of-week-p95' | 'coincident-peaks' | 'mixed';
  /** ceil(peak demand / target utilisation), at least 1. */
  servingReplicas: number;
  spareReplicas: number;
  replicas: number;
  gpusPerReplica: number;
  gpuCount: number;
  gpuHoursPerMonth: number;
  /** Average demand / provisioned replicas (0-1). */
  utilisation: number;
  /** Peak demand / provisioned replicas (0-1). */
  peakUtilisation: number;
  gpuCostUsd: Decimal;
  overheadUsd: Decimal;
  peopleUsd: Decimal;
  totalUsd: Decimal;
  members: FleetMember[];
  notes: string[];
}

export interface FleetPlan {
  fleets: Fleet[];
  /** The org's self-hosting platform team (USD/month), charged once across all fleets. */
  orgPeopleUsd: Decimal;
  people: {
    teamMaturity: TeamMaturity;
    /** FTE = maturity fraction + extra fraction x (fleets − 1). */
    engineers: number;
    engineerMonthlyCostUsd: Decimal;
    extraFleetEngineerFraction: number;
  };
  gpuCostUsd: Decimal;
  overheadUsd: Decimal;
  /** GPU + overhead + people over all fleets (USD/month). */
  totalUsd: Decimal;
  /** Sum of the members' stand-alone TCO (USD/month); null unless every member gave one. */
  standaloneTotalUsd: Decimal | null;
  /** standaloneTotalUsd − totalUsd; null when standaloneTotalUsd is. */
  savingsUsd: Decimal | null;
  /** Members left out (bad capacity or load), with why. */
  skipped: { workload: string; modelId: string; reason: string }[];
  notes: string[];
}

interface Resolved {
  targetUtilisation: number;
  spare: number;
  minReplicas: number;
  hoursPerMonth: number;
  overheadFraction: number;
  teamMaturity: TeamMaturity;
  engineerFraction: number;
  engineerMonthlyCostUsd: Decimal;
  extraFleetEngineerFraction: number;
  peakQuantile: number;
}

const finiteAtLeast = (v: unknown, lo: number, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) && v >= lo ? v : fallback;

function resolveOptions(o: FleetOptions): Resolved {
  const a = DEFAULT_ASSUMPTIONS;
  const spare = Math.floor(finiteAtLeast(o.spareReplicasPerFleet, 0, a.redundancyReplicas));
  const maturity = o.teamMaturity ?? a.teamMaturity;
  const fractions = { ...a.engineerFractionByMaturity, ...(o.engineerFractionByMaturity ?? {}) };
  const util = finiteAtLeast(o.targetUtilisation, 0, a.targetUtilisation);
  return {
    targetUtilisation: util > 0 && util <= 1 ? util : a.targetUtilisation,
    spare,
    minReplicas: Math.max(1, Math.floor(finiteAtLeast(o.minReplicas, 1, 1 + spare))),
    hoursPerMonth: finiteAtLeast(o.hoursPerMonth, Number.MIN_VALUE, a.hoursPerMonth),
    overheadFraction: finiteAtLeast(o.overheadFraction, 0, a.overheadFraction),
    teamMaturity: maturity,
    engineerFraction: finiteAtLeast(fractions[maturity], 0, a.engineerFractionByMaturity[maturity]),
    engineerMonthlyCostUsd: new Money(o.engineerMonthlyCostUsd ?? a.engineerMonthlyCostUsd),
    extraFleetEngineerFraction: finiteAtLeast(o.extraFleetEngineerFraction, 0, DEFAULT_EXTRA_FLEET_ENGINEER_FRACTION),
    peakQuantile: Math.min(1, finiteAtLeast(o.peakQuantile, 0, PEAK_QUANTILE)),
  };
}

const deploymentKey = (d: FleetDeployment): string => `${d.gpuId}|${d.precision}|tp${d.tensorParallel}`;

/**
 * Hourly requests/s → 168 hour-of-week values (requests/s): a series of 168 or more hours is
 * averaged per hour of week (an average week); a shorter one (e.g. 24 hours) repeats cyclically.
 */
export function hourOfWeekProfile(series: readonly number[], startHourOfWeek = 0): number[] {
  const n = series.length;
  if (n === 0) return new Array<number>(HOURS_PER_WEEK).fill(0);
  const start = ((Math.floor(startHourOfWeek) % HOURS_PER_WEEK) + HOURS_PER_WEEK) % HOURS_PER_WEEK;
  const value = (i: number) => Math.max(0, Number.isFinite(series[i]) ? (series[i] as number) : 0);
  if (n < HOURS_PER_WEEK) {
    return Array.from({ length: HOURS_PER_WEEK }, (_, slot) => value((((slot - start) % n) + n) % n));
  }
  const sums = new Array<number>(HOURS_PER_WEEK).fill(0);
  const counts = new Array<number>(HOURS_PER_WEEK).fill(0);
  for (let i = 0; i < n; i++) {
    const slot = (start + i) % HOURS_PER_WEEK;
    sums[slot] = (sums[slot] as number) + value(i);
    counts[slot] = (counts[slot] as number) + 1;
  }
  return sums.map((s, i) => s / (counts[i] as number));
}

/** A member's demand in replica units at one deployment. */
interface Demand {
  average: number;
  /** Hour-of-week replica demand; null for average + peak-to-average loads. */
  slots: number[] | null;
  /** Own peak (p95 of slots, or average x peak-to-average). */
  peak: number;
}

function demandOf(load: MemberLoad, perReplica: number, q: number): Demand {
  if (load.kind === 'hourly') {
    const slots = hourOfWeekProfile(load.requestsPerSec, load.startHourOfWeek).map((r) => r / perReplica);
    return { average: slots.reduce((a, b) => a + b, 0) / slots.length, slots, peak: quantile(slots, q) };
  }
  const average = Math.max(0, load.averageRequestsPerSec) / perReplica;
  return { average, slots: null, peak: average * Math.max(1, load.peakToAverage) };
}

function loadProblem(load: MemberLoad | undefined): string | null {
  if (!load || typeof load !== 'object') return 'no load given';
  if (load.kind === 'hourly') {
    if (!Array.isArray(load.requestsPerSec) || load.requestsPerSec.length === 0) return 'empty hourly series';
    return null;
  }
  if (load.kind === 'average') {
    if (!(Number.isFinite(load.averageRequestsPerSec) && load.averageRequestsPerSec >= 0)) return 'average requests/s must be a number ≥ 0';
    if (!Number.isFinite(load.peakToAverage)) return 'peak-to-average must be a number';
    return null;
  }
  return 'unknown load kind';
}

interface Placed {
  member: FleetMemberInput;
  quote: DeploymentQuote;
  demand: Demand;
}

/** Replica units → replicas: ceil(peak / target utilisation) (float noise tolerated), at least 1, + spare, at least minReplicas. */
function sizeReplicas(peak: number, r: Resolved): { serving: number; replicas: number } {
  const serving = Math.max(1, peak > 0 ? Math.ceil(peak / r.targetUtilisation - 1e-9) : 0);
  return { serving, replicas: Math.max(r.minReplicas, serving + r.spare) };
}

interface Sized {
  baseModelId: string;
  quote: DeploymentQuote;
  placed: Placed[];
  average: number;
  /** The same average as an exact Decimal sum of the members', so member shares add up to exactly 1. */
  averageExact: Decimal;
  peak: number;
  peakBasis: Fleet['peakBasis'];
  serving: number;
  replicas: number;
  usdPerGpuHour: Decimal;
  gpuCostUsd: Decimal;
  overheadUsd: Decimal;
  notes: string[];
}

/** Sizes one fleet (replica units, replicas, USD/month GPU + overhead) for members placed on one deployment. */
function sizeFleet(baseModelId: string, placed: Placed[], r: Resolved): Sized {
  const notes: string[] = [];
  const quote = placed[0]!.quote;
  const tp = Math.max(1, Math.floor(quote.deployment.tensorParallel));
  // Members normally quote one price for one deployment; if they differ, the dearest is used (conservative).
  const prices = placed.map((p) => new Money(p.quote.usdPerGpuHour));
  const usdPerGpuHour = Money.max(...prices);
  if (prices.some((p) => !p.eq(usdPerGpuHour))) notes.push(`members quote different GPU prices; the highest, $${usdPerGpuHour.toFixed()}/GPU-hour, is used`);

  const averageExact = placed.reduce((a, p) => a.plus(p.demand.average), new Money(0));
  const average = averageExact.toNumber();
  const withSlots = placed.filter((p) => p.demand.slots !== null);
  const flat = placed.filter((p) => p.demand.slots === null);
  let seriesPeak = 0;
  if (withSlots.length > 0) {
    const combined = new Array<number>(HOURS_PER_WEEK).fill(0);
    for (const p of withSlots) p.demand.slots!.forEach((v, i) => (combined[i] = (combined[i] as number) + v));
    seriesPeak = quantile(combined, r.peakQuantile);
  }
  // Without a series nothing says when a member peaks, so its peak is assumed to coincide with the fleet's.
  const peak = seriesPeak + flat.reduce((a, p) => a + p.demand.peak, 0);
  const peakBasis: Fleet['peakBasis'] = flat.length === 0 ? 'hour-of-week-p95' : withSlots.length === 0 ? 'coincident-peaks' : 'mixed';
  const { serving, replicas } = sizeReplicas(peak, r);
  const gpuCostUsd = new Money(replicas).mul(tp).mul(r.hoursPerMonth).mul(usdPerGpuHour);
  const overheadUsd = gpuCostUsd.mul(r.overheadFraction);
  return { baseModelId, quote: { ...quote, deployment: { ...quote.deployment, tensorParallel: tp } }, placed, average, averageExact, peak, peakBasis, serving, replicas, usdPerGpuHour, gpuCostUsd, overheadUsd, notes };
}

/** The member's quote at a deployment key: its own deployment or one of its alternatives; null when it cannot run there. */
function quoteAt(m: FleetMemberInput, key: string): DeploymentQuote | null {
  const own: DeploymentQuote = { deployment: m.deployment, usdPerGpuHour: m.usdPerGpuHour, requestsPerSecPerReplica: m.requestsPerSecPerReplica };
  return [own, ...(m.alternatives ?? [])].find((q) => deploymentKey(q.deployment) === key && q.requestsPerSecPerReplica > 0) ?? null;
}

/**
 * Fleets for one base model: the single deployment (among the members' own and alternative ones)
 * every member can run on with the lowest GPU + overhead cost (USD/month); when no deployment fits
 * every member, one fleet per distinct deployment the members chose.
 */
function fleetsForBase(baseModelId: string, members: FleetMemberInput[], r: Resolved): Sized[] {
  const keys = [...new Set(members.flatMap((m) => [m.deployment, ...(m.alternatives ?? []).map((q) => q.deployment)].map(deploymentKey)))].sort();
  let best: Sized | null = null;
  for (const key of keys) {
    const quotes = members.map((m) => quoteAt(m, key));
    if (quotes.some((q) => q === null)) continue;
    const placed = members.map((m, i) => ({ member: m, quote: quotes[i]!, demand: demandOf(m.load, quotes[i]!.requestsPerSecPerReplica, r.peakQuantile) }));
    const sized = sizeFleet(baseModelId, placed, r);
    const cost = sized.gpuCostUsd.plus(sized.overheadUsd);
    if (best === null || cost.lt(best.gpuCostUsd.plus(best.overheadUsd))) best = sized;
  }
  if (best !== null) {
    const moved = best.placed.filter((p) => deploymentKey(p.member.deployment) !== deploymentKey(best!.quote.deployment)).map((p) => p.member.workload);
    if (moved.length > 0) best.notes.push(`consolidated on ${deploymentKey(best.quote.deployment)}: ${moved.join(', ')} moved from their own deployment`);
    return [best];
  }
  const byKey = new Map<string, FleetMemberInput[]>();
  for (const m of members) byKey.set(deploymentKey(m.deployment), [...(byKey.get(deploymentKey(m.deployment)) ?? []), m]);
  return [...byKey.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, ms]) => {
    const placed = ms.map((m) => {
      const quote = quoteAt(m, key)!;
      return { member: m, quote, demand: demandOf(m.load, quote.requestsPerSecPerReplica, r.peakQuantile) };
    });
    const sized = sizeFleet(baseModelId, placed, r);
    sized.notes.push(`no single deployment serves every ${baseModelId} workload; separate fleet per deployment`);
    return sized;
  });
}

/**
 * Shared self-hosted fleets for an org: replicas = ceil(p95 replica-demand / target utilisation) + spare per fleet,
 * GPU cost = replicas x GPUs per replica x hours/month x USD/GPU-hour, overhead = fraction x GPU cost, people once per org
 * (FTE x USD/engineer-month), each member charged its share of replica-demand (USD/month).
 */
export function planSharedFleets(members: readonly FleetMemberInput[], options: FleetOptions = {}): FleetPlan {
  const r = resolveOptions(options);
  const skipped: FleetPlan['skipped'] = [];
  const valid: FleetMemberInput[] = [];
  for (const m of Array.isArray(members) ? members : []) {
    if (!m || typeof m !== 'object') continue;
    const problem = !(Number.isFinite(m.requestsPerSecPerReplica) && m.requestsPerSecPerReplica > 0)
      ? 'requests/s per replica must be > 0'
      : !m.deployment || !(m.deployment.tensorParallel >= 1)
        ? 'deployment needs a tensor-parallel degree ≥ 1'
        : loadProblem(m.load);
    let price: Decimal | null = null;
    try {
      price = new Money(m.usdPerGpuHour);
    } catch {
      price = null;
    }
    const reason = problem ?? (price === null || !price.isFinite() || price.isNegative() ? 'USD per GPU-hour must be a number ≥ 0' : null);
    if (reason !== null) skipped.push({ workload: String(m.workload), modelId: String(m.modelId), reason });
    else valid.push(m);
  }

  const byBase = new Map<string, FleetMemberInput[]>();
  for (const m of [...valid].sort((a, b) => a.workload.localeCompare(b.workload) || a.modelId.localeCompare(b.modelId))) {
    const base = m.baseModelId ?? m.modelId;
    byBase.set(base, [...(byBase.get(base) ?? []), m]);
  }
  const sized = [...byBase.keys()].sort().flatMap((base) => fleetsForBase(base, byBase.get(base)!, r));

  const engineers = sized.length === 0 ? 0 : r.engineerFraction + r.extraFleetEngineerFraction * (sized.length - 1);
  const orgPeopleUsd = new Money(engineers).mul(r.engineerMonthlyCostUsd);
  const totalDemand = sized.reduce((a, s) => a.plus(s.averageExact), new Money(0));
  // People follow load: a fleet (and a member) carries the platform team in proportion to the replica time it uses.
  const fleetPeopleShare = (s: Sized) => (totalDemand.gt(0) ? s.averageExact.div(totalDemand) : new Money(1).div(sized.length));

  const fleets: Fleet[] = sized.map((s) => {
    const peopleUsd = orgPeopleUsd.mul(fleetPeopleShare(s));
    const totalUsd = s.gpuCostUsd.plus(s.overheadUsd).plus(peopleUsd);
    const tp = s.quote.deployment.tensorParallel;
    const fleetMembers: FleetMember[] = s.placed.map((p) => {
      const share = s.averageExact.gt(0) ? new Money(p.demand.average).div(s.averageExact) : new Money(1).div(s.placed.length);
      const costUsd = totalUsd.mul(share);
      const standalone = p.member.standaloneTcoUsd === undefined || p.member.standaloneTcoUsd === null ? null : new Money(p.member.standaloneTcoUsd);
      return {
        workload: p.member.workload,
        modelId: p.member.modelId,
        adapter: p.member.modelId !== s.baseModelId,
        averageDemandReplicas: p.demand.average,
        peakDemandReplicas: p.demand.peak,
        loadShare: share.toNumber(),
        gpuCostUsd: s.gpuCostUsd.mul(share),
        overheadUsd: s.overheadUsd.mul(share),
        peopleUsd: peopleUsd.mul(share),
        costUsd,
        standaloneTcoUsd: standalone,
        savingsUsd: standalone === null ? null : standalone.minus(costUsd),
      };
    });
    return {
      id: `${s.baseModelId}|${deploymentKey(s.quote.deployment)}`,
      baseModelId: s.baseModelId,
      modelIds: [...new Set(s.placed.map((p) => p.member.modelId))].sort(),
      deployment: { ...s.quote.deployment },
      usdPerGpuHour: s.usdPerGpuHour,
      averageDemandReplicas: s.average,
      peakDemandReplicas: s.peak,
      peakBasis: s.peakBasis,
      servingReplicas: s.serving,
      spareReplicas: s.replicas - s.serving,
      replicas: s.replicas,
      gpusPerReplica: tp,
      gpuCount: s.replicas * tp,
      gpuHoursPerMonth: s.replicas * tp * r.hoursPerMonth,
      utilisation: s.average / s.replicas,
      peakUtilisation: s.peak / s.replicas,
      gpuCostUsd: s.gpuCostUsd,
      overheadUsd: s.overheadUsd,
      peopleUsd,
      totalUsd,
      members: fleetMembers,
      notes: s.notes,
    };
  });

  const sum = (xs: Decimal[]) => xs.reduce((a, b) => a.plus(b), new Money(0));
  const gpuCostUsd = sum(fleets.map((f) => f.gpuCostUsd));
  const overheadUsd = sum(fleets.map((f) => f.overheadUsd));
  const totalUsd = gpuCostUsd.plus(overheadUsd).plus(orgPeopleUsd);
  const allMembers = fleets.flatMap((f) => f.members);
  const standaloneTotalUsd = allMembers.length > 0 && allMembers.every((m) => m.standaloneTcoUsd !== null) ? sum(allMembers.map((m) => m.standaloneTcoUsd!)) : null;
  const notes = [
    `replicas = ceil(p${Math.round(r.peakQuantile * 100)} replica-demand / ${r.targetUtilisation}) + ${r.spare} spare per fleet (at least ${r.minReplicas}); always-on at ${r.hoursPerMonth} h/month`,
    `people: ${engineers} FTE (${r.teamMaturity} team ${r.engineerFraction} + ${r.extraFleetEngineerFraction} per extra fleet) x $${r.engineerMonthlyCostUsd.toFixed()}/month, once per org, split by replica-demand`,
    'members without an hourly series are assumed to peak at the same hour as the rest of their fleet',
  ];
  return {
    fleets,
    orgPeopleUsd,
    people: { teamMaturity: r.teamMaturity, engineers, engineerMonthlyCostUsd: r.engineerMonthlyCostUsd, extraFleetEngineerFraction: r.extraFleetEngineerFraction },
    gpuCostUsd,
    overheadUsd,
    totalUsd,
    standaloneTotalUsd,
    savingsUsd: standaloneTotalUsd === null ? null : standaloneTotalUsd.minus(totalUsd),
    skipped,
    notes,
  };
}

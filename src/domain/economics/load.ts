/** 365 days x 24 h / 12 months = 730 hours in an average month. */
export const HOURS_PER_MONTH = 730;

/** Plan so the busiest hour runs replicas at 60% of their latency-bound capacity: headroom for bursts inside the hour. */
export const DEFAULT_TARGET_UTILISATION = 0.6;

/** N+1: one spare replica so a failure or a rolling deploy does not drop capacity below peak. */
export const DEFAULT_REDUNDANCY_REPLICAS = 1;

/** Peak = this quantile of hourly load, so a single freak hour does not size the fleet. */
export const PEAK_QUANTILE = 0.95;

export interface HourlyTokens {
  inputTokens: number;
  outputTokens: number;
}

export interface LoadOptions {
  /** Average tokens per request, input + output (tokens): converts token volumes to requests. */
  tokensPerRequest: number;
  /** Hour of day (0-23, UTC) of series[0]. */
  startHourOfDay?: number;
}

/**
 * Demand in requests/s (what the capacity model serves: each request has the
 * workload's average shape), with the same figures in tokens/s (input + output).
 */
export interface LoadProfile {
  /** Mean demand (requests/s). */
  averageRequestsPerSec: number;
  /** p95 of hourly demand (requests/s). */
  peakRequestsPerSec: number;
  /** p95 demand (requests/s) for each hour of day 0-23; null without an hourly series. */
  hourOfDayRequestsPerSec: number[] | null;
  /** Mean demand (tokens/s, input + output). */
  averageTokPerSec: number;
  /** p95 of hourly demand (tokens/s, input + output). */
  peakTokPerSec: number;
  /** Tokens per request used for the conversion (tokens). */
  tokensPerRequest: number;
  hours: number;
}

/** Linear-interpolation quantile (type 7, as numpy's default) of a non-empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const lv = sorted[lo] as number;
  const hv = sorted[hi] as number;
  return lv + (hv - lv) * (pos - lo);
}

function perRequest(tokensPerRequest: number): number {
  return tokensPerRequest > 0 ? tokensPerRequest : 1;
}

/** Average and p95 demand (requests/s and tokens/s) from an hourly token series and tokens per request; null when empty. */
export function loadProfileFromHourly(series: readonly HourlyTokens[], opts: LoadOptions): LoadProfile | null {
  if (series.length === 0) return null;
  const tpr = perRequest(opts.tokensPerRequest);
  const start = opts.startHourOfDay ?? 0;
  const tokPerSec = series.map((h) => (Math.max(0, h.outputTokens) + Math.max(0, h.inputTokens)) / 3600);
  const byHourOfDay: number[][] = Array.from({ length: 24 }, () => []);
  tokPerSec.forEach((v, i) => byHourOfDay[(((start + i) % 24) + 24) % 24]?.push(v));
  const averageTokPerSec = tokPerSec.reduce((a, b) => a + b, 0) / tokPerSec.length;
  const peakTokPerSec = quantile(tokPerSec, PEAK_QUANTILE);
  return {
    averageRequestsPerSec: averageTokPerSec / tpr,
    peakRequestsPerSec: peakTokPerSec / tpr,
    hourOfDayRequestsPerSec: byHourOfDay.map((vs) => (vs.length === 0 ? 0 : quantile(vs, PEAK_QUANTILE) / tpr)),
    averageTokPerSec,
    peakTokPerSec,
    tokensPerRequest: tpr,
    hours: tokPerSec.length,
  };
}

/** Profile (requests/s, tokens/s) from monthly tokens (tokens/month), tokens per request and a peak-to-average ratio. */
export function loadProfileFromMonthly(
  monthly: { inputTokens: number; outputTokens: number },
  peakToAverage: number,
  opts: { tokensPerRequest: number; hoursPerMonth?: number },
): LoadProfile {
  const tpr = perRequest(opts.tokensPerRequest);
  const hours = opts.hoursPerMonth ?? HOURS_PER_MONTH;
  const avg = (Math.max(0, monthly.outputTokens) + Math.max(0, monthly.inputTokens)) / (hours * 3600);
  const peak = avg * Math.max(1, peakToAverage);
  return {
    averageRequestsPerSec: avg / tpr,
    peakRequestsPerSec: peak / tpr,
    hourOfDayRequestsPerSec: null,
    averageTokPerSec: avg,
    peakTokPerSec: peak,
    tokensPerRequest: tpr,
    hours,
  };
}

/** Multiplies every demand figure of a profile (requests/s, tokens/s) by `factor` (volume sensitivity, crossover search). */
export function scaleProfile(profile: LoadProfile, factor: number): LoadProfile {
  return {
    ...profile,
    averageRequestsPerSec: profile.averageRequestsPerSec * factor,
    peakRequestsPerSec: profile.peakRequestsPerSec * factor,
    hourOfDayRequestsPerSec: profile.hourOfDayRequestsPerSec?.map((v) => v * factor) ?? null,
    averageTokPerSec: profile.averageTokPerSec * factor,
    peakTokPerSec: profile.peakTokPerSec * factor,
  };
}

export interface ReplicaPlanOptions {
  targetUtilisation?: number;
  redundancyReplicas?: number;
  /** Replicas kept even at zero load; default 1 + redundancy. */
  minReplicas?: number;
  hoursPerMonth?: number;
}

export interface ProvisioningPlan {
  /** Replicas running (GPUs in use = replicas x gpusPerReplica). */
  replicas: number;
  /** Mean replicas over the month (equals replicas when always-on). */
  averageReplicas: number;
  /** Replicas per hour of day 0-23 (scaled plans only). */
  replicasByHour: number[] | null;
  /** GPU-hours per month at 730 h/month. */
  gpuHoursPerMonth: number;
  /** Average demand / average provisioned capacity (0-1). */
  utilisation: number;
}

export interface ReplicaPlan {
  /** Replicas that serve p95 demand at the target utilisation, before redundancy. */
  servingReplicasAtPeak: number;
  redundancyReplicas: number;
  minReplicas: number;
  alwaysOn: ProvisioningPlan;
  /** Replicas follow the hour-of-day p95 profile; null without an hourly series. */
  scaled: ProvisioningPlan | null;
  targetUtilisation: number;
  hoursPerMonth: number;
}

/** Replicas needed for `demand` (requests/s) at `perReplica` capacity (requests/s) x target utilisation; float noise tolerated. */
function servingReplicas(demand: number, perReplica: number, util: number): number {
  if (demand <= 0) return 0;
  return Math.ceil(demand / (perReplica * util) - 1e-9);
}

/**
 * Replicas at p95 demand (requests/s) / (capacity per replica (requests/s) x target
 * utilisation) + redundancy, always-on and per hour-of-day, as GPU-hours/month.
 */
export function planReplicas(
  profile: LoadProfile,
  capacityRequestsPerSec: number,
  gpusPerReplica: number,
  opts: ReplicaPlanOptions = {},
): ReplicaPlan | null {
  if (!(capacityRequestsPerSec > 0) || !(gpusPerReplica >= 1)) return null;
  const util = opts.targetUtilisation ?? DEFAULT_TARGET_UTILISATION;
  const redundancy = Math.max(0, Math.floor(opts.redundancyReplicas ?? DEFAULT_REDUNDANCY_REPLICAS));
  const minReplicas = Math.max(1, Math.floor(opts.minReplicas ?? 1 + redundancy));
  const hoursPerMonth = opts.hoursPerMonth ?? HOURS_PER_MONTH;
  const serving = servingReplicas(profile.peakRequestsPerSec, capacityRequestsPerSec, util);
  const alwaysOnReplicas = Math.max(minReplicas, Math.max(1, serving) + redundancy);
  const utilisationAt = (avgReplicas: number): number =>
    avgReplicas > 0 ? profile.averageRequestsPerSec / (avgReplicas * capacityRequestsPerSec) : 0;

  const alwaysOn: ProvisioningPlan = {
    replicas: alwaysOnReplicas,
    averageReplicas: alwaysOnReplicas,
    replicasByHour: null,
    gpuHoursPerMonth: alwaysOnReplicas * gpusPerReplica * hoursPerMonth,
    utilisation: utilisationAt(alwaysOnReplicas),
  };

  let scaled: ProvisioningPlan | null = null;
  if (profile.hourOfDayRequestsPerSec !== null) {
    // Capped at the always-on fleet: scaling may only remove replicas, never size above the p95 plan.
    const byHour = profile.hourOfDayRequestsPerSec.map((d) =>
      Math.min(alwaysOnReplicas, Math.max(minReplicas, servingReplicas(d, capacityRequestsPerSec, util) + redundancy)),
    );
    const avgReplicas = byHour.reduce((a, b) => a + b, 0) / byHour.length;
    scaled = {
      replicas: Math.max(...byHour),
      averageReplicas: avgReplicas,
      replicasByHour: byHour,
      gpuHoursPerMonth: avgReplicas * gpusPerReplica * hoursPerMonth,
      utilisation: utilisationAt(avgReplicas),
    };
  }
  return { servingReplicasAtPeak: serving, redundancyReplicas: redundancy, minReplicas, alwaysOn, scaled, targetUtilisation: util, hoursPerMonth };
}

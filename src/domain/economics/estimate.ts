import type { Decimal } from 'decimal.js';
import { Money } from '../money.js';
import {
  assumptionRecords,
  DEFAULT_ASSUMPTIONS,
  mergeAssumptions,
  type Assumptions,
  type AssumptionRecord,
  type ResolvedAssumptions,
  type ScalingMode,
} from './assumptions.js';
import { cheaperClosedAlternatives, managedOpenAlternatives } from './api-alternatives.js';
import { NO_API_OFFERS, type CatalogWithOffers } from './api-offers.js';
import { apiMonthlyCost, compareToCurrent, migrationCost, type Comparison } from './compare.js';
import { earliestCrossover, findCrossover, type CrossoverResult, type TokenRange } from './crossover.js';
import type {
  ApiAlternative,
  CrossoverOption,
  CurrentCost,
  EconomicsInput,
  EconomicsResult,
  OptionCrossover,
  SelfHostOption,
  WorkloadFacts,
} from './estimate-types.js';
import { loadProfileFromHourly, loadProfileFromMonthly, scaleProfile, type LoadProfile } from './load.js';
import { cheapestCandidate, costCandidate, selfHostCandidates, selfHostOptions, type Candidate } from './self-host-options.js';
import { runSensitivity, type SensitivityRow } from './sensitivity.js';
import type { ApiPrice, Catalog, TokenVolumes } from './types.js';

export type {
  ApiAlternative,
  CrossoverOption,
  CurrentCost,
  EconomicsInput,
  EconomicsResult,
  InfeasibleOption,
  OptionCapacity,
  OptionCrossover,
  SelfHostOption,
} from './estimate-types.js';

function totalTokens(v: TokenVolumes): number {
  return v.inputTokens + v.outputTokens;
}

function nonNegative(n: number | undefined): number {
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : 0;
}

/**
 * Monthly economics of moving a workload from its closed API to open models:
 * every feasible self-host option (GPU x precision, cheapest first, USD as
 * Decimal) with its crossover volumes (tokens/month) against today's API and
 * against the cheapest managed API serving the same model, managed open APIs,
 * cheaper closed models and tiers (batch / flex for batch-tolerant workloads,
 * from catalog.apiOffers), sensitivity, and every assumption with its origin.
 */
export function estimateEconomics(
  input: EconomicsInput,
  catalog: CatalogWithOffers,
  assumptions: ResolvedAssumptions = mergeAssumptions(DEFAULT_ASSUMPTIONS),
): EconomicsResult {
  const a = assumptions.values;
  const issues = [...assumptions.issues];
  const records: AssumptionRecord[] = assumptionRecords(assumptions);

  // ---- workload ----
  const w = describeWorkload(input, assumptions, records, issues);
  const { profile, inputOutputRatio, explicitP95, derivedP95, shape } = w;

  // ---- current ----
  const current = currentCost(input, catalog, w.volumes, w.avgInputPerRequest, records);

  // ---- migration ----
  const selfHostMigration = migrationCost(a.migrationWeeks, a.fineTune, a.engineerMonthlyCostUsd, a.weeksPerMonth);
  const closedMigration = migrationCost(a.migrationWeeks, false, a.engineerMonthlyCostUsd, a.weeksPerMonth);
  const vs = (alt: Decimal, mig: Decimal): Comparison | null =>
    current.monthlyCostUsd === null ? null : compareToCurrent(current.monthlyCostUsd, alt, mig);

  // ---- self-host options ----
  const { models, candidates, infeasible } = selfHostCandidates(input, catalog, assumptions, w, records, issues);
  const costed = selfHostOptions(candidates, w, a, vs, selfHostMigration.costUsd);

  // ---- API alternatives ----
  const offers = catalog.apiOffers ?? NO_API_OFFERS;
  const managedOpen = managedOpenAlternatives(catalog, models, w, vs, selfHostMigration.costUsd, records, offers);
  const latencyTolerance = input.latencyTolerance === 'batch' ? 'batch' : 'interactive';
  if (input.latencyTolerance !== undefined) records.push({ key: 'workload.latencyTolerance', value: latencyTolerance, origin: 'request' });
  const cheaperClosed = cheaperClosedAlternatives(catalog, current, w, vs, closedMigration.costUsd, records, { latencyTolerance, offers });

  // ---- crossover ----
  const { options, crossover } = crossovers(costed, candidates, current, managedOpen, w, a);

  // ---- sensitivity ----
  const sensitivity = sensitivityRows(current, candidates, w, a, selfHostMigration.costUsd);

  return {
    options,
    infeasible,
    current,
    managedOpen,
    cheaperClosed,
    crossover,
    sensitivity,
    load: {
      averageTokPerSec: profile.averageTokPerSec,
      peakTokPerSec: profile.peakTokPerSec,
      p95ContextTokens: explicitP95 ?? derivedP95,
      inputOutputRatio,
      shape,
    },
    migration: {
      selfHostUsd: selfHostMigration.costUsd,
      managedOpenUsd: selfHostMigration.costUsd,
      closedUsd: closedMigration.costUsd,
      selfHostWeeks: selfHostMigration.weeks,
    },
    assumptions: dedupe(records),
    issues,
  };
}

/** Clamps the request's monthly volumes (tokens/month) and derives request shape and context (tokens), load (requests/s) and the latency target (ms). */
function describeWorkload(
  input: EconomicsInput,
  assumptions: ResolvedAssumptions,
  records: AssumptionRecord[],
  issues: string[],
): WorkloadFacts {
  const a = assumptions.values;
  const volumes: TokenVolumes = {
    inputTokens: nonNegative(input.monthly.inputTokens),
    outputTokens: nonNegative(input.monthly.outputTokens),
    cachedInputTokens: Math.min(nonNegative(input.monthly.inputTokens), nonNegative(input.monthly.cachedInputTokens)),
  };
  if (input.monthly.inputTokens < 0 || input.monthly.outputTokens < 0) issues.push('negative monthly tokens treated as 0');
  if ((input.monthly.cachedInputTokens ?? 0) > volumes.inputTokens) issues.push('cachedInputTokens exceeds inputTokens: clamped');
  const monthlyTotal = totalTokens(volumes);
  // 1e6 caps the ratio for output-free (encoder) workloads so distances stay finite.
  const inputOutputRatio = volumes.outputTokens > 0 ? volumes.inputTokens / volumes.outputTokens : 1e6;

  const avgTokensPerRequest = input.avgTokensPerRequest !== undefined && input.avgTokensPerRequest > 0 ? input.avgTokensPerRequest : a.defaultAvgTokensPerRequest;
  records.push({
    key: 'workload.avgTokensPerRequest',
    value: avgTokensPerRequest,
    origin: input.avgTokensPerRequest !== undefined && input.avgTokensPerRequest > 0 ? 'request' : assumptions.origins.defaultAvgTokensPerRequest ?? 'default',
  });
  const explicitP95 = input.p95ContextTokens !== undefined && input.p95ContextTokens > 0 ? Math.ceil(input.p95ContextTokens) : null;
  const derivedP95 = Math.ceil(avgTokensPerRequest * a.p95ContextMultiplier);
  records.push({
    key: 'workload.p95ContextTokens',
    value: explicitP95 ?? derivedP95,
    origin: explicitP95 !== null ? 'request' : assumptions.origins.p95ContextMultiplier ?? 'default',
    note: explicitP95 !== null ? undefined : `avgTokensPerRequest x p95ContextMultiplier, capped at each model's window`,
  });
  const avgInputPerRequest = monthlyTotal > 0 ? (avgTokensPerRequest * volumes.inputTokens) / monthlyTotal : avgTokensPerRequest;
  const avgOutputPerRequest = avgTokensPerRequest - avgInputPerRequest;
  const requestedLatency = input.latencyTargetP95Ms !== undefined && Number.isFinite(input.latencyTargetP95Ms) && input.latencyTargetP95Ms > 0 ? input.latencyTargetP95Ms : null;
  const latencyTargetP95Ms = requestedLatency ?? a.latencyTargetP95Ms;
  if (input.latencyTargetP95Ms !== undefined && requestedLatency === null) issues.push('latencyTargetP95Ms must be a positive number of ms: default used');
  records.push({
    key: 'workload.latencyTargetP95Ms',
    value: latencyTargetP95Ms,
    origin: requestedLatency !== null ? 'request' : assumptions.origins.latencyTargetP95Ms ?? 'default',
    note: requestedLatency !== null ? 'the workload\'s annotated target' : 'p95 time per request self-hosted replicas are sized for (assumption latencyTargetP95Ms)',
  });

  let profile: LoadProfile;
  let shape: 'hourly' | 'peak-to-average' = 'peak-to-average';
  const monthlyProfile = (): LoadProfile => {
    const peakToAverage = input.peakToAverage !== undefined && input.peakToAverage >= 1 ? input.peakToAverage : a.peakToAverage;
    records.push({
      key: 'workload.peakToAverage',
      value: peakToAverage,
      origin: input.peakToAverage !== undefined && input.peakToAverage >= 1 ? 'request' : assumptions.origins.peakToAverage ?? 'default',
    });
    return loadProfileFromMonthly(volumes, peakToAverage, { tokensPerRequest: avgTokensPerRequest, hoursPerMonth: a.hoursPerMonth });
  };
  const hourlyProfile = input.hourly && input.hourly.length > 0
    ? loadProfileFromHourly(input.hourly, { tokensPerRequest: avgTokensPerRequest, startHourOfDay: input.startHourOfDay })
    : null;
  if (hourlyProfile !== null && hourlyProfile.averageTokPerSec > 0) {
    const target = loadProfileFromMonthly(volumes, 1, { tokensPerRequest: avgTokensPerRequest, hoursPerMonth: a.hoursPerMonth });
    // The series gives the shape; monthly volumes stay authoritative for cost.
    profile = scaleProfile(hourlyProfile, target.averageTokPerSec / hourlyProfile.averageTokPerSec);
    shape = 'hourly';
    records.push({ key: 'workload.shape', value: 'hourly series rescaled to monthly volume', origin: 'request' });
  } else {
    if (hourlyProfile !== null) issues.push('hourly series carries no tokens: peak-to-average used instead');
    profile = monthlyProfile();
  }
  let scaling: ScalingMode = a.scaling;
  if (scaling === 'scaled' && profile.hourOfDayRequestsPerSec === null) {
    issues.push('scaling "scaled" needs an hourly series: always-on used');
    scaling = 'always-on';
  }
  return {
    volumes,
    monthlyTotal,
    inputOutputRatio,
    avgTokensPerRequest,
    avgInputPerRequest,
    avgOutputPerRequest,
    latencyTargetP95Ms,
    explicitP95,
    derivedP95,
    profile,
    shape,
    scaling,
  };
}

/**
 * Each option's crossover volume (tokens/month) twice: against today's cost per
 * token and against the cheapest managed API serving the same open model (its
 * cost per token at the workload's shape), both x t. The result's crossover is
 * the cheapest option's against today's cost: the first option to cross.
 */
function crossovers(
  options: SelfHostOption[],
  candidates: Candidate[],
  current: CurrentCost,
  managedOpen: ApiAlternative[],
  w: WorkloadFacts,
  a: Assumptions,
): { options: SelfHostOption[]; crossover: CrossoverResult<CrossoverOption> } {
  const { monthlyTotal } = w;
  const range: TokenRange = { min: a.crossoverMinTokens, max: a.crossoverMaxTokens };
  const currentRate = current.monthlyCostUsd !== null && monthlyTotal > 0 ? current.monthlyCostUsd.div(monthlyTotal) : null;
  const against = `${current.modelId ?? "today's API"} at today's cost per token`;
  const search = (c: Candidate, usdPerToken: Decimal): CrossoverResult<CrossoverOption> =>
    findCrossover<CrossoverOption>({
      apiCostAt: (t) => usdPerToken.mul(t),
      selfHostAt: (t) => {
        const o = costCandidate(c, t / monthlyTotal, 1, w, a);
        return o === null ? null : { costUsd: o.tcoUsd, option: { optionId: o.id, replicas: o.replicas } };
      },
      minTokens: range.min,
      maxTokens: range.max,
      // Replicas (hence GPU-hours) only grow with demand and people cost is fixed.
      selfHostNonDecreasing: true,
    });

  const vsCurrentById = new Map<string, CrossoverResult<CrossoverOption>>();
  if (currentRate !== null) for (const c of candidates) vsCurrentById.set(optionIdOf(c), search(c, currentRate));
  const byId = new Map(candidates.map((c) => [optionIdOf(c), c]));

  const withCrossovers = options.map((o): SelfHostOption => {
    const c = byId.get(o.id);
    const managed = managedOpen.find((m) => m.modelId !== null && m.modelId.toLowerCase() === o.modelId.toLowerCase());
    const vsManaged = c !== undefined && managed !== undefined && monthlyTotal > 0 ? search(c, managed.monthlyCostUsd.div(monthlyTotal)) : null;
    return {
      ...o,
      crossover: {
        vsCurrent: toOptionCrossover(vsCurrentById.get(o.id) ?? null, against),
        vsManagedOpen: toOptionCrossover(vsManaged, managed ? `${managed.provider} ${managed.model}` : ''),
      },
    };
  });

  let crossover: CrossoverResult<CrossoverOption>;
  if (currentRate === null) {
    crossover = {
      status: 'unavailable',
      monthlyTokens: null,
      reason: monthlyTotal > 0 ? 'no current cost to compare against' : 'no monthly volume to scale',
      searchedTokens: null,
    };
  } else if (candidates.length === 0) {
    crossover = { status: 'unavailable', monthlyTokens: null, reason: 'no feasible self-host option', searchedTokens: range };
  } else {
    crossover = earliestCrossover([...vsCurrentById.values()], range);
  }
  return { options: withCrossovers, crossover };
}

function optionIdOf(c: Candidate): string {
  return `${c.model.id}|${c.gpu.id}|${c.precision}`;
}

/** The per-option view of a crossover search; null when there was nothing to compare. */
function toOptionCrossover(r: CrossoverResult<CrossoverOption> | null, against: string): OptionCrossover | null {
  if (r === null || r.status === 'unavailable') return null;
  return { monthlyTokens: r.status === 'crosses' ? r.monthlyTokens : null, status: r.status, against, searchedTokens: r.searchedTokens };
}

/** Today's cost vs the cheapest self-host option (USD/month) with volume and GPU price scaled by each sensitivity factor. */
function sensitivityRows(
  current: CurrentCost,
  candidates: Candidate[],
  w: WorkloadFacts,
  a: Assumptions,
  migrationUsd: Decimal,
): SensitivityRow[] {
  return runSensitivity(
    (volumeFactor, priceFactor) => {
      const best = cheapestCandidate(candidates, volumeFactor, priceFactor, w, a);
      return {
        currentUsd: current.monthlyCostUsd === null ? null : current.monthlyCostUsd.mul(volumeFactor),
        best: best === null ? null : { optionId: best.id, tcoUsd: best.tcoUsd },
      };
    },
    migrationUsd,
    { volume: a.sensitivityVolumeFactors, gpuPrice: a.sensitivityGpuPriceFactors },
  );
}

function currentCost(
  input: EconomicsInput,
  catalog: Catalog,
  volumes: TokenVolumes,
  avgInputPerRequest: number,
  records: AssumptionRecord[],
): CurrentCost {
  const notes: string[] = [];
  const modelId = input.current.modelId ?? null;
  let price: ApiPrice | null = null;
  if (input.current.price) {
    price = input.current.price;
    records.push({
      key: 'current.price',
      value: `${new Money(price.inputPerMTok).toFixed()}/${new Money(price.outputPerMTok).toFixed()} per 1M in/out`,
      origin: 'request',
    });
  } else if (modelId !== null) {
    const closed = catalog.closedModels.find((m) => m.id.toLowerCase() === modelId.toLowerCase());
    if (closed) {
      price = closed;
      records.push({
        key: 'current.price',
        value: `${new Money(closed.inputPerMTok).toFixed()}/${new Money(closed.outputPerMTok).toFixed()} per 1M in/out`,
        origin: 'reference',
        sourceId: closed.source,
      });
    } else {
      notes.push(`${modelId} is not in the closed-model catalog: unpriced`);
    }
  }
  let listPriceCostUsd: Decimal | null = null;
  if (price !== null) {
    const c = apiMonthlyCost(volumes, price, { avgInputTokensPerRequest: avgInputPerRequest });
    listPriceCostUsd = c.costUsd;
    notes.push(...c.notes);
  }
  const spend = input.current.actualMonthlySpendUsd;
  if (spend !== undefined && spend !== null) {
    let d: Decimal | null = null;
    try {
      d = new Money(spend);
    } catch {
      d = null;
    }
    if (d !== null && d.isFinite() && d.gte(0)) {
      records.push({ key: 'current.actualMonthlySpendUsd', value: d.toFixed(), origin: 'request' });
      return { modelId, monthlyCostUsd: d, basis: 'actual-spend', listPriceCostUsd, notes };
    }
    notes.push('actualMonthlySpendUsd is not a non-negative amount: ignored');
  }
  if (listPriceCostUsd !== null) return { modelId, monthlyCostUsd: listPriceCostUsd, basis: 'list-price', listPriceCostUsd, notes };
  return { modelId, monthlyCostUsd: null, basis: 'unknown', listPriceCostUsd: null, notes: [...notes, 'no spend or price: savings cannot be computed'] };
}

function dedupe(records: AssumptionRecord[]): AssumptionRecord[] {
  const seen = new Map<string, AssumptionRecord>();
  for (const r of records) seen.set(r.key, r);
  return [...seen.values()];
}

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
import { apiMonthlyCost, compareToCurrent, migrationCost, type Comparison } from './compare.js';
import { findCrossover, type CrossoverResult } from './crossover.js';
import type { CrossoverOption, CurrentCost, EconomicsInput, EconomicsResult, WorkloadFacts } from './estimate-types.js';
import { loadProfileFromHourly, loadProfileFromMonthly, scaleProfile, type LoadProfile } from './load.js';
import { cheapestCandidate, selfHostCandidates, selfHostOptions, type Candidate } from './self-host-options.js';
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
 * Decimal), managed open APIs, cheaper closed models, the crossover volume
 * (tokens/month), sensitivity, and every assumption with its origin.
 */
export function estimateEconomics(
  input: EconomicsInput,
  catalog: Catalog,
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
  const options = selfHostOptions(candidates, w, a, vs, selfHostMigration.costUsd);

  // ---- API alternatives ----
  const managedOpen = managedOpenAlternatives(catalog, models, w, vs, selfHostMigration.costUsd, records);
  const cheaperClosed = cheaperClosedAlternatives(catalog, current, w, vs, closedMigration.costUsd, records);

  // ---- crossover ----
  const crossover = crossoverVolume(current, candidates, w, a);

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

/** Clamps the request's monthly volumes (tokens/month) and derives context length (tokens) and load shape (tokens/s). */
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

  let profile: LoadProfile;
  let shape: 'hourly' | 'peak-to-average' = 'peak-to-average';
  const monthlyProfile = (): LoadProfile => {
    const peakToAverage = input.peakToAverage !== undefined && input.peakToAverage >= 1 ? input.peakToAverage : a.peakToAverage;
    records.push({
      key: 'workload.peakToAverage',
      value: peakToAverage,
      origin: input.peakToAverage !== undefined && input.peakToAverage >= 1 ? 'request' : assumptions.origins.peakToAverage ?? 'default',
    });
    return loadProfileFromMonthly(volumes, peakToAverage, { prefillCostFactor: a.prefillCostFactor, hoursPerMonth: a.hoursPerMonth });
  };
  const hourlyProfile = input.hourly && input.hourly.length > 0
    ? loadProfileFromHourly(input.hourly, { prefillCostFactor: a.prefillCostFactor, startHourOfDay: input.startHourOfDay })
    : null;
  if (hourlyProfile !== null && hourlyProfile.averageTokPerSec > 0) {
    const target = loadProfileFromMonthly(volumes, 1, { prefillCostFactor: a.prefillCostFactor, hoursPerMonth: a.hoursPerMonth });
    // The series gives the shape; monthly volumes stay authoritative for cost.
    profile = scaleProfile(hourlyProfile, target.averageTokPerSec / hourlyProfile.averageTokPerSec);
    shape = 'hourly';
    records.push({ key: 'workload.shape', value: 'hourly series rescaled to monthly volume', origin: 'request' });
  } else {
    if (hourlyProfile !== null) issues.push('hourly series carries no tokens: peak-to-average used instead');
    profile = monthlyProfile();
  }
  let scaling: ScalingMode = a.scaling;
  if (scaling === 'scaled' && profile.hourOfDayTokPerSec === null) {
    issues.push('scaling "scaled" needs an hourly series: always-on used');
    scaling = 'always-on';
  }
  return { volumes, monthlyTotal, inputOutputRatio, avgInputPerRequest, explicitP95, derivedP95, profile, shape, scaling };
}

/** Monthly volume (tokens/month) above which the cheapest self-host option beats today's per-token cost. */
function crossoverVolume(current: CurrentCost, candidates: Candidate[], w: WorkloadFacts, a: Assumptions): CrossoverResult<CrossoverOption> {
  const { monthlyTotal } = w;
  const currentRate = current.monthlyCostUsd !== null && monthlyTotal > 0 ? current.monthlyCostUsd.div(monthlyTotal) : null;
  let crossover: CrossoverResult<CrossoverOption>;
  if (currentRate === null) {
    crossover = { monthlyTokens: null, reason: monthlyTotal > 0 ? 'no current cost to compare against' : 'no monthly volume to scale' };
  } else if (candidates.length === 0) {
    crossover = { monthlyTokens: null, reason: 'no feasible self-host option' };
  } else {
    crossover = findCrossover<CrossoverOption>({
      apiCostAt: (t) => currentRate.mul(t),
      selfHostAt: (t) => {
        const best = cheapestCandidate(candidates, t / monthlyTotal, 1, w, a);
        return best === null ? null : { costUsd: best.tcoUsd, option: { optionId: best.id, replicas: best.replicas } };
      },
      minTokens: a.crossoverMinTokens,
      maxTokens: a.crossoverMaxTokens,
    });
  }
  return crossover;
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

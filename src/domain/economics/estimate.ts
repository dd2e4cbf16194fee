import type { Decimal } from 'decimal.js';
import { Money } from '../money.js';
import {
  assumptionRecords,
  DEFAULT_ASSUMPTIONS,
  mergeAssumptions,
  type AssumptionRecord,
  type PriceTier,
  type ResolvedAssumptions,
  type ScalingMode,
} from './assumptions.js';
import { estimateCapacity, type CapacityEstimate } from './capacity.js';
import { apiMonthlyCost, compareToCurrent, migrationCost, type Comparison } from './compare.js';
import { findCrossover, type CrossoverResult } from './crossover.js';
import {
  loadProfileFromHourly,
  loadProfileFromMonthly,
  planReplicas,
  scaleProfile,
  type HourlyTokens,
  type LoadProfile,
} from './load.js';
import { resolveModelId } from './model-key.js';
import { runSensitivity, type SensitivityRow } from './sensitivity.js';
import { sizeDeployment, type MemoryBreakdown } from './sizing.js';
import { gpuHourlyPrice, monthlyTco } from './tco.js';
import type { ApiPrice, Catalog, GpuSpec, ModelSpec, Precision, ThroughputPoint, TokenVolumes } from './types.js';

export interface EconomicsInput {
  /** Catalog ids of the open model(s) to evaluate (case-insensitive). */
  openModelIds: string[];
  /** Precision(s) to evaluate; default: assumptions.precisions (+ the model's native precision). */
  precision?: Precision | Precision[];
  /** GPU id(s) to evaluate; default: every catalog GPU. */
  gpu?: string | string[];
  /** Monthly tokens (tokens/month); cachedInputTokens is a subset of inputTokens. */
  monthly: { inputTokens: number; outputTokens: number; cachedInputTokens?: number };
  /** Average tokens per request, input + output (tokens). */
  avgTokensPerRequest?: number;
  /** p95 tokens per request (input + output); default avgTokensPerRequest x p95ContextMultiplier. */
  p95ContextTokens?: number;
  /** Peak / average demand when no hourly series is given. */
  peakToAverage?: number;
  /** Hourly tokens; gives the shape (peak, daily profile) and is rescaled to the monthly volume. */
  hourly?: HourlyTokens[];
  /** Hour of day (0-23, UTC) of hourly[0]. */
  startHourOfDay?: number;
  current: {
    modelId?: string;
    /** Request-supplied price; otherwise the catalog's list price for modelId. */
    price?: ApiPrice;
    /** Actual monthly spend (USD); when given it is today's cost. */
    actualMonthlySpendUsd?: Decimal.Value;
  };
}

export interface OptionCapacity {
  /** Output tokens/s per replica (the measured point's figure, unchanged, when measured). */
  tokensPerSec: number;
  /** Output-equivalent tokens/s per replica used for replica counts. */
  outputEquivalentTokensPerSec: number;
  source: CapacityEstimate['source'];
  basis: CapacityEstimate['basis'];
  point: ThroughputPoint | null;
  scaleFactor: number | null;
  notes: string[];
}

export interface SelfHostOption {
  /** "model|gpu|precision". */
  id: string;
  modelId: string;
  gpuId: string;
  precision: Precision;
  tensorParallel: number;
  memoryPerGpu: MemoryBreakdown;
  /** Peak replicas running (always-on: all month). */
  replicas: number;
  /** Mean replicas over the month. */
  averageReplicas: number;
  /** GPUs at peak = replicas x tensorParallel. */
  gpuCount: number;
  scaling: ScalingMode;
  gpuHoursPerMonth: number;
  priceTier: PriceTier;
  hourlyPriceUsd: Decimal;
  gpuCostUsd: Decimal;
  peopleCostUsd: Decimal;
  overheadUsd: Decimal;
  tcoUsd: Decimal;
  /** TCO per 1M tokens served (input + output). */
  costPerMTokUsd: Decimal | null;
  /** Average demand / provisioned capacity (0-1). */
  utilisation: number;
  capacity: OptionCapacity;
  vsCurrent: Comparison | null;
  notes: string[];
}

export interface InfeasibleOption {
  modelId: string;
  gpuId: string | null;
  precision: Precision | null;
  reason: string;
  gpusNeeded?: number | null;
}

export interface CurrentCost {
  modelId: string | null;
  /** Today's monthly cost (USD); null when neither spend nor a price is known. */
  monthlyCostUsd: Decimal | null;
  basis: 'actual-spend' | 'list-price' | 'unknown';
  /** List-price cost (USD/month) when a price is known, even if actual spend is the basis. */
  listPriceCostUsd: Decimal | null;
  notes: string[];
}

export interface ApiAlternative {
  provider: string;
  model: string;
  modelId: string | null;
  monthlyCostUsd: Decimal;
  costPerMTokUsd: Decimal | null;
  source: string | null;
  vsCurrent: Comparison | null;
  notes: string[];
}

export interface CrossoverOption {
  optionId: string;
  replicas: number;
}

export interface EconomicsResult {
  options: SelfHostOption[];
  infeasible: InfeasibleOption[];
  current: CurrentCost;
  managedOpen: ApiAlternative[];
  cheaperClosed: ApiAlternative[];
  crossover: CrossoverResult<CrossoverOption>;
  sensitivity: SensitivityRow[];
  load: {
    /** Output-equivalent tokens/s. */
    averageTokPerSec: number;
    peakTokPerSec: number;
    p95ContextTokens: number;
    inputOutputRatio: number;
    shape: 'hourly' | 'peak-to-average';
  };
  migration: { selfHostUsd: Decimal; managedOpenUsd: Decimal; closedUsd: Decimal; selfHostWeeks: number };
  assumptions: AssumptionRecord[];
  issues: string[];
}

/** A feasible (model, GPU, precision) with volume-independent facts. */
interface Candidate {
  model: ModelSpec;
  gpu: GpuSpec;
  precision: Precision;
  tensorParallel: number;
  memoryPerGpu: MemoryBreakdown;
  capacity: CapacityEstimate;
  hourlyPriceUsd: Decimal;
  notes: string[];
}

function totalTokens(v: TokenVolumes): number {
  return v.inputTokens + v.outputTokens;
}

function asArray<T>(v: T | T[] | undefined): T[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
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

  // ---- current ----
  const current = currentCost(input, catalog, volumes, avgInputPerRequest, records);

  // ---- migration ----
  const selfHostMigration = migrationCost(a.migrationWeeks, a.fineTune, a.engineerMonthlyCostUsd, a.weeksPerMonth);
  const closedMigration = migrationCost(a.migrationWeeks, false, a.engineerMonthlyCostUsd, a.weeksPerMonth);
  const vs = (alt: Decimal, mig: Decimal): Comparison | null =>
    current.monthlyCostUsd === null ? null : compareToCurrent(current.monthlyCostUsd, alt, mig);

  // ---- candidates ----
  const infeasible: InfeasibleOption[] = [];
  const models: ModelSpec[] = [];
  if (input.openModelIds.length === 0) issues.push('no open model requested');
  for (const id of input.openModelIds) {
    const m = catalog.models.find((x) => x.id.toLowerCase() === id.toLowerCase());
    if (m === undefined) infeasible.push({ modelId: id, gpuId: null, precision: null, reason: 'model not in catalog' });
    else models.push(m);
  }
  const gpuIds = asArray(input.gpu);
  const gpus = gpuIds === undefined ? catalog.gpus : gpuIds.flatMap((g) => {
    const found = catalog.gpus.find((x) => x.id.toLowerCase() === g.toLowerCase());
    if (found === undefined) issues.push(`GPU ${g} not in catalog`);
    return found ? [found] : [];
  });
  const requestedPrecisions = asArray(input.precision);

  const candidates: Candidate[] = [];
  const capacityContext = { models: catalog.models, gpus: catalog.gpus };
  for (const model of models) {
    if (model.architecture?.source) {
      records.push({ key: `model.${model.id}.architecture`, value: model.id, origin: 'reference', sourceId: model.architecture.source });
    }
    const precisions = requestedPrecisions ?? [
      ...new Set<Precision>([...a.precisions, ...(a.includeNativePrecision && model.nativePrecision ? [model.nativePrecision] : [])]),
    ];
    if (model.kind === 'encoder' && volumes.outputTokens > 0) {
      // Encoders classify or embed; they cannot produce the workload's generated tokens.
      infeasible.push({ modelId: model.id, gpuId: null, precision: null, reason: 'encoder model generates no tokens: suits classification/embedding workloads with zero output tokens' });
      continue;
    }
    const contextTokens = explicitP95 ?? (model.contextTokens !== null ? Math.min(derivedP95, model.contextTokens) : derivedP95);
    for (const gpu of gpus) {
      const price = gpuHourlyPrice(gpu, a.priceTier, a.gpuPriceOverrides[gpu.id]);
      for (const precision of precisions) {
        const sizing = sizeDeployment(
          model,
          gpu,
          precision,
          { concurrentSequences: a.concurrentSequencesPerReplica, contextTokens },
          { kvPrecision: a.kvCachePrecision, gpuMemoryUtilization: a.gpuMemoryUtilization, workspaceGBPerGpu: a.workspaceGBPerGpu },
        );
        if (!sizing.fits) {
          infeasible.push({
            modelId: model.id,
            gpuId: gpu.id,
            precision,
            reason: sizing.reason === 'multi-node' ? `multi-node: needs ${sizing.gpusNeeded ?? 'more than 8'} GPUs` : `${sizing.reason}: ${sizing.detail}`,
            gpusNeeded: sizing.reason === 'multi-node' ? sizing.gpusNeeded : undefined,
          });
          continue;
        }
        if (price.usdPerGpuHour === null) {
          infeasible.push({ modelId: model.id, gpuId: gpu.id, precision, reason: price.reason });
          continue;
        }
        const capacity = estimateCapacity(
          { model, gpu, gpuCount: sizing.tensorParallel, precision, inputOutputRatio, concurrency: a.concurrentSequencesPerReplica },
          catalog.throughput,
          capacityContext,
          { prefillCostFactor: a.prefillCostFactor, rooflineBatchFactor: a.rooflineBatchFactor, encoderMfu: a.encoderMfu },
        );
        if (capacity.tokensPerSec === null || !(capacity.outputEquivalentTokensPerSec > 0)) {
          infeasible.push({ modelId: model.id, gpuId: gpu.id, precision, reason: capacity.tokensPerSec === null ? capacity.reason : 'zero capacity' });
          continue;
        }
        candidates.push({
          model,
          gpu,
          precision,
          tensorParallel: sizing.tensorParallel,
          memoryPerGpu: sizing.perGpu,
          capacity,
          hourlyPriceUsd: price.usdPerGpuHour,
          notes: [...sizing.notes, ...capacity.notes],
        });
        const optionId = `${model.id}|${gpu.id}|${precision}`;
        records.push({
          key: `gpu.${gpu.id}.${a.priceTier}UsdPerHour`,
          value: price.usdPerGpuHour.toFixed(),
          origin: price.origin,
          sourceId: price.sourceId,
        });
        records.push({
          key: `capacity.${optionId}`,
          value: capacity.tokensPerSec,
          origin: capacity.point ? 'reference' : assumptions.origins.rooflineBatchFactor ?? 'default',
          sourceId: capacity.point?.source ?? null,
          note: `${capacity.source}/${capacity.basis}${capacity.scaleFactor !== null ? ` x${capacity.scaleFactor.toFixed(4)}` : ''}`,
        });
      }
    }
  }

  const engineerFraction = a.engineerFractionByMaturity[a.teamMaturity];
  const cost = (c: Candidate, volumeFactor: number, priceFactor: number): Omit<SelfHostOption, 'vsCurrent'> | null => {
    const plan = planReplicas(scaleProfile(profile, volumeFactor), c.capacity.outputEquivalentTokensPerSec, c.tensorParallel, {
      targetUtilisation: a.targetUtilisation,
      redundancyReplicas: a.redundancyReplicas,
      minReplicas: a.minReplicas ?? undefined,
      hoursPerMonth: a.hoursPerMonth,
    });
    if (plan === null) return null;
    const p = scaling === 'scaled' && plan.scaled !== null ? plan.scaled : plan.alwaysOn;
    const hourly = c.hourlyPriceUsd.mul(priceFactor);
    const tco = monthlyTco({
      gpuHoursPerMonth: p.gpuHoursPerMonth,
      usdPerGpuHour: hourly,
      engineerFraction,
      engineerMonthlyCostUsd: a.engineerMonthlyCostUsd,
      overheadFraction: a.overheadFraction,
      monthlyTokens: monthlyTotal * volumeFactor,
    });
    return {
      id: `${c.model.id}|${c.gpu.id}|${c.precision}`,
      modelId: c.model.id,
      gpuId: c.gpu.id,
      precision: c.precision,
      tensorParallel: c.tensorParallel,
      memoryPerGpu: c.memoryPerGpu,
      replicas: p.replicas,
      averageReplicas: p.averageReplicas,
      gpuCount: p.replicas * c.tensorParallel,
      scaling,
      gpuHoursPerMonth: p.gpuHoursPerMonth,
      priceTier: a.priceTier,
      hourlyPriceUsd: hourly,
      gpuCostUsd: tco.gpuCostUsd,
      peopleCostUsd: tco.peopleCostUsd,
      overheadUsd: tco.overheadUsd,
      tcoUsd: tco.tcoUsd,
      costPerMTokUsd: tco.costPerMTokUsd,
      utilisation: p.utilisation,
      capacity: {
        tokensPerSec: c.capacity.tokensPerSec,
        outputEquivalentTokensPerSec: c.capacity.outputEquivalentTokensPerSec,
        source: c.capacity.source,
        basis: c.capacity.basis,
        point: c.capacity.point,
        scaleFactor: c.capacity.scaleFactor,
        notes: c.capacity.notes,
      },
      notes: c.notes,
    };
  };
  const cheapestAt = (volumeFactor: number, priceFactor: number) => {
    let best: Omit<SelfHostOption, 'vsCurrent'> | null = null;
    for (const c of candidates) {
      const o = cost(c, volumeFactor, priceFactor);
      if (o !== null && (best === null || o.tcoUsd.lt(best.tcoUsd))) best = o;
    }
    return best;
  };

  const options: SelfHostOption[] = candidates
    .map((c) => cost(c, 1, 1))
    .filter((o): o is Omit<SelfHostOption, 'vsCurrent'> => o !== null)
    .map((o) => ({ ...o, vsCurrent: vs(o.tcoUsd, selfHostMigration.costUsd) }))
    .sort((x, y) => x.tcoUsd.cmp(y.tcoUsd));

  // ---- API alternatives ----
  const perMTok = (usd: Decimal): Decimal | null => (monthlyTotal > 0 ? usd.div(monthlyTotal).mul(1_000_000) : null);
  const wantedIds = new Set(models.map((m) => m.id.toLowerCase()));
  const managedOpen: ApiAlternative[] = catalog.managedOpenApis
    .filter((m) => {
      const id = m.modelId ?? resolveModelId(m.model, models.map((x) => x.id));
      return id !== null && wantedIds.has(id.toLowerCase());
    })
    .map((m) => {
      const c = apiMonthlyCost(volumes, { inputPerMTok: m.inputPerMTok, outputPerMTok: m.outputPerMTok }, { avgInputTokensPerRequest: avgInputPerRequest });
      records.push({
        key: `managedOpen.${m.provider}.${m.model}`,
        value: `${new Money(m.inputPerMTok).toFixed()}/${new Money(m.outputPerMTok).toFixed()} per 1M in/out`,
        origin: 'reference',
        sourceId: m.source,
        note: m.asOf ? `as of ${m.asOf}` : undefined,
      });
      return {
        provider: m.provider,
        model: m.model,
        modelId: m.modelId,
        monthlyCostUsd: c.costUsd,
        costPerMTokUsd: perMTok(c.costUsd),
        source: m.source,
        vsCurrent: vs(c.costUsd, selfHostMigration.costUsd),
        notes: c.notes,
      };
    })
    .sort((x, y) => x.monthlyCostUsd.cmp(y.monthlyCostUsd));

  const cheaperClosed: ApiAlternative[] = [];
  if (current.monthlyCostUsd !== null) {
    for (const m of catalog.closedModels) {
      if (current.modelId !== null && m.id.toLowerCase() === current.modelId.toLowerCase()) continue;
      const c = apiMonthlyCost(volumes, m, { avgInputTokensPerRequest: avgInputPerRequest });
      if (!c.costUsd.lt(current.monthlyCostUsd)) continue;
      records.push({
        key: `closed.${m.id}.price`,
        value: `${new Money(m.inputPerMTok).toFixed()}/${new Money(m.outputPerMTok).toFixed()} per 1M in/out`,
        origin: 'reference',
        sourceId: m.source,
      });
      cheaperClosed.push({
        provider: m.provider,
        model: m.id,
        modelId: m.id,
        monthlyCostUsd: c.costUsd,
        costPerMTokUsd: perMTok(c.costUsd),
        source: m.source,
        vsCurrent: vs(c.costUsd, closedMigration.costUsd),
        notes: [...c.notes, 'quality not compared: check benchmarks sharing a key and source'],
      });
    }
    cheaperClosed.sort((x, y) => x.monthlyCostUsd.cmp(y.monthlyCostUsd));
  }

  // ---- crossover ----
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
        const best = cheapestAt(t / monthlyTotal, 1);
        return best === null ? null : { costUsd: best.tcoUsd, option: { optionId: best.id, replicas: best.replicas } };
      },
      minTokens: a.crossoverMinTokens,
      maxTokens: a.crossoverMaxTokens,
    });
  }

  // ---- sensitivity ----
  const sensitivity = runSensitivity(
    (volumeFactor, priceFactor) => {
      const best = cheapestAt(volumeFactor, priceFactor);
      return {
        currentUsd: current.monthlyCostUsd === null ? null : current.monthlyCostUsd.mul(volumeFactor),
        best: best === null ? null : { optionId: best.id, tcoUsd: best.tcoUsd },
      };
    },
    selfHostMigration.costUsd,
    { volume: a.sensitivityVolumeFactors, gpuPrice: a.sensitivityGpuPriceFactors },
  );

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


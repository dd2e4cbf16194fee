import type { Decimal } from 'decimal.js';
import type { Assumptions, AssumptionRecord, ResolvedAssumptions } from './assumptions.js';
import { estimateCapacity, type CapacityEstimate } from './capacity.js';
import type { EconomicsInput, InfeasibleOption, SelfHostOption, VsCurrent, WorkloadFacts } from './estimate-types.js';
import { planReplicas, scaleProfile } from './load.js';
import { sizeDeployment, type MemoryBreakdown } from './sizing.js';
import { gpuHourlyPrice, monthlyTco, type HourlyPrice } from './tco.js';
import type { Catalog, GpuSpec, ModelSpec, Precision } from './types.js';

/** A feasible (model, GPU, precision) with volume-independent facts. */
export interface Candidate {
  model: ModelSpec;
  gpu: GpuSpec;
  precision: Precision;
  tensorParallel: number;
  memoryPerGpu: MemoryBreakdown;
  capacity: CapacityEstimate;
  hourlyPriceUsd: Decimal;
  notes: string[];
}

export interface SelfHostCandidates {
  /** The requested open models found in the catalog. */
  models: ModelSpec[];
  candidates: Candidate[];
  infeasible: InfeasibleOption[];
}

function asArray<T>(v: T | T[] | undefined): T[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

/**
 * Every (model, GPU, precision) the request asks for, sized for the workload's context (tokens):
 * the feasible ones as candidates, the rest as infeasible with why.
 */
export function selfHostCandidates(
  input: EconomicsInput,
  catalog: Catalog,
  assumptions: ResolvedAssumptions,
  w: WorkloadFacts,
  records: AssumptionRecord[],
  issues: string[],
): SelfHostCandidates {
  const a = assumptions.values;
  const { volumes, explicitP95, derivedP95 } = w;
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
        const candidate = sizeCandidate(model, gpu, precision, price, contextTokens, catalog, assumptions, w, infeasible, records);
        if (candidate !== null) candidates.push(candidate);
      }
    }
  }
  return { models, candidates, infeasible };
}

/** Sizes one (model, GPU, precision) at `contextTokens` per sequence and looks up its capacity (tokens/s); null when it cannot serve. */
function sizeCandidate(
  model: ModelSpec,
  gpu: GpuSpec,
  precision: Precision,
  price: HourlyPrice,
  contextTokens: number,
  catalog: Catalog,
  assumptions: ResolvedAssumptions,
  w: WorkloadFacts,
  infeasible: InfeasibleOption[],
  records: AssumptionRecord[],
): Candidate | null {
  const a = assumptions.values;
  const { inputOutputRatio } = w;
  const capacityContext = { models: catalog.models, gpus: catalog.gpus };
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
    return null;
  }
  if (price.usdPerGpuHour === null) {
    infeasible.push({ modelId: model.id, gpuId: gpu.id, precision, reason: price.reason });
    return null;
  }
  const capacity = estimateCapacity(
    { model, gpu, gpuCount: sizing.tensorParallel, precision, inputOutputRatio, concurrency: a.concurrentSequencesPerReplica },
    catalog.throughput,
    capacityContext,
    { prefillCostFactor: a.prefillCostFactor, rooflineBatchFactor: a.rooflineBatchFactor, encoderMfu: a.encoderMfu },
  );
  if (capacity.tokensPerSec === null || !(capacity.outputEquivalentTokensPerSec > 0)) {
    infeasible.push({ modelId: model.id, gpuId: gpu.id, precision, reason: capacity.tokensPerSec === null ? capacity.reason : 'zero capacity' });
    return null;
  }
  const candidate: Candidate = {
    model,
    gpu,
    precision,
    tensorParallel: sizing.tensorParallel,
    memoryPerGpu: sizing.perGpu,
    capacity,
    hourlyPriceUsd: price.usdPerGpuHour,
    notes: [...sizing.notes, ...capacity.notes],
  };
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
  return candidate;
}

/** Monthly TCO (USD) of one candidate at volumeFactor x the workload's tokens and priceFactor x its GPU price; null when no replica plan fits. */
export function costCandidate(
  c: Candidate,
  volumeFactor: number,
  priceFactor: number,
  w: WorkloadFacts,
  a: Assumptions,
): Omit<SelfHostOption, 'vsCurrent'> | null {
  const { profile, scaling, monthlyTotal } = w;
  const engineerFraction = a.engineerFractionByMaturity[a.teamMaturity];
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
}

/** The candidate with the lowest monthly TCO (USD) at volumeFactor x the workload and priceFactor x GPU prices; null when none plans. */
export function cheapestCandidate(
  candidates: Candidate[],
  volumeFactor: number,
  priceFactor: number,
  w: WorkloadFacts,
  a: Assumptions,
): Omit<SelfHostOption, 'vsCurrent'> | null {
  let best: Omit<SelfHostOption, 'vsCurrent'> | null = null;
  for (const c of candidates) {
    const o = costCandidate(c, volumeFactor, priceFactor, w, a);
    if (o !== null && (best === null || o.tcoUsd.lt(best.tcoUsd))) best = o;
  }
  return best;
}

/** Every candidate costed at today's volume (USD/month), compared with today's cost, cheapest first. */
export function selfHostOptions(
  candidates: Candidate[],
  w: WorkloadFacts,
  a: Assumptions,
  vs: VsCurrent,
  migrationUsd: Decimal,
): SelfHostOption[] {
  return candidates
    .map((c) => costCandidate(c, 1, 1, w, a))
    .filter((o): o is Omit<SelfHostOption, 'vsCurrent'> => o !== null)
    .map((o) => ({ ...o, vsCurrent: vs(o.tcoUsd, migrationUsd) }))
    .sort((x, y) => x.tcoUsd.cmp(y.tcoUsd));
}

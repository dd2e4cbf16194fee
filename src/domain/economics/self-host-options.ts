import type { Decimal } from 'decimal.js';
import type { Assumptions, AssumptionRecord, ResolvedAssumptions } from './assumptions.js';
import { calibrationFor, estimateCapacity, operatingPoint, type CapacityEstimate } from './capacity.js';
import { interconnectOf, MAX_PCIE_TENSOR_PARALLEL } from './capacity-model.js';
import type { EconomicsInput, InfeasibleOption, OptionPrice, SelfHostOption, VsCurrent, WorkloadFacts } from './estimate-types.js';
import { planReplicas, scaleProfile } from './load.js';
import { sizeDeployment, TENSOR_PARALLEL_DEGREES, type MemoryBreakdown } from './sizing.js';
import { monthlyTco, replicaHourlyPrice } from './tco.js';
import type { Catalog, GpuSpec, ModelSpec, Precision } from './types.js';

/** A feasible (model, GPU, precision) with volume-independent facts. */
export interface Candidate {
  model: ModelSpec;
  gpu: GpuSpec;
  precision: Precision;
  tensorParallel: number;
  memoryPerGpu: MemoryBreakdown;
  /** Per-replica capacity at the workload's shape and latency target (requests/s, tokens/s). */
  capacity: CapacityEstimate;
  /** USD per GPU-hour for one replica of tensorParallel GPUs. */
  hourlyPriceUsd: Decimal;
  price: OptionPrice;
  notes: string[];
  /**
   * The same model, GPU and precision at the other tensor-parallel degrees that serve: costing picks the cheapest
   * degree at each volume, so a crossover or a sensitivity row never compares a degree chosen for another volume.
   */
  alternatives?: Candidate[];
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
      for (const precision of precisions) {
        const candidate = sizeCandidate(model, gpu, precision, contextTokens, catalog, assumptions, w, infeasible, records);
        if (candidate !== null) candidates.push(candidate);
      }
    }
  }
  return { models, candidates, infeasible };
}

/**
 * Sizes one (model, GPU, precision): the smallest tensor-parallel degree whose
 * memory holds the workload's peak concurrency (sequences, Little's law at the
 * latency target) at its p95 context (tokens) and whose replica meets the p95
 * latency target (ms); its capacity (requests/s) and price (USD/GPU-hour).
 * null (with the reason in `infeasible`) when no degree serves.
 */
function sizeCandidate(
  model: ModelSpec,
  gpu: GpuSpec,
  precision: Precision,
  contextTokens: number,
  catalog: Catalog,
  assumptions: ResolvedAssumptions,
  w: WorkloadFacts,
  infeasible: InfeasibleOption[],
  records: AssumptionRecord[],
): Candidate | null {
  const a = assumptions.values;
  const capacityContext = { models: catalog.models, gpus: catalog.gpus };
  const calibration = calibrationFor(catalog.throughput, capacityContext);
  const shape = { inputTokens: w.avgInputPerRequest, outputTokens: w.avgOutputPerRequest };
  const pcie = interconnectOf(gpu) === 'pcie';
  const degrees = TENSOR_PARALLEL_DEGREES.filter((tp) => !pcie || tp <= MAX_PCIE_TENSOR_PARALLEL);
  const sizingOpts = { kvPrecision: a.kvCachePrecision, gpuMemoryUtilization: a.gpuMemoryUtilization, workspaceGBPerGpu: a.workspaceGBPerGpu };
  const reasons: string[] = [];
  interface Sized {
    tp: number;
    capacity: CapacityEstimate;
    memoryPerGpu: MemoryBreakdown;
    notes: string[];
  }
  const variants: (Sized & { price: Extract<ReturnType<typeof replicaHourlyPrice>, { usdPerGpuHour: Decimal }> })[] = [];
  let multiNode: number | null | undefined;
  let priceRefusal: string | null = null;
  for (const tp of degrees) {
    const sized = sizeDeployment(model, gpu, precision, { concurrentSequences: 1, contextTokens }, { ...sizingOpts, tensorParallelDegrees: [tp] });
    if (!sized.fits) {
      if (sized.reason !== 'multi-node') {
        infeasible.push({ modelId: model.id, gpuId: gpu.id, precision, reason: `${sized.reason}: ${sized.detail}` });
        return null;
      }
      multiNode = sized.gpusNeeded;
      continue;
    }
    const capacity = estimateCapacity(
      { model, gpu, tensorParallel: tp, precision, shape, p95ContextTokens: contextTokens, latencyTargetP95Ms: w.latencyTargetP95Ms, kvPrecision: a.kvCachePrecision, gpuMemoryUtilization: a.gpuMemoryUtilization, workspaceGBPerGpu: a.workspaceGBPerGpu },
      calibration,
      capacityContext,
    );
    if (capacity.requestsPerSec === null) {
      reasons.push(`TP ${tp}: ${capacity.reason}`);
      continue;
    }
    if (!(capacity.requestsPerSec > 0)) {
      reasons.push(`TP ${tp}: zero capacity`);
      continue;
    }
    const tpPrice = replicaHourlyPrice(gpu, tp, { tier: a.priceTier, provider: a.gpuProvider ?? null }, a.gpuPriceOverrides[gpu.id]);
    if (tpPrice.usdPerGpuHour === null) {
      priceRefusal = tpPrice.reason;
      continue;
    }
    // Memory shown at the concurrency one serving replica runs in the peak hour.
    const serving = Math.max(1, Math.ceil(w.profile.peakRequestsPerSec / (capacity.requestsPerSec * a.targetUtilisation)));
    const perReplica = Math.max(1, Math.ceil(operatingPoint(capacity, w.profile.peakRequestsPerSec / serving).concurrency - 1e-9));
    const atPeak = sizeDeployment(model, gpu, precision, { concurrentSequences: perReplica, contextTokens }, { ...sizingOpts, tensorParallelDegrees: [tp] });
    variants.push({ tp, capacity, memoryPerGpu: atPeak.fits ? atPeak.perGpu : sized.perGpu, notes: atPeak.fits ? atPeak.notes : sized.notes, price: tpPrice });
  }
  if (variants.length === 0) {
    if (priceRefusal !== null) {
      infeasible.push({ modelId: model.id, gpuId: gpu.id, precision, reason: priceRefusal });
      return null;
    }
    const why = reasons.length > 0 ? reasons.join('; ') : `multi-node: needs ${multiNode ?? 'more than 8'} GPUs`;
    const pcieNote = pcie && reasons.length === 0 && multiNode !== undefined ? ` (${gpu.id} is PCIe-only: tensor parallelism capped at ${MAX_PCIE_TENSOR_PARALLEL})` : '';
    infeasible.push({ modelId: model.id, gpuId: gpu.id, precision, reason: `${why}${pcieNote}`, gpusNeeded: reasons.length === 0 ? multiNode : undefined });
    return null;
  }
  // One candidate per serving degree; the degree is chosen by what the workload's replicas cost at it (GPUs x
  // price, spare included), not by fitting the whole peak into one replica.
  const built: Candidate[] = variants.map((v) => ({
    model,
    gpu,
    precision,
    tensorParallel: v.tp,
    memoryPerGpu: v.memoryPerGpu,
    capacity: v.capacity,
    hourlyPriceUsd: v.price.usdPerGpuHour,
    price: { tier: v.price.tier, usdPerGpuHour: v.price.usdPerGpuHour, provider: v.price.provider, sourceIds: v.price.sourceIds, asOf: v.price.asOf, basis: v.price.basis },
    notes: [...v.notes, ...reasons.map((r) => `other degree: ${r}`), ...v.capacity.notes],
  }));
  let primary: Candidate = built[0]!;
  let primaryCost = costOne(primary, 1, 1, w, a)?.tcoUsd ?? null;
  for (const c of built.slice(1)) {
    const cost = costOne(c, 1, 1, w, a)?.tcoUsd ?? null;
    if (cost !== null && (primaryCost === null || cost.lt(primaryCost))) {
      primary = c;
      primaryCost = cost;
    }
  }
  const candidate: Candidate = { ...primary, alternatives: built.filter((c) => c !== primary) };
  const pick = { tp: primary.tensorParallel, capacity: primary.capacity };
  const replicaPrice = variants.find((v) => v.tp === primary.tensorParallel)!.price;
  const optionId = `${model.id}|${gpu.id}|${precision}`;
  records.push({
    key: `gpu.${gpu.id}.${a.priceTier}UsdPerHour`,
    value: replicaPrice.usdPerGpuHour.toFixed(),
    origin: replicaPrice.origin,
    sourceId: replicaPrice.sourceIds[0] ?? null,
    note: `sources ${replicaPrice.sourceIds.join(', ') || 'none (org override)'}; as of ${replicaPrice.asOf ?? 'unknown'}; provider ${replicaPrice.provider ?? 'any'}${replicaPrice.basis ? `; ${replicaPrice.basis}` : ''}`,
  });
  const cap = pick.capacity;
  records.push({
    key: `capacity.${optionId}`,
    value: Number(cap.requestsPerSec.toPrecision(6)),
    origin: cap.calibrationPoints.length > 0 ? 'reference' : 'default',
    sourceId: cap.calibrationPoints[0]?.source ?? null,
    note: `requests/s per replica at TP ${pick.tp}, ${cap.basis}: ${cap.tokensPerSec.toFixed(1)} output tok/s, ${Math.floor(cap.concurrency)} sequences (${cap.boundBy}-bound), p95 ${Math.round(cap.expectedP95LatencyMs)} ms`,
  });
  return candidate;
}

/**
 * Monthly TCO (USD) of one candidate at volumeFactor x the workload's tokens and priceFactor x its GPU price, at the
 * cheapest of its tensor-parallel degrees for that volume; null when no replica plan fits.
 */
export function costCandidate(c: Candidate, volumeFactor: number, priceFactor: number, w: WorkloadFacts, a: Assumptions): Omit<SelfHostOption, 'vsCurrent'> | null {
  let best = costOne(c, volumeFactor, priceFactor, w, a);
  for (const alt of c.alternatives ?? []) {
    const o = costOne(alt, volumeFactor, priceFactor, w, a);
    if (o !== null && (best === null || o.tcoUsd.lt(best.tcoUsd))) best = o;
  }
  return best;
}

/** Monthly TCO (USD) of one candidate at its own tensor-parallel degree. */
function costOne(
  c: Candidate,
  volumeFactor: number,
  priceFactor: number,
  w: WorkloadFacts,
  a: Assumptions,
): Omit<SelfHostOption, 'vsCurrent'> | null {
  const { profile, scaling, monthlyTotal } = w;
  const engineerFraction = a.engineerFractionByMaturity[a.teamMaturity];
  const scaled = scaleProfile(profile, volumeFactor);
  const plan = planReplicas(scaled, c.capacity.requestsPerSec, c.tensorParallel, {
    targetUtilisation: a.targetUtilisation,
    redundancyReplicas: a.redundancyReplicas,
    minReplicas: a.minReplicas ?? undefined,
    hoursPerMonth: a.hoursPerMonth,
  });
  if (plan === null) return null;
  const p = scaling === 'scaled' && plan.scaled !== null ? plan.scaled : plan.alwaysOn;
  const hourly = c.hourlyPriceUsd.mul(priceFactor);
  // Peak-hour load spread over the serving replicas: where each one runs (Little's law) and its p95 latency.
  const op = operatingPoint(c.capacity, scaled.peakRequestsPerSec / Math.max(1, plan.servingReplicasAtPeak));
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
    price: { ...c.price, usdPerGpuHour: hourly },
    gpuCostUsd: tco.gpuCostUsd,
    peopleCostUsd: tco.peopleCostUsd,
    overheadUsd: tco.overheadUsd,
    tcoUsd: tco.tcoUsd,
    costPerMTokUsd: tco.costPerMTokUsd,
    utilisation: p.utilisation,
    capacity: {
      requestsPerSec: c.capacity.requestsPerSec,
      tokensPerSec: c.capacity.tokensPerSec,
      inputTokensPerSec: c.capacity.inputTokensPerSec,
      concurrency: op.concurrency,
      maxConcurrency: c.capacity.concurrency,
      boundBy: c.capacity.boundBy,
      expectedP95LatencyMs: op.expectedP95LatencyMs,
      latencyTargetP95Ms: c.capacity.latencyTargetP95Ms,
      shape: c.capacity.shape,
      source: c.capacity.basis === 'calibrated-group' ? 'measured' : 'estimated',
      basis: c.capacity.basis,
      fitted: c.capacity.fitted,
      calibrationPoints: c.capacity.calibrationPoints,
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

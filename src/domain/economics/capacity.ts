import { calibrate, groupKey, nearestGroup, type Calibration, type CalibrationContext } from './capacity-calibration.js';
import {
  latencyBoundConcurrency,
  replicaCosts,
  replicaSecPerRequest,
  requestLatencySec,
  type EngineClass,
  type ReplicaCosts,
  type ServingShape,
} from './capacity-model.js';
import type { GpuSpec, IslOsl, KvPrecision, ModelSpec, Precision, ThroughputPoint } from './types.js';

export type { EngineClass, ServingShape } from './capacity-model.js';

/**
 * Default p95 time per request (ms) when neither the request nor the workload
 * states one: 20 s. A stated default, not a measurement: with the p95 request
 * at 2x the average tokens (p95ContextMultiplier), it lets a 300-token average
 * answer stream at ~30 tok/s per sequence (an 8B model on one L4-class card) and
 * asks ~80 tok/s per sequence of an 800-token average answer. At 10 s the
 * 4,000-token (3,200 in / 800 out) Llama-3.3-70B case needs 4 H200s per replica at
 * ~5% utilisation. Orgs and workloads override it (EconomicsInput.latencyTargetP95Ms).
 */
export const DEFAULT_LATENCY_TARGET_P95_MS = 20_000;

/**
 * Engine the self-host options are costed for: the TensorRT-LLM class (TensorRT-LLM,
 * NIM), because 30 of the 31 reproducible reference points measure it. vLLM's engine
 * factor is fitted too (one point) and shown with every estimate.
 */
export const DEFAULT_SERVING_ENGINE: EngineClass = 'trtllm';

export type CapacityContext = CalibrationContext;

export interface CapacityQuery {
  model: ModelSpec;
  gpu: GpuSpec;
  /** GPUs in one replica (tensor-parallel degree). */
  tensorParallel: number;
  precision: Precision;
  /** Average input and output tokens per request (tokens). */
  shape: ServingShape;
  /** p95 tokens per request, input + output (tokens): sizes the KV per sequence and scales mean latency to p95. */
  p95ContextTokens: number;
  /** p95 time per request the replica must meet (ms); default DEFAULT_LATENCY_TARGET_P95_MS. */
  latencyTargetP95Ms?: number;
  kvPrecision?: KvPrecision;
  engine?: EngineClass;
  gpuMemoryUtilization?: number;
  workspaceGBPerGpu?: number;
}

/** A measured point behind an estimate, as shown to the user. */
export interface CalibrationPointRef {
  model: string;
  gpu: string;
  count: number;
  precision: Precision | null;
  islOsl: IslOsl | null;
  concurrency: number | 'saturated';
  engine: string;
  source: string;
  /** Output tokens/s the source measured for the whole replica. */
  measuredTokPerSec: number;
}

export interface FittedParameters {
  /** Fraction of peak TFLOPS reached by prefill and decode matmuls, fitted on every reproducible point. */
  prefillEfficiency: number;
  /** Fraction of peak memory bandwidth reached by decode, fitted on every reproducible point. */
  decodeBandwidthEfficiency: number;
  /** Reproducible points the efficiencies were fitted on. */
  fittedOnPoints: number;
  engine: EngineClass;
  /** Geometric-mean residual of the engine's points (dimensionless). */
  engineFactor: number;
  /** Residual of the calibrated (model, GPU, precision, engine) group used, 1 when none is near (dimensionless). */
  groupFactor: number;
  /** "model|gpu|precision|engine" of that group; null when none is near. */
  group: string | null;
}

export interface CapacityEstimate {
  /** Requests/s one replica completes at `concurrency` (requests/s). */
  requestsPerSec: number;
  /** Output tokens/s per replica at the workload's shape (tokens/s). */
  tokensPerSec: number;
  /** Input tokens/s per replica at the workload's shape (tokens/s). */
  inputTokensPerSec: number;
  /** Most sequences one replica runs at once within the latency target, the KV pool and the engine cap (sequences). */
  concurrency: number;
  boundBy: 'latency' | 'memory' | 'engine';
  /** Each limit on concurrent sequences per replica (sequences): latency target, KV pool at p95 context, engine batch cap. */
  concurrencyLimits: { latency: number; memory: number; engine: number };
  /** p95 time per request at `concurrency` (ms). */
  expectedP95LatencyMs: number;
  /** p95 time per request with the replica otherwise idle (ms). */
  idleP95LatencyMs: number;
  latencyTargetP95Ms: number;
  shape: ServingShape;
  p95ContextTokens: number;
  basis: 'calibrated-group' | 'nearest-group' | 'physics';
  fitted: FittedParameters;
  calibrationPoints: CalibrationPointRef[];
  /** Calibrated per-replica time terms (s); used to place an operating point for a given load. */
  costs: ReplicaCosts;
  notes: string[];
}

export type CapacityResult = CapacityEstimate | { requestsPerSec: null; reason: string };

const calibrationCache = new WeakMap<readonly ThroughputPoint[], Calibration>();

/** The calibration of a throughput table (fitted once per table object and cached). */
export function calibrationFor(table: readonly ThroughputPoint[], context: CapacityContext): Calibration {
  const cached = calibrationCache.get(table);
  if (cached !== undefined) return cached;
  const cal = calibrate(table, context);
  calibrationCache.set(table, cal);
  return cal;
}

/** p95 / mean time per request (dimensionless): a p95-sized request carries p95 / average tokens, and time grows with tokens. */
export function p95LatencyRatio(shape: ServingShape, p95ContextTokens: number): number {
  const avg = Math.max(1, shape.inputTokens + shape.outputTokens);
  return Math.max(1, p95ContextTokens / avg);
}

function pointRef(p: ThroughputPoint): CalibrationPointRef {
  return {
    model: p.model,
    gpu: p.gpu,
    count: p.count,
    precision: p.precision,
    islOsl: p.islOsl,
    concurrency: p.concurrency,
    engine: p.engine,
    source: p.source,
    measuredTokPerSec: p.outputTokPerSec,
  };
}

/**
 * Per-replica capacity (requests/s, output tokens/s) of one (model, GPU, TP,
 * precision) at the workload's request shape and p95 latency target (ms), from
 * the calibrated prefill/decode model; a reason instead when it cannot serve.
 */
export function estimateCapacity(query: CapacityQuery, calibration: Calibration, context: CapacityContext): CapacityResult {
  const { model, gpu, tensorParallel, precision, shape } = query;
  const engine = query.engine ?? DEFAULT_SERVING_ENGINE;
  const target = query.latencyTargetP95Ms ?? DEFAULT_LATENCY_TARGET_P95_MS;
  if (!(target > 0)) return { requestsPerSec: null, reason: 'latency target must be > 0 ms' };
  const match = nearestGroup(calibration, model, gpu, precision, engine, context);
  const engineFactor = calibration.engines[engine].factor;
  const speedFactor = engineFactor * match.factor;
  const r = replicaCosts(
    { model, gpu, tensorParallel, precision, kvPrecision: query.kvPrecision, engine },
    shape,
    calibration.global.efficiencies,
    {
      gpuMemoryUtilization: query.gpuMemoryUtilization,
      workspaceGBPerGpu: query.workspaceGBPerGpu,
      memoryContextTokens: query.p95ContextTokens,
      speedFactor,
    },
  );
  if (!r.ok) return { requestsPerSec: null, reason: r.reason };
  const costs = r.costs;
  if (costs.memoryConcurrency < 1) {
    return { requestsPerSec: null, reason: `weights + one ${query.p95ContextTokens}-token sequence do not fit ${tensorParallel}x ${gpu.id}` };
  }
  const ratio95 = p95LatencyRatio(shape, query.p95ContextTokens);
  const idleP95 = requestLatencySec(costs, shape, 1) * ratio95 * 1000;
  if (idleP95 > target) {
    return {
      requestsPerSec: null,
      reason: `p95 latency ${Math.round(idleP95)} ms with the replica idle exceeds the ${target} ms target (${tensorParallel}x ${gpu.id} ${precision})`,
    };
  }
  const byLatency = latencyBoundConcurrency(costs, shape, target / 1000 / ratio95);
  const candidates: [number, CapacityEstimate['boundBy']][] = [
    [byLatency, 'latency'],
    [costs.memoryConcurrency, 'memory'],
    [costs.engineMaxConcurrency, 'engine'],
  ];
  const [concurrency, boundBy] = candidates.reduce((a, b) => (b[0] < a[0] ? b : a));
  const secPerRequest = replicaSecPerRequest(costs, shape, concurrency);
  const requestsPerSec = secPerRequest > 0 ? 1 / secPerRequest : 0;
  const groupPoints = match.group === null
    ? []
    : calibration.usable.filter((p) => groupKey(p.model.id, p.gpu.id, p.precision, p.engine) === match.group?.key).map((p) => pointRef(p.point));
  const basis: CapacityEstimate['basis'] = match.group === null ? 'physics' : match.distance === 0 ? 'calibrated-group' : 'nearest-group';
  const notes = [
    `${costs.computeBasis}; ${gpu.memBandwidthTBs} TB/s x ${tensorParallel}; efficiencies ${calibration.global.efficiencies.prefillEfficiency.toFixed(3)} (FLOPs) / ${calibration.global.efficiencies.decodeBandwidthEfficiency.toFixed(3)} (bandwidth) fitted on ${calibration.global.points} points`,
    `engine ${engine} factor ${engineFactor.toFixed(3)}; ${match.group === null ? 'no calibrated group near: physics only' : `group ${match.group.key} factor ${match.factor.toFixed(3)}${basis === 'nearest-group' ? ' (borrowed: nearest calibrated group, scaled across by FLOPs and bandwidth)' : ''}`}`,
    `${Math.floor(concurrency)} concurrent sequences (bound by ${boundBy}) at ${shape.inputTokens.toFixed(0)} in / ${shape.outputTokens.toFixed(0)} out tokens per request`,
  ];
  return {
    requestsPerSec,
    tokensPerSec: requestsPerSec * shape.outputTokens,
    inputTokensPerSec: requestsPerSec * shape.inputTokens,
    concurrency,
    boundBy,
    concurrencyLimits: { latency: byLatency, memory: costs.memoryConcurrency, engine: costs.engineMaxConcurrency },
    expectedP95LatencyMs: requestLatencySec(costs, shape, concurrency) * ratio95 * 1000,
    idleP95LatencyMs: idleP95,
    latencyTargetP95Ms: target,
    shape,
    p95ContextTokens: query.p95ContextTokens,
    basis,
    fitted: {
      prefillEfficiency: calibration.global.efficiencies.prefillEfficiency,
      decodeBandwidthEfficiency: calibration.global.efficiencies.decodeBandwidthEfficiency,
      fittedOnPoints: calibration.global.points,
      engine,
      engineFactor,
      groupFactor: match.factor,
      group: match.group?.key ?? null,
    },
    calibrationPoints: groupPoints,
    costs,
    notes,
  };
}

export interface OperatingPoint {
  /** Sequences in flight on one replica at this arrival rate (sequences, may be fractional). */
  concurrency: number;
  /** p95 time per request (ms). */
  expectedP95LatencyMs: number;
  /** True when the arrival rate exceeds what the replica serves within the latency target. */
  overloaded: boolean;
}

/**
 * Where one replica runs when requests arrive at `requestsPerSec` (requests/s):
 * Little's law, concurrency = arrival rate x time per request at that concurrency,
 * solved by bisection up to `maxConcurrency` (default: the estimate's); p95 latency in ms.
 */
export function operatingPoint(est: CapacityEstimate, requestsPerSec: number, maxConcurrency: number = est.concurrency): OperatingPoint {
  const ratio95 = p95LatencyRatio(est.shape, est.p95ContextTokens);
  const latencyAt = (c: number): number => requestLatencySec(est.costs, est.shape, c);
  const lambda = Math.max(0, requestsPerSec);
  if (lambda === 0) return { concurrency: 0, expectedP95LatencyMs: latencyAt(1) * ratio95 * 1000, overloaded: false };
  const cMax = maxConcurrency;
  if (cMax - lambda * latencyAt(cMax) < 0) {
    return { concurrency: cMax, expectedP95LatencyMs: latencyAt(cMax) * ratio95 * 1000, overloaded: true };
  }
  let lo = 0;
  let hi = cMax;
  for (let i = 0; i < 60; i += 1) {
    const mid = (lo + hi) / 2;
    if (mid - lambda * latencyAt(mid) < 0) lo = mid;
    else hi = mid;
  }
  return { concurrency: hi, expectedP95LatencyMs: latencyAt(hi) * ratio95 * 1000, overloaded: false };
}

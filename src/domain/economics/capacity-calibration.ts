import {
  ENGINE_CLASSES,
  engineClassOf,
  outputTokPerSecAt,
  replicaCosts,
  saturatedConcurrency,
  type Efficiencies,
  type EngineClass,
  type ReplicaCosts,
  type ServingShape,
} from './capacity-model.js';
import { sameModel } from './model-key.js';
import type { GpuSpec, KvPrecision, ModelSpec, Precision, ThroughputPoint } from './types.js';

export interface CalibrationContext {
  models: readonly ModelSpec[];
  gpus: readonly GpuSpec[];
}

/** A measured point the model can reproduce: model, GPU, precision and request shape all known. */
export interface UsablePoint {
  point: ThroughputPoint;
  model: ModelSpec;
  gpu: GpuSpec;
  precision: Precision;
  shape: ServingShape;
  engine: EngineClass;
}

export interface ExcludedPoint {
  point: ThroughputPoint;
  reason: string;
}

/** Lowest efficiency the fit considers (dimensionless); the highest is 1 (peak). */
const EFFICIENCY_MIN = 0.02;

/** Fallback efficiencies when an engine has no usable point: the mid-range of the grid, stated as such. */
export const UNCALIBRATED_EFFICIENCIES: Readonly<Efficiencies> = Object.freeze({ prefillEfficiency: 0.4, decodeBandwidthEfficiency: 0.6 });

function pointModelName(p: ThroughputPoint): string {
  return p.modelId ?? p.model;
}

/** Splits the reference's points into ones the model can reproduce and ones it cannot, with why. */
export function usablePoints(table: readonly ThroughputPoint[], ctx: CalibrationContext): { usable: UsablePoint[]; excluded: ExcludedPoint[] } {
  const usable: UsablePoint[] = [];
  const excluded: ExcludedPoint[] = [];
  for (const point of table) {
    const model = ctx.models.find((m) => sameModel(m.id, pointModelName(point)));
    const gpu = ctx.gpus.find((g) => g.id === point.gpu);
    let reason: string | null = null;
    if (point.derived) reason = 'derived by the reference author, not a published figure';
    else if (point.islOsl === null) reason = 'input/output lengths not published: saturated throughput moves up to 4x with the shape (trtllm_perf pairs), so the point cannot be reproduced';
    else if (point.precision === null) reason = 'precision not stated';
    else if (point.precisionAssumed) reason = 'precision assumed by the reference, not published';
    else if (model === undefined) reason = `model ${point.model} not in the catalog`;
    else if (gpu === undefined) reason = `GPU ${point.gpu} not in the catalog`;
    if (reason !== null || model === undefined || gpu === undefined || point.islOsl === null || point.precision === null) {
      excluded.push({ point, reason: reason ?? 'unusable' });
      continue;
    }
    usable.push({ point, model, gpu, precision: point.precision, shape: { inputTokens: point.islOsl.input, outputTokens: point.islOsl.output }, engine: engineClassOf(point.engine) });
  }
  return { usable, excluded };
}

/**
 * KV element width the benchmark ran with: TensorRT-LLM's fp8 runs (and NIM, which
 * serves TensorRT-LLM fp8 engines) quantise the KV cache too (TensorRT-LLM's perf docs'
 * fp8 network configs set kv_cache_quant_algo FP8); vLLM keeps bf16 KV unless told otherwise.
 */
export function benchmarkKvPrecision(p: UsablePoint): KvPrecision {
  return p.engine !== 'vllm' && p.precision === 'fp8' ? 'fp8' : 'bf16';
}

/** Concurrency (sequences) the point ran at: its stated figure, capped by the KV pool, or the saturated batch. */
export function pointConcurrency(p: UsablePoint, costs: ReplicaCosts): number {
  const sat = saturatedConcurrency(costs);
  return p.point.concurrency === 'saturated' ? sat : Math.min(p.point.concurrency, Math.max(1, costs.memoryConcurrency));
}

/** Model's output tok/s for a measured point's setup with efficiencies `eff` (tokens/s); null when the model cannot place it. */
export function predictPoint(p: UsablePoint, eff: Efficiencies): number | null {
  const r = replicaCosts({ model: p.model, gpu: p.gpu, tensorParallel: p.point.count, precision: p.precision, kvPrecision: benchmarkKvPrecision(p), engine: p.engine }, p.shape, eff);
  if (!r.ok) return null;
  const c = pointConcurrency(p, r.costs);
  if (!(c >= 1)) return null;
  return outputTokPerSecAt(r.costs, p.shape, c);
}

export interface FittedEfficiencies {
  efficiencies: Efficiencies;
  /** Points the fit used. */
  points: number;
  /** Root-mean-square of ln(predicted / measured) over those points, before engine and group factors. */
  rmsLogError: number;
  basis: 'fitted' | 'uncalibrated';
}

export interface EngineFactor {
  engine: EngineClass;
  /** Geometric mean of measured / predicted over the engine's points (dimensionless); 1 without points. */
  factor: number;
  points: number;
}

export interface CalibrationGroup {
  key: string;
  modelId: string;
  gpuId: string;
  precision: Precision;
  engine: EngineClass;
  /** Residual after efficiencies and engine factor: geometric mean of measured / predicted (dimensionless). */
  factor: number;
  points: number;
}

export interface Calibration {
  /** One pair of efficiencies for every GPU and model: the physics carries the differences. */
  global: FittedEfficiencies;
  engines: Record<EngineClass, EngineFactor>;
  groups: CalibrationGroup[];
  usable: UsablePoint[];
  excluded: ExcludedPoint[];
}

/** "model|gpu|precision|engine": the key a calibration group and its residual factor are stored under. */
export function groupKey(modelId: string, gpuId: string, precision: Precision, engine: EngineClass): string {
  return `${modelId}|${gpuId}|${precision}|${engine}`;
}

function sumSquaredLogError(points: readonly UsablePoint[], eff: Efficiencies): number {
  let err = 0;
  for (const p of points) {
    const pred = predictPoint(p, eff);
    // A point the model cannot place at all costs as much as a 22,000x miss (ln = 10).
    const e = pred === null || !(pred > 0) ? 10 : Math.log(pred / p.point.outputTokPerSec);
    err += e * e;
  }
  return err;
}

/**
 * Least squares on ln tok/s over (prefill efficiency, decode bandwidth efficiency) in
 * [0.02, 1]: a 20 x 20 log-spaced grid, then two 11 x 11 refinements around the best cell.
 */
function fitEfficiencies(points: readonly UsablePoint[]): FittedEfficiencies {
  if (points.length === 0) return { efficiencies: { ...UNCALIBRATED_EFFICIENCIES }, points: 0, rmsLogError: Number.NaN, basis: 'uncalibrated' };
  const lo = Math.log(EFFICIENCY_MIN);
  const hi = 0;
  let best: Efficiencies = { ...UNCALIBRATED_EFFICIENCIES };
  let bestErr = Number.POSITIVE_INFINITY;
  let centre: [number, number] = [(lo + hi) / 2, (lo + hi) / 2];
  let halfWidth = (hi - lo) / 2;
  for (const steps of [20, 11, 11]) {
    const [cp, cd] = centre;
    for (let i = 0; i < steps; i += 1) {
      for (let j = 0; j < steps; j += 1) {
        const lp = Math.min(hi, Math.max(lo, cp - halfWidth + (2 * halfWidth * i) / (steps - 1)));
        const ld = Math.min(hi, Math.max(lo, cd - halfWidth + (2 * halfWidth * j) / (steps - 1)));
        const eff = { prefillEfficiency: Math.exp(lp), decodeBandwidthEfficiency: Math.exp(ld) };
        const err = sumSquaredLogError(points, eff);
        if (err < bestErr) {
          bestErr = err;
          best = eff;
        }
      }
    }
    centre = [Math.log(best.prefillEfficiency), Math.log(best.decodeBandwidthEfficiency)];
    halfWidth = (2 * halfWidth) / (steps - 1);
  }
  return { efficiencies: best, points: points.length, rmsLogError: Math.sqrt(bestErr / points.length), basis: 'fitted' };
}

function geometricMean(xs: readonly number[]): number {
  return xs.length === 0 ? 1 : Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

/**
 * Fits one pair of efficiencies (prefill FLOPs, decode bandwidth) on every usable
 * point (least squares on ln tok/s), then an engine factor per engine class and a
 * residual factor per (model, GPU, precision, engine) group (dimensionless).
 */
export function calibrate(table: readonly ThroughputPoint[], ctx: CalibrationContext): Calibration {
  const { usable, excluded } = usablePoints(table, ctx);
  return calibrateUsable(usable, excluded);
}

/** calibrate() on points already split (the leave-one-out reuses it); factors are dimensionless. */
export function calibrateUsable(usable: readonly UsablePoint[], excluded: readonly ExcludedPoint[] = []): Calibration {
  const global = fitEfficiencies(usable);
  const base = new Map<UsablePoint, number>();
  for (const p of usable) {
    const pred = predictPoint(p, global.efficiencies);
    if (pred !== null && pred > 0) base.set(p, p.point.outputTokPerSec / pred);
  }
  const engines = {} as Record<EngineClass, EngineFactor>;
  for (const engine of ENGINE_CLASSES) {
    const ratios = usable.filter((p) => p.engine === engine && base.has(p)).map((p) => base.get(p)!);
    engines[engine] = { engine, factor: geometricMean(ratios), points: ratios.length };
  }
  const byGroup = new Map<string, { p: UsablePoint; ratio: number }[]>();
  for (const p of usable) {
    const r = base.get(p);
    if (r === undefined) continue;
    const key = groupKey(p.model.id, p.gpu.id, p.precision, p.engine);
    const list = byGroup.get(key) ?? [];
    list.push({ p, ratio: r / engines[p.engine].factor });
    byGroup.set(key, list);
  }
  const groups: CalibrationGroup[] = [...byGroup.entries()].map(([key, list]) => {
    const first = list[0]!.p;
    return { key, modelId: first.model.id, gpuId: first.gpu.id, precision: first.precision, engine: first.engine, factor: geometricMean(list.map((x) => x.ratio)), points: list.length };
  });
  return { global, engines, groups, usable: [...usable], excluded: [...excluded] };
}

export interface GroupMatch {
  group: CalibrationGroup | null;
  /** Multiplier applied to the model's prediction (dimensionless); 1 when no group is near. */
  factor: number;
  /** 0 = same (model, GPU, precision, engine); larger = farther. */
  distance: number;
}

/** Groups farther than this (ln 4 of active params, or a different GPU + precision + engine) are not borrowed from. */
export const MAX_GROUP_DISTANCE = Math.log(4);

/**
 * The calibrated group nearest to (model, GPU, precision, engine): distance =
 * |ln active-params ratio| + 1 if MoE-ness differs + 0.3 for another GPU + 0.3 for
 * another precision + 0.3 for another engine. Across GPUs and models the physics
 * already scales by the binding term, so only the residual factor is borrowed.
 */
export function nearestGroup(cal: Calibration, model: ModelSpec, gpu: GpuSpec, precision: Precision, engine: EngineClass, ctx: CalibrationContext): GroupMatch {
  const active = model.activeParamsB ?? model.paramsB;
  const moe = (m: ModelSpec): boolean => m.activeParamsB != null && m.paramsB != null && m.activeParamsB < m.paramsB;
  let best: GroupMatch = { group: null, factor: 1, distance: Number.POSITIVE_INFINITY };
  for (const g of cal.groups) {
    const gm = ctx.models.find((m) => m.id === g.modelId);
    const ga = gm ? (gm.activeParamsB ?? gm.paramsB) : null;
    if (gm === undefined || ga === null || active === null) continue;
    const d =
      (g.modelId === model.id ? 0 : Math.abs(Math.log(ga / active)) + 0.1) +
      (moe(gm) !== moe(model) ? 1 : 0) +
      (g.gpuId === gpu.id ? 0 : 0.3) +
      (g.precision === precision ? 0 : 0.3) +
      (g.engine === engine ? 0 : 0.3);
    if (d < best.distance) best = { group: g, factor: g.factor, distance: d };
  }
  if (best.distance > MAX_GROUP_DISTANCE) return { group: null, factor: 1, distance: best.distance };
  return best;
}

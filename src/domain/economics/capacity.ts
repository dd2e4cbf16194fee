import { sameModel } from './model-key.js';
import { BYTES_PER_PARAM } from './sizing.js';
import type { GpuSpec, ModelSpec, Precision, ThroughputPoint } from './types.js';

/**
 * Prefill is compute-bound and batched, so one input token costs far less
 * replica time than one decoded token; 0.1 output-token-equivalents per input
 * token is an assumption (returned with every estimate), not a measurement.
 */
export const DEFAULT_PREFILL_COST_FACTOR = 0.1;

/**
 * Batch-1 decode reads every active weight once per token; batching amortises
 * that read. musgrave_a100 measured 495 tok/s at c=8 for Llama-3.1-8B bf16 on an
 * A100-40GB whose batch-1 roofline is 1,555 GB/s / 16 GB = 97 tok/s: 5.1x.
 */
export const DEFAULT_ROOFLINE_BATCH_FACTOR = 5;

/** Encoders are compute-bound: fraction of bf16 peak FLOPS a serving stack reaches (assumption). */
export const DEFAULT_ENCODER_MFU = 0.4;

/** Points whose model differs by more than this (|ln active-params ratio| + penalties) are not "similar": 4x params. */
export const DEFAULT_MAX_SIMILARITY_DISTANCE = Math.log(4);

/** Offline / infinite-rate benchmarks are treated as this many concurrent sequences when matching concurrency. */
const SATURATED_CONCURRENCY = 256;

export interface CapacityQuery {
  model: ModelSpec;
  gpu: GpuSpec;
  /** GPUs in one replica (tensor-parallel degree). */
  gpuCount: number;
  precision: Precision;
  /** Workload input tokens per output token; used to pick the closest ISL/OSL point and to convert capacity. */
  inputOutputRatio?: number;
  /** Concurrent sequences per replica the deployment will run. */
  concurrency?: number;
}

export interface CapacityContext {
  models: readonly ModelSpec[];
  gpus: readonly GpuSpec[];
}

export interface CapacityOptions {
  prefillCostFactor?: number;
  rooflineBatchFactor?: number;
  encoderMfu?: number;
  maxSimilarityDistance?: number;
}

export interface CapacityEstimate {
  /** Output tokens/s per replica: the point's figure when measured, else the estimate. */
  tokensPerSec: number;
  /** Capacity in output-equivalent tokens/s per replica: output/s x (1 + prefillCostFactor x input/output). */
  outputEquivalentTokensPerSec: number;
  source: 'measured' | 'estimated';
  basis: 'measured' | 'scaled' | 'roofline' | 'compute-roofline';
  /** The throughput point used (measured or scaled from); null for roofline estimates. */
  point: ThroughputPoint | null;
  /** Multiplier applied to point.outputTokPerSec (scaled estimates only). */
  scaleFactor: number | null;
  prefillCostFactor: number;
  /** Input:output ratio the output-equivalent conversion used (the point's ISL/OSL, else the workload's). */
  inputOutputRatio: number;
  notes: string[];
}

export type CapacityResult = CapacityEstimate | { tokensPerSec: null; reason: string };

interface Resolved {
  prefillCostFactor: number;
  rooflineBatchFactor: number;
  encoderMfu: number;
  maxSimilarityDistance: number;
}

function resolve(o: CapacityOptions): Resolved {
  return {
    prefillCostFactor: o.prefillCostFactor ?? DEFAULT_PREFILL_COST_FACTOR,
    rooflineBatchFactor: o.rooflineBatchFactor ?? DEFAULT_ROOFLINE_BATCH_FACTOR,
    encoderMfu: o.encoderMfu ?? DEFAULT_ENCODER_MFU,
    maxSimilarityDistance: o.maxSimilarityDistance ?? DEFAULT_MAX_SIMILARITY_DISTANCE,
  };
}

/** Output-equivalent tokens for a given output token count and input:output ratio (tokens). */
export function outputEquivalent(outputTokens: number, inputTokens: number, prefillCostFactor = DEFAULT_PREFILL_COST_FACTOR): number {
  return outputTokens + prefillCostFactor * inputTokens;
}

function pointRatio(p: ThroughputPoint): number | null {
  return p.islOsl && p.islOsl.output > 0 ? p.islOsl.input / p.islOsl.output : null;
}

/** How far a point's benchmark shape is from the workload's (dimensionless, 0 = same shape). */
function shapeDistance(p: ThroughputPoint, q: CapacityQuery): number {
  let d = 0;
  if (q.inputOutputRatio !== undefined) {
    const r = pointRatio(p);
    d += r === null ? 1 : Math.abs(Math.log(Math.max(r, 0.01) / Math.max(q.inputOutputRatio, 0.01)));
  }
  if (q.concurrency !== undefined && q.concurrency > 0) {
    const c = p.concurrency === 'saturated' ? SATURATED_CONCURRENCY : p.concurrency;
    d += Math.abs(Math.log(Math.max(c, 1) / q.concurrency));
  }
  return d + (p.derived ? 1 : 0);
}

function pointModelName(p: ThroughputPoint): string {
  return p.modelId ?? p.model;
}

function activeParamsB(m: ModelSpec): number | null {
  return m.activeParamsB ?? m.paramsB;
}

function isMoe(m: ModelSpec): boolean {
  return m.activeParamsB !== null && m.activeParamsB !== undefined && m.paramsB !== null && m.activeParamsB < m.paramsB;
}

function pickBest<T>(items: readonly T[], score: (t: T) => number): T | null {
  let best: T | null = null;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const it of items) {
    const s = score(it);
    // An infinite score still beats having no candidate at all.
    if (s < bestScore || best === null) {
      best = it;
      bestScore = s;
    }
  }
  return best;
}

function caveats(p: ThroughputPoint): string[] {
  const notes: string[] = [];
  if (p.concurrency === 'saturated' && /tensorrt/i.test(p.engine)) {
    notes.push(`${p.source}: TensorRT-LLM offline peak, not what a latency-bound service sees`);
  }
  if (p.derived) notes.push(`${p.source}: derived figure, not a published absolute number`);
  if (p.precision === null) notes.push(`${p.source}: precision not stated; bf16 assumed for scaling`);
  else if (p.precisionAssumed) notes.push(`${p.source}: precision labelled as assumed`);
  if (p.islOsl === null) notes.push(`${p.source}: prompt/output lengths not stated; no prefill credit given`);
  return notes;
}

/**
 * Output tokens/s per replica: the measured point unchanged when model, GPU,
 * count and precision match; else scaled from the nearest similar point by
 * (bandwidth x GPUs) / (active-weight bytes per token); else a roofline.
 */
export function estimateCapacity(
  query: CapacityQuery,
  table: readonly ThroughputPoint[],
  context: CapacityContext,
  options: CapacityOptions = {},
): CapacityResult {
  const o = resolve(options);
  const { model, gpu, gpuCount, precision } = query;
  if (!(gpuCount >= 1)) return { tokensPerSec: null, reason: 'gpuCount must be >= 1' };

  const exact = table.filter(
    (p) => sameModel(pointModelName(p), model.id) && p.gpu === gpu.id && p.count === gpuCount && p.precision === precision,
  );
  const measured = pickBest(exact, (p) => shapeDistance(p, query));
  if (measured !== null) {
    const r = pointRatio(measured) ?? 0;
    return {
      tokensPerSec: measured.outputTokPerSec,
      outputEquivalentTokensPerSec: measured.outputTokPerSec * (1 + o.prefillCostFactor * r),
      source: 'measured',
      basis: 'measured',
      point: measured,
      scaleFactor: null,
      prefillCostFactor: o.prefillCostFactor,
      inputOutputRatio: r,
      notes: caveats(measured),
    };
  }

  const targetActive = activeParamsB(model);
  if (targetActive === null || !(targetActive > 0)) return { tokensPerSec: null, reason: `${model.id} has no parameter count` };
  const targetBytesPerToken = targetActive * BYTES_PER_PARAM[precision];

  if (model.kind !== 'encoder') {
    const scaled = nearestScaled(query, table, context, o, targetActive, targetBytesPerToken);
    if (scaled !== null) return scaled;
  }
  return roofline(query, o, targetActive, targetBytesPerToken);
}

function nearestScaled(
  query: CapacityQuery,
  table: readonly ThroughputPoint[],
  context: CapacityContext,
  o: Resolved,
  targetActive: number,
  targetBytesPerToken: number,
): CapacityEstimate | null {
  const { model, gpu, gpuCount, precision } = query;
  interface Candidate {
    p: ThroughputPoint;
    pGpu: GpuSpec;
    pActive: number;
    modelDistance: number;
  }
  const candidates: Candidate[] = [];
  for (const p of table) {
    const pGpu = context.gpus.find((g) => g.id === p.gpu);
    if (pGpu === undefined) continue;
    let pModel: ModelSpec | undefined;
    let modelDistance: number;
    if (sameModel(pointModelName(p), model.id)) {
      pModel = model;
      modelDistance = 0;
    } else {
      pModel = context.models.find((m) => sameModel(m.id, pointModelName(p)));
      const a = pModel ? activeParamsB(pModel) : null;
      if (pModel === undefined || a === null || !(a > 0) || pModel.kind === 'encoder') continue;
      // 0.1: a different checkpoint of the same size still differs (tokenizer, depth/width split).
      modelDistance = Math.abs(Math.log(a / targetActive)) + (isMoe(pModel) !== isMoe(model) ? 1 : 0) + 0.1;
    }
    if (modelDistance > o.maxSimilarityDistance) continue;
    const pActive = activeParamsB(pModel);
    if (pActive === null) continue;
    candidates.push({ p, pGpu, pActive, modelDistance });
  }
  const best = pickBest(candidates, (c) => {
    const gpuDistance = c.pGpu.id === gpu.id ? 0 : Math.abs(Math.log(c.pGpu.memBandwidthTBs / gpu.memBandwidthTBs)) + 0.25;
    const countDistance = 0.5 * Math.abs(Math.log(c.p.count / gpuCount));
    const precisionDistance = c.p.precision === precision ? 0 : c.p.precision === null ? 0.5 : 0.25;
    return c.modelDistance + gpuDistance + countDistance + precisionDistance + 0.5 * shapeDistance(c.p, query);
  });
  if (best === null) return null;
  const pointBytesPerToken = best.pActive * BYTES_PER_PARAM[best.p.precision ?? 'bf16'];
  const scaleFactor =
    ((gpu.memBandwidthTBs * gpuCount) / (best.pGpu.memBandwidthTBs * best.p.count)) * (pointBytesPerToken / targetBytesPerToken);
  const tokensPerSec = best.p.outputTokPerSec * scaleFactor;
  const r = pointRatio(best.p) ?? 0;
  return {
    tokensPerSec,
    outputEquivalentTokensPerSec: tokensPerSec * (1 + o.prefillCostFactor * r),
    source: 'estimated',
    basis: 'scaled',
    point: best.p,
    scaleFactor,
    prefillCostFactor: o.prefillCostFactor,
    inputOutputRatio: r,
    notes: [
      `scaled from ${best.p.model} on ${best.p.count}x ${best.p.gpu} ${best.p.precision ?? 'unstated precision'} (${best.p.source}): decode is memory-bandwidth bound, tok/s ∝ bandwidth x GPUs / active-weight bytes`,
      ...caveats(best.p),
    ],
  };
}

function roofline(query: CapacityQuery, o: Resolved, targetActive: number, targetBytesPerToken: number): CapacityResult {
  const { model, gpu, gpuCount } = query;
  const ratio = query.inputOutputRatio ?? 0;
  if (model.kind === 'encoder') {
    if (gpu.bf16TFLOPS === null) return { tokensPerSec: null, reason: `${gpu.id} has no bf16 TFLOPS figure for an encoder compute roofline` };
    // Forward pass ≈ 2 FLOPs per parameter per token.
    const inputTokensPerSec = (gpu.bf16TFLOPS * 1e12 * gpuCount * o.encoderMfu) / (2 * targetActive * 1e9);
    return {
      tokensPerSec: 0,
      outputEquivalentTokensPerSec: inputTokensPerSec * o.prefillCostFactor,
      source: 'estimated',
      basis: 'compute-roofline',
      point: null,
      scaleFactor: null,
      prefillCostFactor: o.prefillCostFactor,
      inputOutputRatio: ratio,
      notes: [
        `encoder compute roofline at bf16 peak whatever the weight precision: ${gpu.bf16TFLOPS} TFLOPS x ${gpuCount} x MFU ${o.encoderMfu} / (2 x ${targetActive}B params) = ${Math.round(inputTokensPerSec)} input tok/s`,
      ],
    };
  }
  const batch1 = (gpu.memBandwidthTBs * 1e12 * gpuCount) / (targetBytesPerToken * 1e9);
  const outEq = batch1 * o.rooflineBatchFactor;
  return {
    tokensPerSec: outEq / (1 + o.prefillCostFactor * ratio),
    outputEquivalentTokensPerSec: outEq,
    source: 'estimated',
    basis: 'roofline',
    point: null,
    scaleFactor: null,
    prefillCostFactor: o.prefillCostFactor,
    inputOutputRatio: ratio,
    notes: [
      `bandwidth roofline: ${gpu.memBandwidthTBs} TB/s x ${gpuCount} / ${targetBytesPerToken.toFixed(3)} GB per token = ${batch1.toFixed(1)} tok/s at batch 1, x ${o.rooflineBatchFactor} batch factor`,
    ],
  };
}

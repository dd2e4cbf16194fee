import type { GpuSpec, KvPrecision, ModelSpec, Precision } from './types.js';

/*
 * Units: GB = 1e9 bytes (the reference's memoryExamples use decimal GB:
 * 70B KV at 8k tokens = 327,680 x 8,192 B = 2.68 GB), params in billions.
 */

/**
 * int4 (GPTQ/AWQ-style) stores one fp16 scale per group of 64-128 weights;
 * the reference puts that at ~3-6%, so int4 is charged 0.5 B x 1.05.
 */
export const INT4_GROUP_SCALE_OVERHEAD = 1.05;

/** Bytes per weight for each precision (B/param); mxfp4 = 4.25 bits per the reference formulas. */
export const BYTES_PER_PARAM: Readonly<Record<Precision, number>> = {
  bf16: 2,
  fp8: 1,
  int8: 1,
  int4: 0.5 * INT4_GROUP_SCALE_OVERHEAD,
  mxfp4: 4.25 / 8,
};

/** Bytes per KV element (B). */
export const KV_BYTES_PER_ELEMENT: Readonly<Record<KvPrecision, number>> = { bf16: 2, fp8: 1 };

/** vLLM's default gpu_memory_utilization: the fraction of GPU memory the engine may plan with. */
export const DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;

/** Per-GPU activations, CUDA graphs and allocator slack (GB) left outside weights and KV. */
export const DEFAULT_WORKSPACE_GB_PER_GPU = 2;

/** Tensor-parallel degrees tried within one 8-GPU node. */
export const TENSOR_PARALLEL_DEGREES: readonly number[] = [1, 2, 4, 8];

export interface SizingLoad {
  /** Sequences decoding at once on one replica (the KV pool must hold all of them). */
  concurrentSequences: number;
  /** Tokens per sequence to budget KV for (prompt + output at the workload's p95). */
  contextTokens: number;
}

export interface SizingOptions {
  kvPrecision?: KvPrecision;
  gpuMemoryUtilization?: number;
  workspaceGBPerGpu?: number;
  tensorParallelDegrees?: readonly number[];
}

export interface MemoryBreakdown {
  /** Weights on this GPU (GB). */
  weightsGB: number;
  /** KV cache pool on this GPU (GB). */
  kvCacheGB: number;
  /** Encoder activations on this GPU (GB); 0 for decoders, whose activations sit in the workspace. */
  activationsGB: number;
  workspaceGB: number;
  totalGB: number;
  /** GPU memory x utilisation cap (GB). */
  usableGB: number;
  /** usable - total (GB); negative when it does not fit. */
  headroomGB: number;
}

export type SizingFailureReason =
  | 'multi-node'
  | 'missing-params'
  | 'missing-architecture'
  | 'context-exceeds-model'
  | 'invalid-load';

export type SizingResult =
  | {
      fits: true;
      tensorParallel: number;
      gpuCount: number;
      perGpu: MemoryBreakdown;
      /** Whole-replica weights (GB). */
      weightsGB: number;
      /** Whole-replica KV pool before sharding (GB). */
      kvCacheGB: number;
      kvBytesPerToken: number;
      notes: string[];
    }
  | {
      fits: false;
      reason: 'multi-node';
      /** GPUs whose usable memory (minus workspace) would hold weights + KV: more than one 8-GPU node; null if workspace alone exceeds a GPU. */
      gpusNeeded: number | null;
      perGpuAtMaxTp: MemoryBreakdown;
      weightsGB: number;
      kvCacheGB: number;
      kvBytesPerToken: number;
      notes: string[];
    }
  | { fits: false; reason: Exclude<SizingFailureReason, 'multi-node'>; detail: string; notes: string[] };

/** Weight memory (GB) = paramsB x bytes/param; null when the parameter count is unknown. */
export function weightsGB(model: ModelSpec, precision: Precision): number | null {
  if (model.paramsB === null || !(model.paramsB > 0)) return null;
  return model.paramsB * BYTES_PER_PARAM[precision];
}

/**
 * KV cache bytes per token of context (B/token). GQA/MHA: 2 (K and V) x layers
 * x kvHeads x headDim x bytes; MLA: layers x (kv_lora_rank + qk_rope_head_dim)
 * x bytes. Encoders keep no cache (0). For encoder-decoders the decoder caches
 * self-attention K/V per generated token and cross-attention K/V per source
 * token with the same dims, so the same bytes apply to every context token.
 * null when the architecture is unknown.
 */
export function kvBytesPerToken(model: ModelSpec, kvPrecision: KvPrecision = 'bf16'): number | null {
  if (model.kind === 'encoder') return 0;
  const a = model.architecture;
  if (a === null) return null;
  const bytes = KV_BYTES_PER_ELEMENT[kvPrecision];
  const layers = model.kind === 'encoder-decoder' ? (a.decoderLayers ?? a.layers) : a.layers;
  if (a.mla) return layers * (a.mla.kvLoraRank + a.mla.qkRopeHeadDim) * bytes;
  if (a.kvHeads !== null && a.headDim !== null) return 2 * layers * a.kvHeads * a.headDim * bytes;
  if (a.kvBytesPerTokenBF16 !== null && a.kvBytesPerTokenBF16 !== undefined) {
    return (a.kvBytesPerTokenBF16 / KV_BYTES_PER_ELEMENT.bf16) * bytes;
  }
  return null;
}

/** Tokens per sequence the cache actually holds: sliding-window models keep at most the window (tokens). */
export function cachedTokensPerSequence(model: ModelSpec, contextTokens: number): number {
  const window = model.architecture?.slidingWindow;
  return window !== null && window !== undefined && window > 0 ? Math.min(contextTokens, window) : contextTokens;
}

/**
 * Encoder activations (GB) for one layer at a time (layers run in sequence and
 * free their activations): hidden states incl. the 4x FFN intermediate ≈ 8 x
 * seq x hidden x 2 B, plus attention scores heads x seq² x 2 B, per sequence.
 */
export function encoderActivationsGB(model: ModelSpec, load: SizingLoad): number {
  const a = model.architecture;
  if (model.kind !== 'encoder' || a === null) return 0;
  const hidden = a.hiddenSize ?? (a.attentionHeads !== null && a.attentionHeads !== undefined && a.headDim !== null ? a.attentionHeads * a.headDim : 0);
  const heads = a.attentionHeads ?? a.kvHeads ?? 0;
  const seq = load.contextTokens;
  const perSequenceBytes = 8 * seq * hidden * 2 + heads * seq * seq * 2;
  return (load.concurrentSequences * perSequenceBytes) / 1e9;
}

/**
 * KV shards across TP ranks by KV head, so it divides by min(TP, kvHeads): with
 * fewer KV heads than ranks (Falcon-7B's single MQA head) heads are replicated.
 * MLA's latent is not per-head and engines replicate it on every rank.
 */
function kvShards(model: ModelSpec, tp: number): number {
  const a = model.architecture;
  if (a === null || a.mla) return 1;
  if (a.kvHeads === null) return tp;
  return Math.max(1, Math.min(tp, a.kvHeads));
}

export interface FitCheck {
  fits: boolean;
  perGpu: MemoryBreakdown;
}

function resolvedOptions(opts: SizingOptions): Required<SizingOptions> {
  return {
    kvPrecision: opts.kvPrecision ?? 'bf16',
    gpuMemoryUtilization: opts.gpuMemoryUtilization ?? DEFAULT_GPU_MEMORY_UTILIZATION,
    workspaceGBPerGpu: opts.workspaceGBPerGpu ?? DEFAULT_WORKSPACE_GB_PER_GPU,
    tensorParallelDegrees: opts.tensorParallelDegrees ?? TENSOR_PARALLEL_DEGREES,
  };
}

/** Per-GPU memory (GB) at tensor-parallel degree `tp`: weights/TP + KV/shards + activations/TP + workspace <= memory x 0.9. */
export function checkFit(
  model: ModelSpec,
  gpu: GpuSpec,
  precision: Precision,
  load: SizingLoad,
  tp: number,
  opts: SizingOptions = {},
): FitCheck | null {
  const o = resolvedOptions(opts);
  const w = weightsGB(model, precision);
  const kvPerToken = kvBytesPerToken(model, o.kvPrecision);
  if (w === null || kvPerToken === null) return null;
  const kvTotalGB = (kvPerToken * cachedTokensPerSequence(model, load.contextTokens) * load.concurrentSequences) / 1e9;
  const perGpu = breakdown(w / tp, kvTotalGB / kvShards(model, tp), encoderActivationsGB(model, load) / tp, o, gpu);
  return { fits: perGpu.headroomGB >= 0, perGpu };
}

function breakdown(
  weights: number,
  kv: number,
  activations: number,
  o: Required<SizingOptions>,
  gpu: GpuSpec,
): MemoryBreakdown {
  const totalGB = weights + kv + activations + o.workspaceGBPerGpu;
  const usableGB = gpu.memoryGB * o.gpuMemoryUtilization;
  return {
    weightsGB: weights,
    kvCacheGB: kv,
    activationsGB: activations,
    workspaceGB: o.workspaceGBPerGpu,
    totalGB,
    usableGB,
    headroomGB: usableGB - totalGB,
  };
}

/**
 * Smallest tensor-parallel degree in 1, 2, 4, 8 whose per-GPU memory (GB) fits;
 * beyond one node returns { fits: false, reason: 'multi-node', gpusNeeded }.
 */
export function sizeDeployment(
  model: ModelSpec,
  gpu: GpuSpec,
  precision: Precision,
  load: SizingLoad,
  opts: SizingOptions = {},
): SizingResult {
  const o = resolvedOptions(opts);
  const notes: string[] = [];
  if (!(load.concurrentSequences >= 1) || !(load.contextTokens >= 1)) {
    return { fits: false, reason: 'invalid-load', detail: 'concurrentSequences and contextTokens must be >= 1', notes };
  }
  const w = weightsGB(model, precision);
  if (w === null) return { fits: false, reason: 'missing-params', detail: `${model.id} has no parameter count`, notes };
  const kvPerToken = kvBytesPerToken(model, o.kvPrecision);
  if (kvPerToken === null) {
    return { fits: false, reason: 'missing-architecture', detail: `${model.id} has no layers/KV-head/head-dim figures`, notes };
  }
  if (model.contextTokens !== null && load.contextTokens > model.contextTokens) {
    return {
      fits: false,
      reason: 'context-exceeds-model',
      detail: `${load.contextTokens} tokens > ${model.id} window of ${model.contextTokens}`,
      notes,
    };
  }
  if (model.kind === 'encoder') notes.push('encoder: no autoregressive KV cache; activations sized per layer from hidden size and heads');
  if (model.kind === 'encoder-decoder') notes.push('encoder-decoder: KV covers decoder self-attention and cross-attention over the source, per context token');
  const cached = cachedTokensPerSequence(model, load.contextTokens);
  if (cached < load.contextTokens) notes.push(`sliding window caps the cache at ${cached} tokens per sequence`);
  if (precision === 'int4') notes.push(`int4 weights charged 0.5 B/param x ${INT4_GROUP_SCALE_OVERHEAD} for group scales`);
  const kvTotalGB = (kvPerToken * cached * load.concurrentSequences) / 1e9;
  const activations = encoderActivationsGB(model, load);

  const degrees = [...o.tensorParallelDegrees].sort((a, b) => a - b);
  let last: MemoryBreakdown | null = null;
  for (const tp of degrees) {
    const perGpu = breakdown(w / tp, kvTotalGB / kvShards(model, tp), activations / tp, o, gpu);
    last = perGpu;
    if (perGpu.headroomGB >= 0) {
      return { fits: true, tensorParallel: tp, gpuCount: tp, perGpu, weightsGB: w, kvCacheGB: kvTotalGB, kvBytesPerToken: kvPerToken, notes };
    }
  }
  const perGpuBudget = gpu.memoryGB * o.gpuMemoryUtilization - o.workspaceGBPerGpu;
  const maxTp = degrees[degrees.length - 1] ?? 1;
  const gpusNeeded = perGpuBudget > 0 ? Math.max(maxTp + 1, Math.ceil((w + kvTotalGB + activations) / perGpuBudget)) : null;
  return {
    fits: false,
    reason: 'multi-node',
    gpusNeeded,
    perGpuAtMaxTp: last ?? breakdown(w, kvTotalGB, activations, o, gpu),
    weightsGB: w,
    kvCacheGB: kvTotalGB,
    kvBytesPerToken: kvPerToken,
    notes,
  };
}

import { BYTES_PER_PARAM, DEFAULT_GPU_MEMORY_UTILIZATION, DEFAULT_WORKSPACE_GB_PER_GPU, kvBytesPerToken, cachedTokensPerSequence } from './sizing.js';
import type { Fp8Support, GpuSpec, Interconnect, KvPrecision, ModelSpec, Precision } from './types.js';

/*
 * One serving regime: continuous batching at a concurrency c, with a latency bound.
 *
 *   prefill time per request   Tp = ISL x (2 x active params + 4 x layers x d_attn x ISL/2) / (TP x F x etaP)
 *   decode step at batch c     S(c) = (weight bytes read + c x ctxAvg x KV bytes/token) / (TP x B x etaD)
 *                                   + c x (2 x active params + 4 x layers x d_attn x ctxAvg) / (TP x F x etaP)
 *   replica time per request   tau(c) = Tp + OSL x S(c) / c                       (amortised over the batch)
 *   throughput                 OSL / tau(c) output tok/s, 1 / tau(c) requests/s
 *   latency (Little's law)     L(c) = c x tau(c) = c x Tp + OSL x S(c)             (ms, mean request)
 *
 * F is the GPU's bf16 TFLOPS, doubled for fp8 on GPUs with native fp8 tensor cores
 * (Hopper, Ada); B its memory bandwidth; etaP and etaD are fitted from the
 * reference's measured points (capacity-calibration.ts).
 */

/**
 * Engines the calibration tells apart: TensorRT-LLM's offline benchmark, NIM (TensorRT-LLM
 * behind an online, streaming server) and vLLM-style servers (vLLM, SGLang).
 */
export type EngineClass = 'trtllm' | 'nim' | 'vllm';

export const ENGINE_CLASSES: readonly EngineClass[] = ['trtllm', 'nim', 'vllm'];

/** Sequences vLLM 0.5/0.6 batches at most by default (max_num_seqs 256, the figure lambda_vllm's runs state). */
export const VLLM_MAX_NUM_SEQS = 256;

/** TensorRT-LLM's offline runs are bounded by KV memory, not a sequence cap; 2048 is its default max batch size. */
export const TRTLLM_MAX_BATCH = 2048;

/** fp8 dense rate when a GPU has native fp8 but no fp8 TFLOPS figure: 2 x bf16, the ratio of every sourced Hopper/Ada pair (H100 1,979/989, L40S 733/362, L4 242.5/121). */
export const FP8_NATIVE_COMPUTE_MULTIPLIER = 2;

/**
 * Tensor parallelism above 2 on PCIe-only cards is refused: every layer does two
 * all-reduces over the host's PCIe switch (no NVLink), and no reference point
 * measures TP > 2 on such cards, so any penalty would be invented.
 */
export const MAX_PCIE_TENSOR_PARALLEL = 2;

/** Engine class of a benchmark's engine label ("NVIDIA NIM 1.8.0 (TRT-LLM)" is nim, "TensorRT-LLM (PyTorch backend)" trtllm). */
export function engineClassOf(engine: string): EngineClass {
  if (/\bnim\b/i.test(engine)) return 'nim';
  return /tensorrt|trt-llm/i.test(engine) ? 'trtllm' : 'vllm';
}

/** How the GPU's cards talk; undefined (hand-built test GPUs) counts as NVLink. */
export function interconnectOf(gpu: GpuSpec): Interconnect {
  return gpu.interconnect ?? 'nvlink';
}

/** The GPU's fp8 support; undefined (hand-built test GPUs) counts as native. */
export function fp8SupportOf(gpu: GpuSpec): Fp8Support {
  return gpu.fp8 ?? 'native';
}

export interface Efficiencies {
  /** Fraction of the GPU's (precision-adjusted) peak TFLOPS reached by prefill and decode matmuls (0-1]. */
  prefillEfficiency: number;
  /** Fraction of peak memory bandwidth reached by decode steps (0-1]. */
  decodeBandwidthEfficiency: number;
}

export interface ServingShape {
  /** Input (prompt) tokens per request. */
  inputTokens: number;
  /** Output (generated) tokens per request. */
  outputTokens: number;
}

export interface ReplicaSpec {
  model: ModelSpec;
  gpu: GpuSpec;
  /** GPUs in the replica (= tensor-parallel degree). */
  tensorParallel: number;
  precision: Precision;
  kvPrecision?: KvPrecision;
  engine: EngineClass;
}

/** Volume-independent per-replica costs of one (model, GPU, TP, precision, engine) at one request shape (seconds, bytes). */
export interface ReplicaCosts {
  /** Replica seconds of prefill per request (s). */
  prefillSecPerRequest: number;
  /** Decode step seconds independent of batch: weight read (s); MoE weights grow with batch, see weightStepSecAt. */
  weightStepSec: number;
  /** Decode step seconds per sequence in the batch: its KV read + its matmuls (s). */
  perSequenceStepSec: number;
  /** KV bytes per token on one GPU of the replica after sharding (B). */
  kvBytesPerTokenPerGpu: number;
  /** Sequences whose full context (ISL + OSL, or memoryContextTokens) fits the KV pool (sequences); 0 when weights alone do not fit. */
  memoryConcurrency: number;
  /** Engine batch cap (sequences). */
  engineMaxConcurrency: number;
  activeParamsB: number;
  totalParamsB: number;
  /** Compute rate used, all GPUs of the replica, before efficiency (TFLOPS). */
  peakTflops: number;
  /** Bandwidth, all GPUs of the replica, before efficiency (TB/s). */
  peakBandwidthTBs: number;
  computeBasis: string;
}

export type CostsResult = { ok: true; costs: ReplicaCosts } | { ok: false; reason: string };

function attentionWidth(model: ModelSpec): number {
  const a = model.architecture;
  if (a === null) return 0;
  if (a.hiddenSize) return a.hiddenSize;
  if (a.attentionHeads && a.headDim) return a.attentionHeads * a.headDim;
  return 0;
}

/**
 * Per-replica time and memory costs (s, B) of serving `shape` on `spec` with efficiencies `eff`;
 * not ok (with the reason) when the precision, interconnect, figures or memory rule it out.
 */
export function replicaCosts(
  spec: ReplicaSpec,
  shape: ServingShape,
  eff: Efficiencies,
  opts: { gpuMemoryUtilization?: number; workspaceGBPerGpu?: number; memoryContextTokens?: number; speedFactor?: number } = {},
): CostsResult {
  const { model, gpu, tensorParallel: tp, precision } = spec;
  if (!(tp >= 1)) return { ok: false, reason: 'tensor-parallel degree must be >= 1' };
  if (interconnectOf(gpu) === 'pcie' && tp > MAX_PCIE_TENSOR_PARALLEL) {
    return { ok: false, reason: `${gpu.id} is PCIe-only: tensor parallelism above ${MAX_PCIE_TENSOR_PARALLEL} is not modelled (all-reduce over PCIe, no measured point)` };
  }
  const fp8 = fp8SupportOf(gpu);
  if (precision === 'fp8' && fp8 === 'none') return { ok: false, reason: `${gpu.id} has no fp8 support (neither tensor cores nor weight-only kernels)` };
  const total = model.paramsB;
  const active = model.activeParamsB ?? model.paramsB;
  if (total === null || active === null || !(total > 0) || !(active > 0)) return { ok: false, reason: `${model.id} has no parameter count` };
  if (gpu.bf16TFLOPS === null) return { ok: false, reason: `${gpu.id} has no bf16 TFLOPS figure in the reference: prefill time cannot be computed` };
  const kvPerToken = kvBytesPerToken(model, spec.kvPrecision ?? 'bf16');
  if (kvPerToken === null) return { ok: false, reason: `${model.id} has no layers/KV-head/head-dim figures: KV traffic cannot be computed` };

  const nativeFp8 = precision === 'fp8' && fp8 === 'native';
  const fp8Tflops = gpu.fp8TFLOPS != null && gpu.fp8TFLOPS > 0 ? gpu.fp8TFLOPS : null;
  const perGpuTflops = nativeFp8 ? (fp8Tflops ?? gpu.bf16TFLOPS * FP8_NATIVE_COMPUTE_MULTIPLIER) : gpu.bf16TFLOPS;
  const peakTflops = perGpuTflops * tp;
  const computeBasis = nativeFp8
    ? fp8Tflops !== null
      ? `fp8 tensor cores: ${fp8Tflops} dense fp8 TFLOPS x ${tp}`
      : `fp8 tensor cores: ${FP8_NATIVE_COMPUTE_MULTIPLIER} x ${gpu.bf16TFLOPS} bf16 TFLOPS x ${tp} (no fp8 figure: Hopper/Ada ratio)`
    : precision === 'fp8'
      ? `fp8 weight-only on ${gpu.id}: weights read at 1 B/param, maths at the bf16 rate ${gpu.bf16TFLOPS} TFLOPS x ${tp}`
      : `bf16 maths: ${gpu.bf16TFLOPS} TFLOPS x ${tp}`;
  // speedFactor: the calibrated engine x group residual; it scales every time term alike.
  const speed = opts.speedFactor ?? 1;
  const flopsPerSec = peakTflops * 1e12 * eff.prefillEfficiency * speed;
  const bytesPerSec = gpu.memBandwidthTBs * 1e12 * tp * eff.decodeBandwidthEfficiency * speed;
  const layers = model.architecture?.layers ?? 0;
  const dAttn = attentionWidth(model);
  const isl = Math.max(0, shape.inputTokens);
  const osl = Math.max(0, shape.outputTokens);
  // Causal attention: the average prompt token attends to ISL/2 positions; QK^T and AV each cost 2 FLOPs per MAC.
  const prefillFlopsPerToken = 2 * active * 1e9 + 4 * layers * dAttn * (isl / 2);
  const prefillSecPerRequest = (isl * prefillFlopsPerToken) / flopsPerSec;
  const ctxAvg = cachedTokensPerSequence(model, Math.max(1, isl + osl / 2));
  const decodeFlopsPerToken = 2 * active * 1e9 + 4 * layers * dAttn * ctxAvg;
  const bytesPerParam = BYTES_PER_PARAM[precision];
  const weightStepSec = (active * 1e9 * bytesPerParam) / bytesPerSec;
  const perSequenceStepSec = (ctxAvg * kvPerToken) / bytesPerSec + decodeFlopsPerToken / flopsPerSec;

  const util = opts.gpuMemoryUtilization ?? DEFAULT_GPU_MEMORY_UTILIZATION;
  const workspace = opts.workspaceGBPerGpu ?? DEFAULT_WORKSPACE_GB_PER_GPU;
  const kvShards = model.architecture?.mla ? 1 : Math.max(1, Math.min(tp, model.architecture?.kvHeads ?? tp));
  const kvBytesPerTokenPerGpu = kvPerToken / kvShards;
  const poolPerGpuGB = gpu.memoryGB * util - workspace - (total * bytesPerParam) / tp;
  const fullContext = cachedTokensPerSequence(model, Math.max(1, opts.memoryContextTokens ?? isl + osl));
  const memoryConcurrency = poolPerGpuGB <= 0 ? 0 : kvBytesPerTokenPerGpu === 0 ? Number.POSITIVE_INFINITY : Math.floor((poolPerGpuGB * 1e9) / (fullContext * kvBytesPerTokenPerGpu));
  return {
    ok: true,
    costs: {
      prefillSecPerRequest,
      weightStepSec,
      perSequenceStepSec,
      kvBytesPerTokenPerGpu,
      memoryConcurrency,
      engineMaxConcurrency: spec.engine === 'vllm' ? VLLM_MAX_NUM_SEQS : TRTLLM_MAX_BATCH,
      activeParamsB: active,
      totalParamsB: total,
      peakTflops,
      peakBandwidthTBs: gpu.memBandwidthTBs * tp,
      computeBasis,
    },
  };
}

/**
 * MoE weight bytes read per decode step grow with the batch: each sequence touches
 * its own experts, so the read is min(total, active x batch) params (s).
 */
function weightStepSecAt(c: ReplicaCosts, batch: number): number {
  const touched = Math.min(c.totalParamsB, c.activeParamsB * Math.max(1, batch));
  return c.weightStepSec * (touched / c.activeParamsB);
}

/** Decode step time (s) at `batch` concurrent sequences. */
export function decodeStepSec(c: ReplicaCosts, batch: number): number {
  return weightStepSecAt(c, batch) + Math.max(1, batch) * c.perSequenceStepSec;
}

/** Replica seconds per request amortised over a batch of `concurrency` sequences (s). */
export function replicaSecPerRequest(c: ReplicaCosts, shape: ServingShape, concurrency: number): number {
  const b = Math.max(1, concurrency);
  return c.prefillSecPerRequest + (Math.max(0, shape.outputTokens) * decodeStepSec(c, b)) / b;
}

/** Mean time per request (s) at `concurrency` sequences: Little's law, concurrency x replica seconds per request. */
export function requestLatencySec(c: ReplicaCosts, shape: ServingShape, concurrency: number): number {
  return Math.max(1, concurrency) * replicaSecPerRequest(c, shape, concurrency);
}

/** Output tokens/s of one replica at `concurrency` sequences (tokens/s). */
export function outputTokPerSecAt(c: ReplicaCosts, shape: ServingShape, concurrency: number): number {
  const t = replicaSecPerRequest(c, shape, concurrency);
  return t > 0 ? Math.max(0, shape.outputTokens) / t : 0;
}

/** Concurrency (sequences) an offline / infinite-rate run reaches: the KV pool or the engine's batch cap, whichever binds. */
export function saturatedConcurrency(c: ReplicaCosts): number {
  return Math.max(0, Math.min(c.memoryConcurrency, c.engineMaxConcurrency));
}

/**
 * Largest concurrency (sequences, may be fractional) whose mean latency stays
 * within `latencySec` (s); latency is linear in c for a dense model, so solved
 * directly, then checked by bisection for MoE weight growth. 0 when even one
 * sequence is too slow.
 */
export function latencyBoundConcurrency(c: ReplicaCosts, shape: ServingShape, latencySec: number): number {
  if (requestLatencySec(c, shape, 1) > latencySec) return 0;
  let lo = 1;
  let hi = 1;
  while (requestLatencySec(c, shape, hi * 2) <= latencySec && hi < 1 << 20) hi *= 2;
  hi *= 2;
  for (let i = 0; i < 60; i += 1) {
    const mid = (lo + hi) / 2;
    if (requestLatencySec(c, shape, mid) <= latencySec) lo = mid;
    else hi = mid;
  }
  return lo;
}

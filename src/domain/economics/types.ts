import type { Decimal } from 'decimal.js';

/**
 * Weight precisions the sizing model understands. fp16 has bf16's byte width so
 * it is folded into bf16; mxfp4 is gpt-oss's native 4.25-bit format.
 */
export type Precision = 'bf16' | 'fp8' | 'int8' | 'int4' | 'mxfp4';

export const PRECISIONS: readonly Precision[] = ['bf16', 'fp8', 'int8', 'int4', 'mxfp4'];

/** KV cache element width: bf16 by default, fp8 when the engine quantises the cache. */
export type KvPrecision = 'bf16' | 'fp8';

export type ModelKind = 'decoder' | 'encoder' | 'encoder-decoder';

/** Multi-head latent attention (DeepSeek-V3): one compressed latent per layer per token. */
export interface MlaSpec {
  kvLoraRank: number;
  qkRopeHeadDim: number;
}

export interface ArchitectureSpec {
  /** Decoder layers (for encoder-decoder models: the decoder stack, which owns the cache). */
  layers: number;
  /** null for MLA models, whose cache is not per-head. */
  kvHeads: number | null;
  headDim: number | null;
  /** Published figure, kept so tests can check the formula against it (bytes/token). */
  kvBytesPerTokenBF16?: number | null;
  mla?: MlaSpec | null;
  hiddenSize?: number | null;
  attentionHeads?: number | null;
  /** Sliding-window attention caps the per-sequence cache at this many positions (tokens). */
  slidingWindow?: number | null;
  encoderLayers?: number | null;
  decoderLayers?: number | null;
  source: string | null;
}

export interface ModelSpec {
  id: string;
  family?: string | null;
  /** Total parameters in billions; null when no source gave a count (sizing then refuses). */
  paramsB: number | null;
  /** Parameters touched per token (MoE); null/undefined means dense (= paramsB). */
  activeParamsB?: number | null;
  kind: ModelKind;
  architecture: ArchitectureSpec | null;
  /** Model context window (tokens); null when unknown. */
  contextTokens: number | null;
  /** Precision the weights are released in, when it is not bf16 (gpt-oss mxfp4, DeepSeek-V3 fp8). */
  nativePrecision?: Precision | null;
  source: string | null;
  notes?: string[];
}

/** How the GPUs of one server talk: NVLink/SXM boards scale tensor parallelism; PCIe-only cards do not beyond 2. */
export type Interconnect = 'nvlink' | 'pcie';

/** fp8 on this GPU: native tensor cores (Hopper, Ada), weight-only kernels (Ampere: fp8 weights, bf16 maths), or none. */
export type Fp8Support = 'native' | 'weight-only' | 'none';

/**
 * GPU price tiers (USD per GPU-hour). marketOnDemand (the default) is the median of
 * sourced on-demand offers of the last 18 months, hyperscalers and specialist clouds
 * together; hyperscalerOnDemand the AWS/GCP/Azure list prices; committed1y a one-year
 * commitment; spot only for workloads that accept interruption.
 */
export type GpuPriceTier = 'marketOnDemand' | 'hyperscalerOnDemand' | 'committed1y' | 'spot';

export const GPU_PRICE_TIERS: readonly GpuPriceTier[] = ['marketOnDemand', 'hyperscalerOnDemand', 'committed1y', 'spot'];

/** How a GPU offer is bought: on demand, interruptible spot, a 1-year commitment, or a capacity block (a reserved window, priced like on-demand). */
export type GpuOfferKind = 'onDemand' | 'spot' | 'committed1y' | 'capacityBlock';

/** One published GPU price, normalised to USD per GPU-hour (8-GPU instance prices divided by 8). */
export interface GpuOffer {
  provider: string;
  sku: string;
  /** GPUs in the instance the price is for. */
  gpusPerInstance: number;
  kind: GpuOfferKind;
  /** USD per GPU-hour. */
  usdPerGpuHour: Decimal;
  /** AWS, GCP or Azure. */
  hyperscaler: boolean;
  region: string | null;
  sourceId: string;
  /** YYYY-MM or YYYY-MM-DD; null when the source is undated. */
  asOf: string | null;
  /** Undated or known out-of-date source: shown, never in a market median. */
  stale: boolean;
  note?: string | null;
}

/** A GPU's price in one tier (USD per GPU-hour) and how it was reached. */
export interface GpuTierPrice {
  usdPerGpuHour: Decimal;
  /** One line: how the figure was reached ("median of 12 on-demand offers 2025-08..2026-06 ..."). */
  basis: string;
  sourceIds: string[];
  /** Newest date (YYYY-MM or YYYY-MM-DD) behind the figure. */
  asOf: string;
  /** Offers behind the figure. */
  offerCount: number;
}

export interface GpuSpec {
  id: string;
  memoryGB: number;
  memBandwidthTBs: number;
  bf16TFLOPS: number | null;
  /** Dense fp8 TFLOPS where sourced. */
  fp8TFLOPS?: number | null;
  /** Set by the reference adapter; undefined only in hand-built test GPUs (treated as 'nvlink'). */
  interconnect?: Interconnect;
  /** Set by the reference adapter; undefined only in hand-built test GPUs (treated as 'native'). */
  fp8?: Fp8Support;
  /** Price per tier (USD per GPU-hour); null when no sourced figure supports the tier (the reason is in priceGaps). */
  prices: Record<GpuPriceTier, GpuTierPrice | null>;
  /** Why a tier is null. */
  priceGaps?: Partial<Record<GpuPriceTier, string>>;
  /** Every normalised offer for this GPU, stale ones included. */
  offers: GpuOffer[];
  /** Sourced 1-year commitment discount (fraction off on-demand) used where no 1-year price was found. */
  commitment1y?: { fraction: Decimal; sourceId: string; asOf: string } | null;
  /** Source ids of interconnect, fp8 and fp8TFLOPS. */
  factSources?: { interconnect: string | null; fp8: string | null; fp8TFLOPS: string | null };
  source: string | null;
}

export interface IslOsl {
  /** Input tokens per request in the benchmark. */
  input: number;
  /** Output tokens per request in the benchmark. */
  output: number;
}

export interface ThroughputPoint {
  /** Model name as published by the benchmark. */
  model: string;
  /** Catalog id the name resolved to, or null when no catalog model matched. */
  modelId: string | null;
  gpu: string;
  /** GPUs in the replica (tensor-parallel degree in every published point). */
  count: number;
  /** null when the benchmark did not state it. */
  precision: Precision | null;
  /** True when the precision was labelled "assumed" / "not stated" but implied. */
  precisionAssumed?: boolean;
  /** Output tokens/s for the whole replica (all `count` GPUs). */
  outputTokPerSec: number;
  /** Concurrent sequences; 'saturated' for offline / infinite-request-rate runs. */
  concurrency: number | 'saturated';
  concurrencyLabel?: string;
  engine: string;
  source: string;
  islOsl: IslOsl | null;
  /** True when the figure was derived by the reference author rather than published. */
  derived?: boolean;
}

/** Per-1M-token API prices (USD). cachedInputPerMTok null/undefined = no discount. */
export interface ApiPrice {
  inputPerMTok: Decimal.Value;
  outputPerMTok: Decimal.Value;
  cachedInputPerMTok?: Decimal.Value | null;
  longContext?: { thresholdTokens: number; inputPerMTok: Decimal.Value; outputPerMTok: Decimal.Value } | null;
}

export interface ClosedModelPrice extends ApiPrice {
  id: string;
  provider: string;
  contextTokens: number | null;
  source: string | null;
}

export interface ManagedOpenApiPrice {
  provider: string;
  /** Provider's model string. */
  model: string;
  /** Catalog id the provider's model string resolved to, or null. */
  modelId: string | null;
  inputPerMTok: Decimal.Value;
  outputPerMTok: Decimal.Value;
  contextTokens: number | null;
  source: string | null;
  asOf?: string | null;
}

/** Monthly token volumes. cachedInputTokens is a subset of inputTokens (API billing convention). */
export interface TokenVolumes {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

export interface Catalog {
  models: ModelSpec[];
  gpus: GpuSpec[];
  throughput: ThroughputPoint[];
  managedOpenApis: ManagedOpenApiPrice[];
  closedModels: ClosedModelPrice[];
}

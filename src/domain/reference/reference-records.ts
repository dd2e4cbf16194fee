import type { ArchitectureSpec, IslOsl, ModelKind, Precision } from '../economics/types.js';
import type { ModelTier } from '../planner/types.js';
import type { GpuMarket, SourceRecord } from './gpu-market-records.js';

/*
 * The typed records that reference-reader.ts reads src/reference/economics.json
 * into. Prices are USD per 1M tokens (GPU prices USD per GPU-hour) as plain
 * decimal strings, never floats.
 */

/** A closed model's list price (USD per 1M tokens) and capability tier. */
export interface ClosedModelRecord {
  /** Catalog id ("claude-sonnet-4.5"). */
  id: string;
  /** Canonical provider spelling (see canonicalProvider). */
  provider: string;
  /** The id the price source files the model under ("claude-sonnet-4-5"), lower-cased; null when not given. */
  sourceKey: string | null;
  inputPerMTok: string;
  outputPerMTok: string;
  cachedInputPerMTok: string | null;
  cacheWritePerMTok: string | null;
  /** Above `thresholdTokens` input tokens the whole request is billed at these rates. */
  longContext: { thresholdTokens: number; inputPerMTok: string; outputPerMTok: string } | null;
  /** Context window (tokens). */
  contextTokens: number | null;
  /** The provider's positioning of the model in its lineup as of the price date; null when not stated. */
  tier: ModelTier | null;
  source: string;
}

/** A managed API's price (USD per 1M tokens) for an open-weights model. */
export interface ManagedOpenApiRecord {
  /** Canonical provider spelling ("together", not "together_ai" or "Together"). */
  provider: string;
  /** Catalog id of the offer: the provider's model string, trimmed and lower-cased. */
  modelId: string;
  /** Provider and model exactly as the source table spells them. */
  listed: { provider: string; model: string };
  inputPerMTok: string;
  outputPerMTok: string;
  /** Context window (tokens). */
  contextTokens: number | null;
  source: string;
  /** Month the price was read ("2024-08"), when the source table states it. */
  asOf: string | null;
}

/** An open-weights model: size, architecture (for the KV cache) and native precision. */
export interface OpenModelRecord {
  id: string;
  /** 'current' from openModels[], 'seed' from the older seedModels[]. */
  generation: 'current' | 'seed';
  family: string | null;
  /** Total parameters (billions). */
  paramsB: number | null;
  /** Parameters per token for MoE models (billions). */
  activeParamsB: number | null;
  kind: ModelKind;
  /** null unless the KV-cache formula has its inputs (MLA dims, KV heads and head dim, or bytes/token). */
  architecture: ArchitectureSpec | null;
  /** Context window (tokens). */
  contextTokens: number | null;
  nativePrecision: Precision | null;
  note: string | null;
  source: string;
  /** The entry as published, kept verbatim for the catalog's facts endpoints. */
  published: Readonly<Record<string, unknown>>;
}

/** A GPU: memory (GB), bandwidth (TB/s), bf16 TFLOPS and hourly prices (USD per GPU-hour). */
export interface GpuRecord {
  id: string;
  memoryGB: number;
  memBandwidthTBs: number;
  bf16TFLOPS: number | null;
  hourlyUsd: {
    onDemand: string | null;
    /** A single published spot price; null when a range is given instead. */
    spot: string | null;
    spotRange: [string, string] | null;
    reserved1y: string | null;
    /** Where the prices come from (SKU, region, date caveats). */
    basis: string | null;
  };
  source: string;
  published: Readonly<Record<string, unknown>>;
}

/** One published throughput measurement (output tokens/s for the whole replica). */
export interface ThroughputRecord {
  /** Stable id of the measurement (model|gpu|count|precision|engine|isl/osl|concurrency as published). */
  key: string;
  /** Model name as the benchmark spells it. */
  model: string;
  gpu: string;
  /** GPUs in the replica. */
  count: number;
  precision: Precision | null;
  /** The label said "assumed" or "not stated". */
  precisionAssumed: boolean;
  outputTokPerSec: number;
  /** Concurrent sequences; 'saturated' when the benchmark gave a sentence (offline, infinite request rate). */
  concurrency: number | 'saturated';
  concurrencyLabel: string;
  engine: string;
  islOsl: IslOsl | null;
  /** Derived by the reference author rather than published. */
  derived: boolean;
  source: string;
  published: Readonly<Record<string, unknown>>;
}

/** A published routing experiment (kept for display only). */
export interface RoutingResultRecord {
  id: string;
  source: string;
  published: Readonly<Record<string, unknown>>;
}

/** A reference entry that could not be used, and why (shown to users as a data gap). */
export interface ReferenceGap {
  section: string;
  id: string;
  reason: string;
}

/** The reference file as typed records, in file order. */
export interface Reference {
  closedModels: ClosedModelRecord[];
  managedOpenApis: ManagedOpenApiRecord[];
  openModels: OpenModelRecord[];
  seedModels: OpenModelRecord[];
  gpus: GpuRecord[];
  throughput: ThroughputRecord[];
  routingResults: RoutingResultRecord[];
  /** economics.json sources[] (id, url, date, note). */
  sources: SourceRecord[];
  /** src/reference/gpu-market.json: GPU interconnect, fp8 and normalised offers; empty when not given. */
  gpuMarket: GpuMarket;
  /** Entries left out, or read with a default, each with the reason. */
  gaps: ReferenceGap[];
}

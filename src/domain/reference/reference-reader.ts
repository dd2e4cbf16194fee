import { Money } from '../money.js';
import type { ArchitectureSpec, IslOsl, ModelKind, Precision } from '../economics/types.js';
import type { ModelTier } from '../planner/types.js';
import { canonicalProvider } from '../pricing/model-resolver.js';

/*
 * The only code that knows the layout of src/reference/economics.json. The
 * file is research output: nulls, prose notes and mixed types (concurrency is
 * a number or a sentence), so every field is parsed defensively here and every
 * consumer (the catalog seed, the economics catalog, the planner's tiers,
 * tests) reads these typed records instead of the raw JSON.
 * Prices are USD per 1M tokens (GPU prices USD per GPU-hour) as plain decimal
 * strings, never floats. An entry without a source id is dropped and reported:
 * every figure names its source.
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
  /** Entries left out, or read with a default, each with the reason. */
  gaps: ReferenceGap[];
}

type Raw = Readonly<Record<string, unknown>>;
/** Records why an entry of the section being read was left out (or defaulted). */
type Skip = (id: string, reason: string) => void;

function rec(v: unknown): Raw | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : null;
}

function records(v: unknown): Raw[] {
  return Array.isArray(v) ? v.map(rec).filter((r) => r !== null) : [];
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/**
 * JSON number (USD) → plain decimal string. String(n) is the shortest spelling
 * that parses back to the same double, so 0.3 stays "0.3"; toFixed() then
 * writes 1e-7 as "0.0000001". Negative or non-numeric values are not prices.
 */
function usd(v: unknown): string | null {
  const n = num(v);
  return n === null || n < 0 ? null : new Money(String(n)).toFixed();
}

function parseKind(v: unknown): ModelKind {
  return v === 'encoder' || v === 'encoder-decoder' ? v : 'decoder';
}

const TIERS: readonly ModelTier[] = ['frontier', 'mid', 'small'];

/**
 * Architecture is usable when the KV formula has its inputs: MLA dims, or
 * kvHeads and headDim, or at least the published bytes/token. Falcon-40B's
 * openModels entry ("multi-query (1 KV head)", no numbers) is not usable; the
 * economics take its seedModels entry (config: 8 KV heads) instead.
 */
function parseArchitecture(v: unknown): ArchitectureSpec | null {
  const a = rec(v);
  if (a === null) return null;
  const layers = num(a.layers);
  if (layers === null) return null;
  const kvLoraRank = num(a.kvLoraRank);
  const qkRopeHeadDim = num(a.qkRopeHeadDim);
  const mla = kvLoraRank !== null && qkRopeHeadDim !== null ? { kvLoraRank, qkRopeHeadDim } : null;
  const kvHeads = num(a.kvHeads);
  const headDim = num(a.headDim);
  const kvBytesPerTokenBF16 = num(a.kvBytesPerTokenBF16);
  if (mla === null && (kvHeads === null || headDim === null) && kvBytesPerTokenBF16 === null) return null;
  return {
    layers,
    kvHeads,
    headDim,
    kvBytesPerTokenBF16,
    mla,
    hiddenSize: num(a.hiddenSize) ?? num(a.dModel),
    attentionHeads: num(a.attentionHeads),
    slidingWindow: num(a.slidingWindow),
    encoderLayers: num(a.encoderLayers),
    decoderLayers: num(a.decoderLayers),
    source: str(a.source),
  };
}

/**
 * Native precision is only stated in prose notes: gpt-oss ships MXFP4 weights,
 * DeepSeek-V3 is "released natively in FP8".
 */
function parseNativePrecision(m: Raw): Precision | null {
  const arch = rec(m.architecture);
  const text = [str(m.note), str(m.notes), arch ? str(arch.note) : null].filter((s) => s !== null).join(' ');
  if (/mxfp4/i.test(text)) return 'mxfp4';
  if (/natively in fp8/i.test(text)) return 'fp8';
  return null;
}

/** "bf16 (assumed)" → bf16 (assumed); "not stated" → null. fp16 counts as bf16 (same bytes). */
export function parsePrecision(label: unknown): { precision: Precision | null; assumed: boolean } {
  const s = typeof label === 'string' ? label.toLowerCase() : '';
  const assumed = /assumed|not stated/.test(s);
  if (/mxfp4/.test(s)) return { precision: 'mxfp4', assumed };
  if (/bf16|fp16/.test(s)) return { precision: 'bf16', assumed };
  if (/fp8/.test(s)) return { precision: 'fp8', assumed };
  if (/int8/.test(s)) return { precision: 'int8', assumed };
  if (/int4|awq|gptq/.test(s)) return { precision: 'int4', assumed };
  return { precision: null, assumed };
}

function parseIslOsl(v: unknown): IslOsl | null {
  const s = str(v);
  const m = s === null ? null : /^(\d+)\s*\/\s*(\d+)$/.exec(s);
  if (m === null) return null;
  return { input: Number(m[1]), output: Number(m[2]) };
}

const NO_SOURCE = 'no source id';

function readClosedModel(m: Raw, skip: Skip): ClosedModelRecord | null {
  const id = str(m.id);
  const provider = str(m.provider);
  const input = usd(m.inputPerMTok);
  const output = usd(m.outputPerMTok);
  const source = str(m.source);
  // An unpriced model is left out rather than read as $0.
  if (id === null || provider === null || input === null || output === null) {
    skip(id ?? '?', 'missing id, provider, inputPerMTok or outputPerMTok');
    return null;
  }
  if (source === null) {
    skip(id, NO_SOURCE);
    return null;
  }
  let longContext: ClosedModelRecord['longContext'] = null;
  const lc = rec(m.longContextPricing);
  if (lc !== null) {
    const above = num(lc.thresholdTokens);
    const lcIn = usd(lc.inputPerMTok);
    const lcOut = usd(lc.outputPerMTok);
    // A tier that cannot be applied would under-bill long requests: leave the model out instead.
    if (above === null || !Number.isInteger(above) || above < 0 || lcIn === null || lcOut === null) {
      skip(id, 'longContextPricing lacks thresholdTokens, inputPerMTok or outputPerMTok');
      return null;
    }
    longContext = { thresholdTokens: above, inputPerMTok: lcIn, outputPerMTok: lcOut };
  }
  const tier = TIERS.find((t) => t === m.tier) ?? null;
  if (tier === null) skip(id, `tier ${JSON.stringify(m.tier ?? null)} is not frontier, mid or small: the planner treats it as mid`);
  return {
    id,
    provider: canonicalProvider(provider),
    sourceKey: str(m.sourceKey)?.trim().toLowerCase() ?? null,
    inputPerMTok: input,
    outputPerMTok: output,
    cachedInputPerMTok: usd(m.cachedInputPerMTok),
    cacheWritePerMTok: usd(m.cacheWritePerMTok),
    longContext,
    contextTokens: num(m.contextTokens),
    tier,
    source,
  };
}

function readManagedOpenApi(a: Raw, skip: Skip): ManagedOpenApiRecord | null {
  const provider = str(a.provider);
  const model = str(a.model);
  const input = usd(a.inputPerMTok);
  const output = usd(a.outputPerMTok);
  const source = str(a.source);
  const id = `${provider ?? '?'}/${model ?? '?'}`;
  if (provider === null || model === null || input === null || output === null) {
    skip(id, 'missing provider, model, inputPerMTok or outputPerMTok');
    return null;
  }
  if (source === null) {
    skip(id, NO_SOURCE);
    return null;
  }
  return {
    provider: canonicalProvider(provider),
    modelId: model.trim().toLowerCase(),
    listed: { provider, model },
    inputPerMTok: input,
    outputPerMTok: output,
    contextTokens: num(a.contextTokens),
    source,
    asOf: str(a.asOf),
  };
}

function readOpenModel(m: Raw, generation: OpenModelRecord['generation'], skip: Skip): OpenModelRecord | null {
  const id = str(m.id);
  const source = str(m.source);
  if (id === null || source === null) {
    skip(id ?? '?', id === null ? 'missing id' : NO_SOURCE);
    return null;
  }
  return {
    id,
    generation,
    family: str(m.family),
    paramsB: num(m.paramsB),
    activeParamsB: num(m.activeParamsB),
    kind: parseKind(m.kind),
    architecture: parseArchitecture(m.architecture),
    contextTokens: num(m.contextTokens),
    nativePrecision: parseNativePrecision(m),
    note: str(m.note) ?? str(m.notes),
    source,
    published: m,
  };
}

function readGpu(g: Raw, skip: Skip): GpuRecord | null {
  const id = str(g.id);
  const memoryGB = num(g.memoryGB);
  const memBandwidthTBs = num(g.memBandwidthTBs);
  const source = str(g.source);
  if (id === null || memoryGB === null || memBandwidthTBs === null) {
    skip(id ?? '?', 'missing id, memoryGB or memBandwidthTBs');
    return null;
  }
  if (source === null) {
    skip(id, NO_SOURCE);
    return null;
  }
  const hourly = rec(g.hourlyUSD) ?? {};
  let spot: string | null = null;
  let spotRange: [string, string] | null = null;
  if (Array.isArray(hourly.spot)) {
    const lo = hourly.spot.length === 2 ? usd(hourly.spot[0]) : null;
    const hi = hourly.spot.length === 2 ? usd(hourly.spot[1]) : null;
    if (lo !== null && hi !== null) spotRange = [lo, hi];
  } else {
    spot = usd(hourly.spot);
  }
  return {
    id,
    memoryGB,
    memBandwidthTBs,
    bf16TFLOPS: num(g.bf16TFLOPS),
    hourlyUsd: { onDemand: usd(hourly.onDemand), spot, spotRange, reserved1y: usd(hourly.reserved1y), basis: str(hourly.basis) },
    source,
    published: g,
  };
}

function readThroughput(t: Raw, skip: Skip): ThroughputRecord | null {
  const model = str(t.model);
  const gpu = str(t.gpu);
  const count = num(t.count);
  const outputTokPerSec = num(t.outputTokPerSec);
  const source = str(t.source);
  const id = `${model ?? '?'}@${gpu ?? '?'}`;
  if (model === null || gpu === null || count === null || outputTokPerSec === null) {
    skip(id, 'missing model, gpu, count or outputTokPerSec');
    return null;
  }
  if (source === null) {
    skip(id, NO_SOURCE);
    return null;
  }
  const { precision, assumed } = parsePrecision(t.precision);
  const concurrency = num(t.concurrency);
  return {
    // Spelled from the published values (absent ones print as "undefined") because stored facts are keyed by it.
    key: `${t.model}|${t.gpu}|${t.count}|${t.precision}|${t.engine}|${t.islOsl}|${t.concurrency}`,
    model,
    gpu,
    count,
    precision,
    precisionAssumed: assumed,
    outputTokPerSec,
    // A sentence instead of a number ("offline max", "320 prompts sent at once") means the engine was saturated.
    concurrency: concurrency ?? 'saturated',
    concurrencyLabel: concurrency === null ? (str(t.concurrency) ?? 'unknown') : String(concurrency),
    engine: str(t.engine) ?? 'unknown',
    islOsl: parseIslOsl(t.islOsl),
    derived: t.derived === true,
    source,
    published: t,
  };
}

function readRoutingResult(r: Raw, skip: Skip): RoutingResultRecord | null {
  const id = str(r.id);
  const source = str(r.source);
  if (id === null || source === null) {
    skip(id ?? '?', id === null ? 'missing id' : NO_SOURCE);
    return null;
  }
  return { id, source, published: r };
}

/** Reads the parsed reference file (src/reference/economics.json) into typed records; unusable entries go to `gaps`. */
export function readReference(raw: unknown): Reference {
  const file = rec(raw) ?? {};
  const gaps: ReferenceGap[] = [];
  function read<T>(section: string, one: (r: Raw, skip: Skip) => T | null): T[] {
    const skip: Skip = (id, reason) => gaps.push({ section, id, reason });
    return records(file[section])
      .map((r) => one(r, skip))
      .filter((r) => r !== null);
  }
  return {
    closedModels: read('closedModels', readClosedModel),
    managedOpenApis: read('managedOpenApis', readManagedOpenApi),
    openModels: read('openModels', (m, skip) => readOpenModel(m, 'current', skip)),
    seedModels: read('seedModels', (m, skip) => readOpenModel(m, 'seed', skip)),
    gpus: read('gpus', readGpu),
    throughput: read('throughput', readThroughput),
    routingResults: read('routingResults', readRoutingResult),
    gaps,
  };
}

import { Money } from '../money.js';
import { resolveModelId } from './model-key.js';
import type {
  ArchitectureSpec,
  Catalog,
  ClosedModelPrice,
  GpuSpec,
  IslOsl,
  ManagedOpenApiPrice,
  ModelKind,
  ModelSpec,
  Precision,
  ThroughputPoint,
} from './types.js';

/*
 * The reference JSON is seed data with nulls, prose notes and mixed types
 * (concurrency is a number or a sentence). These shapes are deliberately loose
 * so the imported JSON type is assignable; every field is parsed defensively.
 */
interface RefRecord {
  [key: string]: unknown;
}

/** The parts of `src/reference/economics.json` the economics model reads. */
export interface EconomicsReference {
  openModels?: readonly RefRecord[];
  seedModels?: readonly RefRecord[];
  gpus?: readonly RefRecord[];
  throughput?: readonly RefRecord[];
  managedOpenApis?: readonly RefRecord[];
  closedModels?: readonly RefRecord[];
}

/** A reference fact that could not be used, and why (shown to users as a data gap). */
export interface ReferenceGap {
  section: string;
  id: string;
  reason: string;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

function rec(v: unknown): RefRecord | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as RefRecord) : null;
}

function money(v: unknown): InstanceType<typeof Money> | null {
  const n = num(v);
  return n === null ? null : new Money(n);
}

function parseKind(v: unknown): ModelKind {
  return v === 'encoder' || v === 'encoder-decoder' ? v : 'decoder';
}

/**
 * Architecture is usable when the KV formula has its inputs: MLA dims, or
 * kvHeads and headDim, or at least the published bytes/token. Falcon-40B's
 * openModels entry ("multi-query (1 KV head)", no numbers) is not usable and is
 * replaced by its seedModels entry (config: 8 KV heads).
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
function parseNativePrecision(m: RefRecord): Precision | null {
  const arch = rec(m.architecture);
  const text = [str(m.note), str(m.notes), arch ? str(arch.note) : null].filter((s) => s !== null).join(' ');
  if (/mxfp4/i.test(text)) return 'mxfp4';
  if (/natively in fp8/i.test(text)) return 'fp8';
  return null;
}

function parseModel(m: RefRecord): ModelSpec | null {
  const id = str(m.id);
  if (id === null) return null;
  const notes: string[] = [];
  const note = str(m.note) ?? str(m.notes);
  if (note !== null) notes.push(note);
  return {
    id,
    family: str(m.family),
    paramsB: num(m.paramsB),
    activeParamsB: num(m.activeParamsB),
    kind: parseKind(m.kind),
    architecture: parseArchitecture(m.architecture),
    contextTokens: num(m.contextTokens),
    nativePrecision: parseNativePrecision(m),
    source: str(m.source),
    notes,
  };
}

/** Maps openModels then seedModels into ModelSpecs (one per id; seed fills gaps, e.g. Falcon-40B's KV heads). */
export function modelSpecsFromReference(ref: EconomicsReference): ModelSpec[] {
  const byId = new Map<string, ModelSpec>();
  for (const raw of ref.openModels ?? []) {
    const m = parseModel(raw);
    if (m !== null) byId.set(m.id.toLowerCase(), m);
  }
  for (const raw of ref.seedModels ?? []) {
    const seed = parseModel(raw);
    if (seed === null) continue;
    const key = seed.id.toLowerCase();
    const open = byId.get(key);
    if (open === undefined) {
      byId.set(key, seed);
      continue;
    }
    const notes = [...(open.notes ?? [])];
    if (open.architecture === null && seed.architecture !== null) {
      notes.push(`architecture taken from seedModels (${seed.architecture.source ?? 'no source'}): openModels entry lacked KV head numbers`);
    }
    byId.set(key, {
      ...open,
      paramsB: open.paramsB ?? seed.paramsB,
      activeParamsB: open.activeParamsB ?? seed.activeParamsB,
      kind: seed.kind,
      architecture: open.architecture ?? seed.architecture,
      contextTokens: open.contextTokens ?? seed.contextTokens,
      nativePrecision: open.nativePrecision ?? seed.nativePrecision,
      notes,
    });
  }
  return [...byId.values()];
}

/** Maps gpus into GpuSpecs; spot = midpoint of the published range, committed = reserved1y (null in the reference). */
export function gpusFromReference(ref: EconomicsReference): GpuSpec[] {
  const out: GpuSpec[] = [];
  for (const g of ref.gpus ?? []) {
    const id = str(g.id);
    const memoryGB = num(g.memoryGB);
    const memBandwidthTBs = num(g.memBandwidthTBs);
    if (id === null || memoryGB === null || memBandwidthTBs === null) continue;
    const hourly = rec(g.hourlyUSD) ?? {};
    let spotRange: GpuSpec['hourlyUsd']['spotRange'] = null;
    let spot: GpuSpec['hourlyUsd']['spot'] = null;
    if (Array.isArray(hourly.spot) && hourly.spot.length === 2) {
      const lo = money(hourly.spot[0]);
      const hi = money(hourly.spot[1]);
      if (lo !== null && hi !== null) {
        spotRange = [lo, hi];
        spot = lo.plus(hi).div(2);
      }
    } else {
      spot = money(hourly.spot);
    }
    out.push({
      id,
      memoryGB,
      memBandwidthTBs,
      bf16TFLOPS: num(g.bf16TFLOPS),
      hourlyUsd: { onDemand: money(hourly.onDemand), spot, spotRange, committed: money(hourly.reserved1y) },
      priceBasis: str(hourly.basis),
      source: str(g.source),
    });
  }
  return out;
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

/**
 * Maps throughput into ThroughputPoints, resolving each published model name
 * to a catalog id (case and "Meta-"/"-Instruct"/"-FP8" ignored). A non-numeric
 * concurrency ("offline max", "320 prompts sent at once") means the engine was
 * saturated.
 */
export function throughputFromReference(ref: EconomicsReference, modelIds?: readonly string[]): ThroughputPoint[] {
  const ids = modelIds ?? modelSpecsFromReference(ref).map((m) => m.id);
  const out: ThroughputPoint[] = [];
  for (const t of ref.throughput ?? []) {
    const model = str(t.model);
    const gpu = str(t.gpu);
    const count = num(t.count);
    const outputTokPerSec = num(t.outputTokPerSec);
    if (model === null || gpu === null || count === null || outputTokPerSec === null) continue;
    const { precision, assumed } = parsePrecision(t.precision);
    const concurrencyNum = num(t.concurrency);
    out.push({
      model,
      modelId: resolveModelId(model, ids),
      gpu,
      count,
      precision,
      precisionAssumed: assumed,
      outputTokPerSec,
      concurrency: concurrencyNum ?? 'saturated',
      concurrencyLabel: concurrencyNum === null ? (str(t.concurrency) ?? 'unknown') : String(concurrencyNum),
      engine: str(t.engine) ?? 'unknown',
      source: str(t.source) ?? 'unknown',
      islOsl: parseIslOsl(t.islOsl),
      derived: t.derived === true,
    });
  }
  return out;
}

/** Maps managedOpenApis into prices, resolving provider model strings to catalog ids where possible. */
export function managedOpenApisFromReference(ref: EconomicsReference, modelIds?: readonly string[]): ManagedOpenApiPrice[] {
  const ids = modelIds ?? modelSpecsFromReference(ref).map((m) => m.id);
  const out: ManagedOpenApiPrice[] = [];
  for (const a of ref.managedOpenApis ?? []) {
    const provider = str(a.provider);
    const model = str(a.model);
    const inputPerMTok = num(a.inputPerMTok);
    const outputPerMTok = num(a.outputPerMTok);
    if (provider === null || model === null || inputPerMTok === null || outputPerMTok === null) continue;
    out.push({
      provider,
      model,
      modelId: resolveModelId(model, ids),
      inputPerMTok: new Money(inputPerMTok),
      outputPerMTok: new Money(outputPerMTok),
      contextTokens: num(a.contextTokens),
      source: str(a.source),
      asOf: str(a.asOf),
    });
  }
  return out;
}

/** Maps closedModels into list prices; a model without both input and output prices is left out (unpriced, never $0). */
export function closedModelsFromReference(ref: EconomicsReference): ClosedModelPrice[] {
  const out: ClosedModelPrice[] = [];
  for (const c of ref.closedModels ?? []) {
    const id = str(c.id);
    const inputPerMTok = num(c.inputPerMTok);
    const outputPerMTok = num(c.outputPerMTok);
    if (id === null || inputPerMTok === null || outputPerMTok === null) continue;
    const lc = rec(c.longContextPricing);
    const lcThreshold = lc ? num(lc.thresholdTokens) : null;
    const lcIn = lc ? num(lc.inputPerMTok) : null;
    const lcOut = lc ? num(lc.outputPerMTok) : null;
    out.push({
      id,
      provider: str(c.provider) ?? 'unknown',
      inputPerMTok: new Money(inputPerMTok),
      outputPerMTok: new Money(outputPerMTok),
      cachedInputPerMTok: money(c.cachedInputPerMTok),
      longContext:
        lcThreshold !== null && lcIn !== null && lcOut !== null
          ? { thresholdTokens: lcThreshold, inputPerMTok: new Money(lcIn), outputPerMTok: new Money(lcOut) }
          : null,
      contextTokens: num(c.contextTokens),
      source: str(c.source),
    });
  }
  return out;
}

/** Lists reference facts the economics cannot use (missing params, architecture, unknown GPUs), for display. */
export function referenceGaps(ref: EconomicsReference): ReferenceGap[] {
  const gaps: ReferenceGap[] = [];
  const models = modelSpecsFromReference(ref);
  for (const m of models) {
    if (m.paramsB === null) gaps.push({ section: 'models', id: m.id, reason: 'paramsB is null: cannot size weights' });
    if (m.architecture === null && m.kind !== 'encoder') {
      gaps.push({ section: 'models', id: m.id, reason: 'no usable architecture (layers, KV heads, head dim): cannot size KV cache' });
    }
  }
  const gpuIds = new Set(gpusFromReference(ref).map((g) => g.id));
  for (const p of throughputFromReference(ref, models.map((m) => m.id))) {
    if (!gpuIds.has(p.gpu)) gaps.push({ section: 'throughput', id: `${p.model}@${p.gpu}`, reason: `GPU ${p.gpu} is not in gpus[]: cannot scale from this point` });
    if (p.modelId === null) gaps.push({ section: 'throughput', id: `${p.model}@${p.gpu}`, reason: 'model name matches no catalog model' });
    if (p.precision === null) gaps.push({ section: 'throughput', id: `${p.model}@${p.gpu}`, reason: 'precision not stated' });
  }
  for (const g of gpusFromReference(ref)) {
    if (g.hourlyUsd.committed === null) gaps.push({ section: 'gpus', id: g.id, reason: 'no committed/reserved price' });
  }
  return gaps;
}

/** Builds the whole catalog (models, GPUs, throughput, managed open APIs, closed models) from the reference. */
export function catalogFromReference(ref: EconomicsReference): Catalog {
  const models = modelSpecsFromReference(ref);
  const ids = models.map((m) => m.id);
  return {
    models,
    gpus: gpusFromReference(ref),
    throughput: throughputFromReference(ref, ids),
    managedOpenApis: managedOpenApisFromReference(ref, ids),
    closedModels: closedModelsFromReference(ref),
  };
}

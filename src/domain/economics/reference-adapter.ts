import { Money } from '../money.js';
import type { OpenModelRecord, Reference, ReferenceGap } from '../reference/reference-reader.js';
import { matchModelKey } from './model-key.js';
import type { Catalog, ClosedModelPrice, GpuSpec, ManagedOpenApiPrice, ModelSpec, ThroughputPoint } from './types.js';

export type { ReferenceGap } from '../reference/reference-reader.js';

/*
 * The economics' view of the reference records (read by
 * domain/reference/reference-reader.ts): open and seed models merged into one
 * spec per id, published model names matched to those ids, prices as Money.
 */

/** Open models then seed models as ModelSpecs (one per id; the seed fills gaps, e.g. Falcon-40B's KV heads). */
export function modelSpecsFromReference(ref: Reference): ModelSpec[] {
  const spec = (m: OpenModelRecord): ModelSpec => ({
    id: m.id,
    family: m.family,
    paramsB: m.paramsB,
    activeParamsB: m.activeParamsB,
    kind: m.kind,
    architecture: m.architecture,
    contextTokens: m.contextTokens,
    nativePrecision: m.nativePrecision,
    source: m.source,
    notes: m.note === null ? [] : [m.note],
  });
  const byId = new Map<string, ModelSpec>();
  for (const m of ref.openModels) byId.set(m.id.toLowerCase(), spec(m));
  for (const s of ref.seedModels) {
    const seed = spec(s);
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

const money = (usd: string | null) => (usd === null ? null : new Money(usd));

/** GpuSpecs (USD per GPU-hour); spot = midpoint of the published range, committed = reserved1y (null in the reference). */
export function gpusFromReference(ref: Reference): GpuSpec[] {
  return ref.gpus.map((g) => {
    const r = g.hourlyUsd.spotRange;
    const range: GpuSpec['hourlyUsd']['spotRange'] = r === null ? null : [new Money(r[0]), new Money(r[1])];
    return {
      id: g.id,
      memoryGB: g.memoryGB,
      memBandwidthTBs: g.memBandwidthTBs,
      bf16TFLOPS: g.bf16TFLOPS,
      hourlyUsd: {
        onDemand: money(g.hourlyUsd.onDemand),
        spot: range ? range[0].plus(range[1]).div(2) : money(g.hourlyUsd.spot),
        spotRange: range,
        committed: money(g.hourlyUsd.reserved1y),
      },
      priceBasis: g.hourlyUsd.basis,
      source: g.source,
    };
  });
}

/**
 * ThroughputPoints, each published model name matched to a model id (case,
 * "Meta-", "-Instruct" and "-FP8" ignored; see model-key.ts).
 */
export function throughputFromReference(ref: Reference, modelIds?: readonly string[]): ThroughputPoint[] {
  const ids = modelIds ?? modelSpecsFromReference(ref).map((m) => m.id);
  return ref.throughput.map((t) => ({
    model: t.model,
    modelId: matchModelKey(t.model, ids),
    gpu: t.gpu,
    count: t.count,
    precision: t.precision,
    precisionAssumed: t.precisionAssumed,
    outputTokPerSec: t.outputTokPerSec,
    concurrency: t.concurrency,
    concurrencyLabel: t.concurrencyLabel,
    engine: t.engine,
    source: t.source,
    islOsl: t.islOsl,
    derived: t.derived,
  }));
}

/**
 * Managed open-model API prices (USD per 1M tokens), each provider model
 * string matched to a model id where possible. Provider and model keep the
 * source table's spelling: every offer is listed, as published.
 */
export function managedOpenApisFromReference(ref: Reference, modelIds?: readonly string[]): ManagedOpenApiPrice[] {
  const ids = modelIds ?? modelSpecsFromReference(ref).map((m) => m.id);
  return ref.managedOpenApis.map((a) => ({
    provider: a.listed.provider,
    model: a.listed.model,
    modelId: matchModelKey(a.listed.model, ids),
    inputPerMTok: new Money(a.inputPerMTok),
    outputPerMTok: new Money(a.outputPerMTok),
    contextTokens: a.contextTokens,
    source: a.source,
    asOf: a.asOf,
  }));
}

/** Closed models' list prices (USD per 1M tokens). */
export function closedModelsFromReference(ref: Reference): ClosedModelPrice[] {
  return ref.closedModels.map((c) => ({
    id: c.id,
    provider: c.provider,
    inputPerMTok: new Money(c.inputPerMTok),
    outputPerMTok: new Money(c.outputPerMTok),
    cachedInputPerMTok: money(c.cachedInputPerMTok),
    longContext:
      c.longContext === null
        ? null
        : { thresholdTokens: c.longContext.thresholdTokens, inputPerMTok: new Money(c.longContext.inputPerMTok), outputPerMTok: new Money(c.longContext.outputPerMTok) },
    contextTokens: c.contextTokens,
    source: c.source,
  }));
}

/**
 * Reference facts the economics cannot use (entries the reader left out,
 * missing params or architecture, unknown GPUs), for display.
 */
export function referenceGaps(ref: Reference): ReferenceGap[] {
  const gaps: ReferenceGap[] = [...ref.gaps];
  const models = modelSpecsFromReference(ref);
  for (const m of models) {
    if (m.paramsB === null) gaps.push({ section: 'models', id: m.id, reason: 'paramsB is null: cannot size weights' });
    if (m.architecture === null && m.kind !== 'encoder') {
      gaps.push({ section: 'models', id: m.id, reason: 'no usable architecture (layers, KV heads, head dim): cannot size KV cache' });
    }
  }
  const gpus = gpusFromReference(ref);
  const gpuIds = new Set(gpus.map((g) => g.id));
  for (const p of throughputFromReference(ref, models.map((m) => m.id))) {
    if (!gpuIds.has(p.gpu)) gaps.push({ section: 'throughput', id: `${p.model}@${p.gpu}`, reason: `GPU ${p.gpu} is not in gpus[]: cannot scale from this point` });
    if (p.modelId === null) gaps.push({ section: 'throughput', id: `${p.model}@${p.gpu}`, reason: 'model name matches no catalog model' });
    if (p.precision === null) gaps.push({ section: 'throughput', id: `${p.model}@${p.gpu}`, reason: 'precision not stated' });
  }
  for (const g of gpus) {
    if (g.hourlyUsd.committed === null) gaps.push({ section: 'gpus', id: g.id, reason: 'no committed/reserved price' });
  }
  return gaps;
}

/** The economics Catalog (models, GPUs, throughput, managed open APIs, closed models) from the reference records. */
export function economicsCatalogFrom(ref: Reference): Catalog {
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

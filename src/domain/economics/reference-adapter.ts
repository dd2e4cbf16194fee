import type { Decimal } from 'decimal.js';
import { Money } from '../money.js';
import type { OpenModelRecord, Reference, ReferenceGap } from '../reference/reference-reader.js';
import { matchModelKey } from './model-key.js';
import {
  GPU_PRICE_TIERS,
  type Catalog,
  type ClosedModelPrice,
  type GpuOffer,
  type GpuPriceTier,
  type GpuSpec,
  type GpuTierPrice,
  type ManagedOpenApiPrice,
  type ModelSpec,
  type ThroughputPoint,
} from './types.js';

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

/**
 * The GPU catalog's as-of date. Market tiers take offers dated within the
 * GPU_MARKET_WINDOW_MONTHS before it; a constant (not "today") so the same
 * reference files always give the same prices. Move it when gpu-market.json
 * is refreshed.
 */
export const GPU_CATALOG_AS_OF = '2026-12-01';
export const GPU_MARKET_WINDOW_MONTHS = 18;

const dayOf = (d: string) => (d.length === 7 ? `${d}-01` : d);

/** First day (YYYY-MM-DD) of the market window ending at `asOf` (YYYY-MM-DD), `months` earlier. */
export function marketWindowStart(asOf: string = GPU_CATALOG_AS_OF, months: number = GPU_MARKET_WINDOW_MONTHS): string {
  const [y, m, d] = dayOf(asOf).split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Offer usable for a market figure: sourced, dated, not stale, dated inside the window before the catalog date. */
export function isMarketEligible(o: GpuOffer, asOf: string = GPU_CATALOG_AS_OF): boolean {
  if (o.stale || o.asOf === null) return false;
  const d = dayOf(o.asOf);
  return d >= marketWindowStart(asOf) && d <= dayOf(asOf);
}

/** Offer kinds that make up a tier: on-demand tiers count capacity blocks as on-demand offers. */
export function offerMatchesTier(o: GpuOffer, tier: GpuPriceTier): boolean {
  switch (tier) {
    case 'marketOnDemand':
      return o.kind === 'onDemand' || o.kind === 'capacityBlock';
    case 'hyperscalerOnDemand':
      return o.hyperscaler && (o.kind === 'onDemand' || o.kind === 'capacityBlock');
    case 'committed1y':
      return o.kind === 'committed1y';
    case 'spot':
      return o.kind === 'spot';
  }
}

/** Median (USD per GPU-hour) of a non-empty list; the mean of the two middle values for an even count. */
export function medianUsd(values: readonly Decimal[]): Decimal {
  if (values.length === 0) throw new Error('medianUsd: empty list');
  const sorted = [...values].sort((a, b) => a.comparedTo(b));
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as Decimal) : (sorted[mid - 1] as Decimal).plus(sorted[mid] as Decimal).div(2);
}

const unique = <T>(xs: readonly T[]) => [...new Set(xs)];

/** Dates of a set of offers as "first..last" (or one date). */
function dateSpan(offers: readonly GpuOffer[]): { first: string; last: string; label: string } {
  const dates = offers.map((o) => o.asOf as string).sort((a, b) => dayOf(a).localeCompare(dayOf(b)));
  const first = dates[0] as string;
  const last = dates[dates.length - 1] as string;
  return { first, last, label: first === last ? first : `${first}..${last}` };
}

/** One tier's figure from the eligible offers of that tier: their median, with sources and the newest date. */
export function tierPriceFromOffers(offers: readonly GpuOffer[], what: string, suffix = ''): GpuTierPrice {
  const span = dateSpan(offers);
  const median = medianUsd(offers.map((o) => o.usdPerGpuHour));
  const providers = unique(offers.map((o) => o.provider)).join(', ');
  return {
    usdPerGpuHour: median,
    basis: `${offers.length === 1 ? 'single' : `median of ${offers.length}`} ${what} offer${offers.length === 1 ? '' : 's'} dated ${span.label} (${providers})${suffix}`,
    sourceIds: unique(offers.map((o) => o.sourceId)),
    asOf: span.last,
    offerCount: offers.length,
  };
}

const TIER_WHAT: Record<GpuPriceTier, string> = {
  marketOnDemand: 'on-demand',
  hyperscalerOnDemand: 'AWS/GCP/Azure on-demand',
  committed1y: '1-year commitment',
  spot: 'spot',
};

const TIER_SUFFIX: Record<GpuPriceTier, string> = {
  marketOnDemand: '; hyperscalers and specialist clouds together, capacity blocks counted as on-demand',
  hyperscalerOnDemand: '',
  committed1y: '',
  spot: '; spot capacity can be reclaimed at short notice: only for workloads that accept interruption',
};

/**
 * The four price tiers of one GPU (USD per GPU-hour) from its offers:
 * marketOnDemand and hyperscalerOnDemand are medians of on-demand offers
 * dated in the window, spot the median of spot offers, committed1y the median
 * of sourced 1-year offers or else marketOnDemand x (1 - the sourced 1-year
 * discount). A tier with no support is null with a reason.
 */
export function gpuTierPrices(
  gpuId: string,
  offers: readonly GpuOffer[],
  discount1y: { fraction: Decimal; sourceId: string; asOf: string } | null,
  asOf: string = GPU_CATALOG_AS_OF,
): { prices: Record<GpuPriceTier, GpuTierPrice | null>; priceGaps: Partial<Record<GpuPriceTier, string>> } {
  const prices = {} as Record<GpuPriceTier, GpuTierPrice | null>;
  const priceGaps: Partial<Record<GpuPriceTier, string>> = {};
  const window = `${marketWindowStart(asOf)}..${asOf}`;
  for (const tier of GPU_PRICE_TIERS) {
    const ofTier = offers.filter((o) => offerMatchesTier(o, tier));
    const eligible = ofTier.filter((o) => isMarketEligible(o, asOf));
    const leftOut = ofTier.length - eligible.length;
    const note = leftOut > 0 ? `; ${leftOut} stale, undated or older offer${leftOut === 1 ? '' : 's'} left out` : '';
    if (eligible.length > 0) {
      prices[tier] = tierPriceFromOffers(eligible, TIER_WHAT[tier], TIER_SUFFIX[tier] + note);
      continue;
    }
    prices[tier] = null;
    priceGaps[tier] = `no sourced ${TIER_WHAT[tier]} offer for ${gpuId} dated ${window}${ofTier.length ? ` (${ofTier.length} stale, undated or older)` : ''}`;
  }
  const market = prices.marketOnDemand;
  if (prices.committed1y === null && market !== null && discount1y !== null) {
    const f = discount1y.fraction;
    prices.committed1y = {
      usdPerGpuHour: market.usdPerGpuHour.mul(new Money(1).minus(f)),
      basis: `marketOnDemand $${market.usdPerGpuHour.toFixed()} x (1 - ${f.toFixed()}): sourced 1-year commitment discount (${discount1y.sourceId}); no 1-year price found for ${gpuId}`,
      sourceIds: unique([...market.sourceIds, discount1y.sourceId]),
      asOf: dayOf(discount1y.asOf) > dayOf(market.asOf) ? discount1y.asOf : market.asOf,
      offerCount: market.offerCount,
    };
    delete priceGaps.committed1y;
  } else if (prices.committed1y === null) {
    priceGaps.committed1y += discount1y === null ? '; no sourced 1-year discount' : '; no market on-demand price to apply the 1-year discount to';
  }
  return { prices, priceGaps };
}

/**
 * GpuSpecs (USD per GPU-hour) from the reference: memory, bandwidth and bf16
 * from economics.json gpus[]; interconnect, fp8, offers and the four price
 * tiers from gpu-market.json (see gpuTierPrices).
 */
export function gpusFromReference(ref: Reference, asOf: string = GPU_CATALOG_AS_OF): GpuSpec[] {
  const market = new Map(ref.gpuMarket.gpus.map((g) => [g.id, g]));
  const d = ref.gpuMarket.commitmentDiscounts.find((x) => x.term === '1y') ?? null;
  const discount1y = d === null ? null : { fraction: new Money(d.fraction), sourceId: d.sourceId, asOf: d.asOf };
  return ref.gpus.map((g) => {
    const m = market.get(g.id);
    const offers: GpuOffer[] = (m?.offers ?? []).map((o) => ({
      provider: o.provider,
      sku: o.sku,
      gpusPerInstance: o.gpusPerInstance,
      kind: o.kind,
      usdPerGpuHour: new Money(o.usdPerGpuHour),
      hyperscaler: o.hyperscaler,
      region: o.region,
      sourceId: o.sourceId,
      asOf: o.asOf,
      stale: o.stale,
      note: o.note,
    }));
    const { prices, priceGaps } = gpuTierPrices(g.id, offers, discount1y, asOf);
    const spec: GpuSpec = {
      id: g.id,
      memoryGB: g.memoryGB,
      memBandwidthTBs: g.memBandwidthTBs,
      bf16TFLOPS: g.bf16TFLOPS,
      fp8TFLOPS: m?.fp8TFLOPS?.value ?? null,
      prices,
      priceGaps,
      offers,
      commitment1y: discount1y,
      factSources: { interconnect: m?.interconnect?.sourceId ?? null, fp8: m?.fp8?.sourceId ?? null, fp8TFLOPS: m?.fp8TFLOPS?.sourceId ?? null },
      source: g.source,
    };
    if (m?.interconnect) spec.interconnect = m.interconnect.value;
    if (m?.fp8) spec.fp8 = m.fp8.value;
    return spec;
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
    for (const [tier, reason] of Object.entries(g.priceGaps ?? {})) gaps.push({ section: 'gpus', id: g.id, reason: `${tier} price: ${reason}` });
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

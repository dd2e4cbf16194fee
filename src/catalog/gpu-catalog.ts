import { GPU_CATALOG_AS_OF, GPU_MARKET_WINDOW_MONTHS, gpusFromReference, marketWindowStart } from '../domain/economics/reference-adapter.js';
import { GPU_PRICE_TIERS, type GpuPriceTier, type GpuSpec, type GpuTierPrice } from '../domain/economics/types.js';
import type { Reference } from '../domain/reference/reference-reader.js';
import type { GpuOfferRecord } from '../domain/reference/gpu-market-records.js';

/*
 * The GPU catalog as the API shows it: the economics' GpuSpecs in a JSON-safe
 * shape (money as decimal strings, USD per GPU-hour), with every source id
 * they cite resolved to its URL and date. No raw reference-file keys.
 */

export interface GpuTierPriceView {
  usdPerGpuHour: string;
  basis: string;
  sourceIds: string[];
  asOf: string;
  offerCount: number;
}

/** An offer as the API shows it: the reference record (USD per GPU-hour as a decimal string). */
export type GpuOfferView = GpuOfferRecord;

export interface SourceRefView {
  id: string;
  url: string | null;
  date: string | null;
}

export interface GpuView {
  id: string;
  memoryGB: number;
  memBandwidthTBs: number;
  bf16TFLOPS: number | null;
  fp8TFLOPS: number | null;
  interconnect: string | null;
  fp8: string | null;
  prices: Record<GpuPriceTier, GpuTierPriceView | null>;
  /** Why a tier has no price. */
  priceGaps: Partial<Record<GpuPriceTier, string>>;
  offers: GpuOfferView[];
  factSources: { spec: string | null; interconnect: string | null; fp8: string | null; fp8TFLOPS: string | null };
  sources: SourceRefView[];
}

export interface GpuCatalogView {
  /** The catalog's as-of date (YYYY-MM-DD); market tiers use offers dated in the window before it. */
  asOf: string;
  marketWindow: { from: string; to: string; months: number };
  data: GpuView[];
}

function tierView(p: GpuTierPrice | null): GpuTierPriceView | null {
  return p === null ? null : { usdPerGpuHour: p.usdPerGpuHour.toFixed(), basis: p.basis, sourceIds: p.sourceIds, asOf: p.asOf, offerCount: p.offerCount };
}

function gpuView(g: GpuSpec, resolve: (id: string) => SourceRefView): GpuView {
  const prices = Object.fromEntries(GPU_PRICE_TIERS.map((t) => [t, tierView(g.prices[t])])) as Record<GpuPriceTier, GpuTierPriceView | null>;
  const factSources = {
    spec: g.source,
    interconnect: g.factSources?.interconnect ?? null,
    fp8: g.factSources?.fp8 ?? null,
    fp8TFLOPS: g.factSources?.fp8TFLOPS ?? null,
  };
  const ids = new Set<string>();
  for (const id of [...Object.values(factSources), ...GPU_PRICE_TIERS.flatMap((t) => g.prices[t]?.sourceIds ?? []), ...g.offers.map((o) => o.sourceId)]) {
    if (id !== null) ids.add(id);
  }
  return {
    id: g.id,
    memoryGB: g.memoryGB,
    memBandwidthTBs: g.memBandwidthTBs,
    bf16TFLOPS: g.bf16TFLOPS,
    fp8TFLOPS: g.fp8TFLOPS ?? null,
    interconnect: g.interconnect ?? null,
    fp8: g.fp8 ?? null,
    prices,
    priceGaps: { ...(g.priceGaps ?? {}) },
    offers: g.offers.map((o) => ({ ...o, usdPerGpuHour: o.usdPerGpuHour.toFixed(), note: o.note ?? null })),
    factSources,
    sources: [...ids].map(resolve),
  };
}

/** The GPU catalog view (USD per GPU-hour as decimal strings) of the reference data, sources resolved from both reference files. */
export function gpuCatalogView(ref: Reference, asOf: string = GPU_CATALOG_AS_OF): GpuCatalogView {
  const sources = new Map([...ref.sources, ...ref.gpuMarket.sources].map((s) => [s.id, { id: s.id, url: s.url, date: s.date }]));
  const resolve = (id: string): SourceRefView => sources.get(id) ?? { id, url: null, date: null };
  return {
    asOf,
    marketWindow: { from: marketWindowStart(asOf), to: asOf, months: GPU_MARKET_WINDOW_MONTHS },
    data: gpusFromReference(ref, asOf).map((g) => gpuView(g, resolve)),
  };
}

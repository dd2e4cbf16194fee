import type { Fp8Support, Interconnect } from '../economics/types.js';
import { num, rec, records, str, type Raw } from './reference-fields.js';
import {
  GPU_OFFER_KINDS,
  type CommitmentDiscountRecord,
  type GpuMarket,
  type GpuMarketRecord,
  type GpuOfferKind,
  type GpuOfferRecord,
  type SourceRecord,
  type SourcedFact,
} from './gpu-market-records.js';
import type { ReferenceGap } from './reference-records.js';

/*
 * The only code that knows the layout of src/reference/gpu-market.json (GPU
 * interconnect, fp8 support and normalised offers in USD per GPU-hour). Like
 * reference-reader.ts it parses defensively: an unusable entry is left out
 * and reported as a gap, never read as $0.
 */

export type * from './gpu-market-records.js';

/** A YYYY-MM or YYYY-MM-DD date, else null. */
export function isoMonthOrDay(v: unknown): string | null {
  const s = str(v);
  return s !== null && /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/.test(s) ? s : null;
}

/** A price as a decimal string ("3.78"), never negative; numbers are not accepted (the file spells prices as strings). */
function priceString(v: unknown): string | null {
  const s = str(v);
  return s !== null && /^\d+(\.\d+)?$/.test(s) ? s : null;
}

function fact<T>(value: T | null, sourceId: unknown): SourcedFact<T> | null {
  return value === null ? null : { value, sourceId: str(sourceId) };
}

function readOffer(o: Raw, gpuId: string, gaps: ReferenceGap[]): GpuOfferRecord | null {
  const provider = str(o.provider);
  const sku = str(o.sku);
  const kind = GPU_OFFER_KINDS.find((k) => k === o.kind) ?? null;
  const usd = priceString(o.usdPerGpuHour);
  const gpusPerInstance = num(o.gpusPerInstance);
  const sourceId = str(o.sourceId);
  const id = `${gpuId}/${provider ?? '?'}/${sku ?? '?'}`;
  if (provider === null || sku === null || kind === null || usd === null || gpusPerInstance === null || !Number.isInteger(gpusPerInstance) || gpusPerInstance < 1) {
    gaps.push({ section: 'gpuMarket', id, reason: 'offer lacks provider, sku, kind, usdPerGpuHour (decimal string) or gpusPerInstance' });
    return null;
  }
  if (sourceId === null) {
    gaps.push({ section: 'gpuMarket', id, reason: 'no source id' });
    return null;
  }
  const asOf = isoMonthOrDay(o.asOf);
  return {
    provider,
    sku,
    gpusPerInstance,
    kind: kind as GpuOfferKind,
    usdPerGpuHour: usd,
    hyperscaler: o.hyperscaler === true,
    region: str(o.region),
    sourceId,
    asOf,
    // An undated offer cannot be placed in the market window, whatever the file says.
    stale: o.stale === true || asOf === null,
    note: str(o.note),
  };
}

function readGpu(g: Raw, gaps: ReferenceGap[]): GpuMarketRecord | null {
  const id = str(g.id);
  if (id === null) {
    gaps.push({ section: 'gpuMarket', id: '?', reason: 'missing id' });
    return null;
  }
  const interconnect: Interconnect | null = g.interconnect === 'nvlink' || g.interconnect === 'pcie' ? g.interconnect : null;
  const fp8: Fp8Support | null = g.fp8 === 'native' || g.fp8 === 'weight-only' || g.fp8 === 'none' ? g.fp8 : null;
  const tflops = num(g.fp8TFLOPS);
  return {
    id,
    interconnect: fact(interconnect, g.interconnectSource),
    fp8: fact(fp8, g.fp8Source),
    fp8TFLOPS: fact(tflops !== null && tflops > 0 ? tflops : null, g.fp8TFLOPSSource),
    offers: records(g.offers)
      .map((o) => readOffer(o, id, gaps))
      .filter((o) => o !== null),
  };
}

function readDiscount(d: Raw, gaps: ReferenceGap[]): CommitmentDiscountRecord | null {
  const fraction = priceString(d.fraction);
  const sourceId = str(d.sourceId);
  const asOf = isoMonthOrDay(d.asOf);
  if (d.term !== '1y' || fraction === null || Number(fraction) >= 1 || sourceId === null || asOf === null) {
    gaps.push({ section: 'gpuMarket', id: 'commitmentDiscounts', reason: 'discount lacks term 1y, a fraction below 1, a source id or a date' });
    return null;
  }
  return { term: '1y', fraction, sourceId, asOf, note: str(d.note) };
}

/** Reads a reference file's sources[] (id, url, date, note). */
export function readSources(v: unknown): SourceRecord[] {
  return records(v)
    .map((s) => {
      const id = str(s.id);
      return id === null ? null : { id, url: str(s.url), date: str(s.date), note: str(s.note) };
    })
    .filter((s) => s !== null);
}

/** Reads parsed src/reference/gpu-market.json into typed records; unusable entries go to `gaps`. */
export function readGpuMarket(raw: unknown): { market: GpuMarket; gaps: ReferenceGap[] } {
  const file = rec(raw) ?? {};
  const gaps: ReferenceGap[] = [];
  return {
    market: {
      sources: readSources(file.sources),
      commitmentDiscounts: records(file.commitmentDiscounts)
        .map((d) => readDiscount(d, gaps))
        .filter((d) => d !== null),
      gpus: records(file.gpus)
        .map((g) => readGpu(g, gaps))
        .filter((g) => g !== null),
    },
    gaps,
  };
}

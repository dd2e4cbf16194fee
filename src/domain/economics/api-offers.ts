import type { Catalog } from './types.js';

// Discounted service tiers (batch, flex) and cache-write surcharges of the
// closed-model APIs, read from src/reference/api-offers.json (parsed JSON in,
// typed records out; nothing here touches the file system).

export type ApiTier = 'standard' | 'batch' | 'flex';

export interface OfferSource {
  id: string;
  url: string;
  /** ISO date the figure was read or published. */
  date: string;
  note: string | null;
}

export interface TierOffer {
  /** Provider as the closed-model catalog spells it ("openai", "anthropic", "google"). */
  provider: string;
  tier: Exclude<ApiTier, 'standard'>;
  /** Fraction taken off the standard per-token prices (0.5 = half price). */
  discountFraction: number;
  /** Catalog model ids the tier covers (lower-case); null = every model of the provider. */
  models: string[] | null;
  /** Whether cached input is discounted too; null = not stated, so it keeps its standard price. */
  cachedInputDiscounted: boolean | null;
  turnaround: string | null;
  source: string;
  /** The source's date (ISO). */
  asOf: string | null;
  note: string | null;
}

export interface CacheWriteSurcharge {
  provider: string;
  /** Cache-write price / base input price (Anthropic 5-minute writes: 1.25). */
  writeMultiplier: number;
  ttl: string | null;
  source: string;
  asOf: string | null;
}

export interface ApiOffers {
  tiers: TierOffer[];
  cacheWrites: CacheWriteSurcharge[];
  sources: OfferSource[];
  /** As-of dates (ISO) of the price sources the catalog's prices cite, by source id. */
  priceSourceDates: Record<string, string>;
  /** Entries left out, with why. */
  gaps: string[];
}

/** A catalog with the API offers attached (what estimateEconomics reads). */
export type CatalogWithOffers = Catalog & { apiOffers?: ApiOffers };

export const NO_API_OFFERS: ApiOffers = { tiers: [], cacheWrites: [], sources: [], priceSourceDates: {}, gaps: [] };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Typed API offers from the parsed api-offers.json: discount fractions (0-1),
 * cache-write multipliers (x input price), each with its source id and date.
 * Entries with a missing figure or an unknown source are left out and listed in gaps.
 */
export function readApiOffers(raw: unknown): ApiOffers {
  if (!isObj(raw)) return { ...NO_API_OFFERS, gaps: ['api offers: not an object'] };
  const gaps: string[] = [];
  const sources: OfferSource[] = [];
  for (const s of Array.isArray(raw.sources) ? raw.sources : []) {
    const id = isObj(s) ? str(s.id) : null;
    const url = isObj(s) ? str(s.url) : null;
    const date = isObj(s) ? str(s.date) : null;
    if (id === null || url === null || date === null || !ISO_DATE.test(date)) {
      gaps.push(`sources: entry without id, url or ISO date: ${JSON.stringify(s)}`);
      continue;
    }
    sources.push({ id, url, date, note: isObj(s) ? str(s.note) : null });
  }
  const dateOf = new Map(sources.map((s) => [s.id, s.date]));

  const tiers: TierOffer[] = [];
  for (const t of Array.isArray(raw.tiers) ? raw.tiers : []) {
    if (!isObj(t)) continue;
    const provider = str(t.provider)?.toLowerCase() ?? null;
    const tier = t.tier === 'batch' || t.tier === 'flex' ? t.tier : null;
    const d = t.discountFraction;
    const source = str(t.source);
    const label = `${provider ?? '?'} ${String(t.tier)}`;
    if (provider === null || tier === null) {
      gaps.push(`tiers: ${label}: provider or tier (batch | flex) missing`);
      continue;
    }
    if (typeof d !== 'number' || !(d > 0 && d < 1)) {
      gaps.push(`tiers: ${label}: discountFraction must be a number between 0 and 1`);
      continue;
    }
    if (source === null || !dateOf.has(source)) {
      gaps.push(`tiers: ${label}: source ${source ?? '(none)'} is not in sources[]`);
      continue;
    }
    const models = Array.isArray(t.models) ? t.models.map(str).filter((m): m is string => m !== null).map((m) => m.toLowerCase()) : null;
    tiers.push({
      provider,
      tier,
      discountFraction: d,
      models,
      cachedInputDiscounted: typeof t.cachedInputDiscounted === 'boolean' ? t.cachedInputDiscounted : null,
      turnaround: str(t.turnaround),
      source,
      asOf: dateOf.get(source) ?? null,
      note: str(t.note),
    });
  }

  const cacheWrites: CacheWriteSurcharge[] = [];
  for (const c of Array.isArray(raw.cacheWrites) ? raw.cacheWrites : []) {
    if (!isObj(c)) continue;
    const provider = str(c.provider)?.toLowerCase() ?? null;
    const m = c.writeMultiplier;
    const source = str(c.source);
    if (provider === null || typeof m !== 'number' || !(m >= 1) || source === null || !dateOf.has(source)) {
      gaps.push(`cacheWrites: ${provider ?? '?'}: needs a provider, a writeMultiplier >= 1 and a source in sources[]`);
      continue;
    }
    cacheWrites.push({ provider, writeMultiplier: m, ttl: str(c.ttl), source, asOf: dateOf.get(source) ?? null });
  }

  const priceSourceDates: Record<string, string> = {};
  if (isObj(raw.priceSourceDates)) {
    for (const [k, v] of Object.entries(raw.priceSourceDates)) if (typeof v === 'string' && ISO_DATE.test(v)) priceSourceDates[k] = v;
  }
  return { tiers, cacheWrites, sources, priceSourceDates, gaps };
}

/** The catalog (prices in USD per 1M tokens, unchanged) with the API offers attached; the catalog itself is not modified. */
export function withApiOffers<C extends Catalog>(catalog: C, offers: ApiOffers): C & { apiOffers: ApiOffers } {
  return { ...catalog, apiOffers: offers };
}

/** The provider's discounted tiers that cover a model (discount as a 0-1 fraction of per-token prices), batch before flex. */
export function tierOffersFor(offers: ApiOffers, provider: string, modelId: string): TierOffer[] {
  const p = provider.toLowerCase();
  const id = modelId.toLowerCase();
  return offers.tiers
    .filter((t) => t.provider === p && (t.models === null || t.models.includes(id)))
    .sort((a, b) => (a.tier === b.tier ? 0 : a.tier === 'batch' ? -1 : 1));
}

/** The provider's cache-write surcharge (cache-write price / input price), or null when it bills no cache writes. */
export function cacheWriteSurchargeFor(offers: ApiOffers, provider: string | null): CacheWriteSurcharge | null {
  if (provider === null) return null;
  return offers.cacheWrites.find((c) => c.provider === provider.toLowerCase()) ?? null;
}

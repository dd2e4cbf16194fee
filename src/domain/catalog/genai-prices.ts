import { Money } from '../money.js';
import type { PriceTier } from '../pricing/price.js';

/*
 * Maps the price data bundled in @pydantic/genai-prices (providers, models,
 * match rules, start-dated prices, context tiers) to Crossover price versions.
 * Pure: the caller hands in the package's data; nothing here imports it.
 *
 * Rates stay exact: each package number (a JS float, USD per 1M tokens) is
 * turned into its shortest round-trip decimal string (String(n), the digits
 * the data file was written with) and never goes through float arithmetic.
 *
 * Versions: a model's `prices` is either one price (in force from `baseFrom`)
 * or a list of conditional prices. The package picks the LAST entry whose
 * start_date <= t, and the first entry when none applies, so each start-dated
 * entry becomes its own version from its start date to the next one's
 * (effectiveTo exclusive), and the first, unconstrained entry runs from
 * `baseFrom`. Time-of-day entries (off-peak discounts) cannot be represented
 * by an effective-dated catalog and are skipped with a reason.
 *
 * Tiers: the package bills a tiered key at the price of the highest tier whose
 * `start` the request's total input tokens (cache reads and writes included)
 * are strictly ABOVE, which is Crossover's rule for `aboveInputTokens`, so
 * start maps to aboveInputTokens unchanged. Keys are tiered one by one; a
 * Crossover tier carries every key's rate at that threshold explicitly (an
 * untiered key keeps its flat rate), so nothing is derived by scaling.
 */

export interface GenaiTier {
  start: number;
  price: number;
}
export type GenaiRate = number | { base: number; tiers: readonly GenaiTier[] };
export type GenaiPrices = Readonly<Record<string, GenaiRate | undefined>>;
export type GenaiConstraint =
  | { type: 'start_date'; start_date: string }
  | { type: 'time_of_date'; start_time: string; end_time: string };
export interface GenaiConditional {
  constraint?: GenaiConstraint;
  prices: GenaiPrices;
}
export type GenaiMatch =
  | { equals: string }
  | { starts_with: string }
  | { ends_with: string }
  | { contains: string }
  | { regex: string }
  | { or: readonly GenaiMatch[] }
  | { and: readonly GenaiMatch[] };
export interface GenaiModel {
  id: string;
  name?: string;
  match: GenaiMatch;
  context_window?: number;
  prices: GenaiPrices | readonly GenaiConditional[];
}
export interface GenaiProvider {
  id: string;
  name: string;
  models: readonly GenaiModel[];
}

/** Rates of one Crossover price version (USD per 1M tokens, decimal strings). */
export interface SeedRates {
  inputPerMTok: string;
  outputPerMTok: string;
  cachedInputPerMTok: string | null;
  cacheWritePerMTok: string | null;
  cacheWrite1hPerMTok: string | null;
  inputAudioPerMTok: string | null;
  cachedInputAudioPerMTok: string | null;
  outputAudioPerMTok: string | null;
  inputImagePerMTok: string | null;
  inputVideoPerMTok: string | null;
  tiers: SeedTier[];
}

/** A long-context tier with every rate explicit (decimal strings). */
export type SeedTier = { aboveInputTokens: number; inputPerMTok: string; outputPerMTok: string } & Partial<
  Record<Exclude<keyof PriceTier, 'aboveInputTokens' | 'inputPerMTok' | 'outputPerMTok'>, string>
>;

/** One price version to seed: a model's rates in force on [effectiveFrom, effectiveTo). */
export interface SeedVersion extends SeedRates {
  provider: string;
  modelId: string;
  kind: 'closed' | 'managed_open';
  contextTokens: number | null;
  effectiveFrom: Date;
  effectiveTo: Date | null;
  source: string;
  note: string | null;
}

/** Why something in the package was not seeded (or seeded without one of its charges). */
export interface SeedSkip {
  provider: string;
  modelId: string;
  reason: string;
}

/** Package price key → Crossover rate field. The base keys are required; the others are optional classes. */
const KEY_TO_FIELD = {
  input_mtok: 'inputPerMTok',
  output_mtok: 'outputPerMTok',
  cache_read_mtok: 'cachedInputPerMTok',
  cache_write_mtok: 'cacheWritePerMTok',
  cache_write_1h_mtok: 'cacheWrite1hPerMTok',
  input_audio_mtok: 'inputAudioPerMTok',
  cache_audio_read_mtok: 'cachedInputAudioPerMTok',
  output_audio_mtok: 'outputAudioPerMTok',
  input_image_mtok: 'inputImagePerMTok',
  input_video_mtok: 'inputVideoPerMTok',
} as const satisfies Record<string, keyof SeedRates>;
type MappedKey = keyof typeof KEY_TO_FIELD;
type RateField = (typeof KEY_TO_FIELD)[MappedKey];

/** Charges Crossover's token-class model cannot bill; the model is seeded, the charge is left out (said so in the note). */
const UNREPRESENTABLE: Readonly<Record<string, string>> = {
  web_searches_kcount: 'per-search fee',
  storage_searches_kcount: 'per-search fee',
  requests_kcount: 'per-request fee',
  input_text_messages_kcount: 'per-message fee',
  output_image_mtok: 'image output tokens',
  output_video_mtok: 'video output tokens',
  cache_image_read_mtok: 'cached image input at its own rate (billed at the cached rate)',
  audio_hours: 'per-hour audio fee',
  input_audio_hours: 'per-hour audio fee',
  input_document_kpages: 'per-page fee',
  input_annotated_document_kpages: 'per-page fee',
  output_reasoning_mtok: 'reasoning tokens at their own rate',
  output_citation_mtok: 'citation tokens at their own rate',
};

/** USD per 1M tokens, float → its shortest round-trip decimal string (no float arithmetic); null for anything not a finite non-negative number. */
export function rateString(n: unknown): string | null {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return null;
  // String(n) is the shortest decimal that reads back as n; Decimal only rewrites 1e-7 style as plain digits.
  return new Money(String(n)).toFixed();
}

function isTiered(v: GenaiRate): v is { base: number; tiers: readonly GenaiTier[] } {
  return typeof v === 'object' && v !== null;
}

/** Rates of one package price entry, or a reason it cannot be seeded. */
export function mapPrices(prices: GenaiPrices): { rates: SeedRates; ignored: string[] } | { error: string } {
  const flat: Partial<Record<RateField, string>> = {};
  const tiered = new Map<RateField, { base: string; tiers: { start: number; price: string }[] }>();
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(prices)) {
    if (value === undefined) continue;
    const field = (KEY_TO_FIELD as Record<string, RateField | undefined>)[key];
    if (field === undefined) {
      ignored.push(`${key} (${UNREPRESENTABLE[key] ?? 'unknown price key'})`);
      continue;
    }
    if (isTiered(value)) {
      const base = rateString(value.base);
      const tiers = value.tiers.map((t) => ({ start: t.start, price: rateString(t.price) }));
      if (base === null || tiers.some((t) => t.price === null || !Number.isSafeInteger(t.start) || t.start < 0)) return { error: `${key} has an invalid tier` };
      flat[field] = base;
      tiered.set(field, { base, tiers: tiers as { start: number; price: string }[] });
    } else {
      const v = rateString(value);
      if (v === null) return { error: `${key} is not a finite non-negative price` };
      flat[field] = v;
    }
  }
  if (flat.inputPerMTok === undefined || flat.outputPerMTok === undefined) {
    return { error: `no ${flat.inputPerMTok === undefined ? 'input_mtok' : 'output_mtok'} token price (Crossover prices input and output tokens; e.g. embeddings, images, per-hour audio)` };
  }
  const starts = [...new Set([...tiered.values()].flatMap((t) => t.tiers.map((x) => x.start)))].sort((a, b) => a - b);
  const tiers: SeedTier[] = starts.map((start) => {
    const at = (field: RateField): string | undefined => {
      const t = tiered.get(field);
      if (t === undefined) return flat[field];
      // The rate in force strictly above `start`: the highest package tier starting at or below it.
      let rate = t.base;
      for (const x of t.tiers) if (x.start <= start) rate = x.price;
      return rate;
    };
    const tier: SeedTier = { aboveInputTokens: start, inputPerMTok: at('inputPerMTok')!, outputPerMTok: at('outputPerMTok')! };
    for (const field of Object.values(KEY_TO_FIELD)) {
      if (field === 'inputPerMTok' || field === 'outputPerMTok') continue;
      const v = at(field);
      if (v !== undefined) (tier as Record<string, unknown>)[field] = v;
    }
    return tier;
  });
  return {
    rates: {
      inputPerMTok: flat.inputPerMTok,
      outputPerMTok: flat.outputPerMTok,
      cachedInputPerMTok: flat.cachedInputPerMTok ?? null,
      cacheWritePerMTok: flat.cacheWritePerMTok ?? null,
      cacheWrite1hPerMTok: flat.cacheWrite1hPerMTok ?? null,
      inputAudioPerMTok: flat.inputAudioPerMTok ?? null,
      cachedInputAudioPerMTok: flat.cachedInputAudioPerMTok ?? null,
      outputAudioPerMTok: flat.outputAudioPerMTok ?? null,
      inputImagePerMTok: flat.inputImagePerMTok ?? null,
      inputVideoPerMTok: flat.inputVideoPerMTok ?? null,
      tiers,
    },
    ignored: [...new Set(ignored)].sort(),
  };
}

/** The seeded id of a package model: its id, lower-cased like every catalog id. */
export function catalogIdOf(model: GenaiModel): string {
  return model.id.trim().toLowerCase();
}

/**
 * Price versions of one package model (see the block comment). `modelId` is the
 * catalog id to file them under; `baseFrom` is when the unconstrained price is
 * taken to be in force from (the package gives no date for it).
 */
export function versionsOfModel(
  provider: string,
  modelId: string,
  model: GenaiModel,
  opts: { source: string; baseFrom: Date; kind?: 'closed' | 'managed_open' },
): { versions: SeedVersion[]; skips: SeedSkip[] } {
  const skips: SeedSkip[] = [];
  const skip = (reason: string) => skips.push({ provider, modelId, reason });
  const entries: { from: Date; prices: GenaiPrices }[] = [];
  if (Array.isArray(model.prices)) {
    const list = model.prices as readonly GenaiConditional[];
    list.forEach((c, i) => {
      const con = c.constraint;
      if (con === undefined) {
        // Only the first entry can be unconstrained in a well-formed list: it is the fallback.
        if (i === 0) entries.push({ from: opts.baseFrom, prices: c.prices });
        else skip(`price entry ${i} has no constraint after the first; ignored`);
      } else if (con.type === 'start_date') {
        const from = new Date(con.start_date);
        if (Number.isNaN(from.getTime())) skip(`price entry ${i} has an unreadable start_date ${JSON.stringify(con.start_date)}`);
        else entries.push({ from, prices: c.prices });
      } else {
        skip(`price entry ${i} applies by time of day (${con.start_time}-${con.end_time}); an effective-dated catalog cannot represent it, the other entries are seeded`);
      }
    });
    if (list.length > 0 && list[0].constraint !== undefined && list[0].constraint.type === 'start_date' && entries.length > 0) {
      // The package falls back to the first entry before its start date too: it is in force from baseFrom.
      entries[0] = { from: opts.baseFrom < entries[0].from ? opts.baseFrom : entries[0].from, prices: entries[0].prices };
    }
  } else {
    entries.push({ from: opts.baseFrom, prices: model.prices as GenaiPrices });
  }
  entries.sort((a, b) => a.from.getTime() - b.from.getTime());
  const versions: SeedVersion[] = [];
  const ignoredAll = new Set<string>();
  entries.forEach((e, i) => {
    const mapped = mapPrices(e.prices);
    if ('error' in mapped) {
      skip(`price from ${e.from.toISOString().slice(0, 10)}: ${mapped.error}`);
      return;
    }
    mapped.ignored.forEach((x) => ignoredAll.add(x));
    const next = entries[i + 1];
    if (next !== undefined && next.from.getTime() === e.from.getTime()) return; // a later entry with the same start wins, as in the package
    versions.push({
      provider,
      modelId,
      kind: opts.kind ?? 'closed',
      contextTokens: typeof model.context_window === 'number' && Number.isSafeInteger(model.context_window) ? model.context_window : null,
      effectiveFrom: e.from,
      effectiveTo: next?.from ?? null,
      source: opts.source,
      note: mapped.ignored.length > 0 ? `not billed by Crossover: ${mapped.ignored.join(', ')}` : null,
      ...mapped.rates,
    });
  });
  if (ignoredAll.size > 0) skip(`charges left out: ${[...ignoredAll].join(', ')}`);
  return { versions, skips };
}

/** The rate fields two versions are compared on (the rates, not the dates or notes). */
export const RATE_FIELDS: readonly (keyof SeedRates)[] = [
  'inputPerMTok',
  'outputPerMTok',
  'cachedInputPerMTok',
  'cacheWritePerMTok',
  'cacheWrite1hPerMTok',
  'inputAudioPerMTok',
  'cachedInputAudioPerMTok',
  'outputAudioPerMTok',
  'inputImagePerMTok',
  'inputVideoPerMTok',
  'tiers',
];

function sameDecimal(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  return new Money(String(a)).eq(new Money(String(b)));
}

function sameTiers(a: readonly Record<string, unknown>[], b: readonly Record<string, unknown>[]): boolean {
  if (a.length !== b.length) return false;
  const sorted = (t: readonly Record<string, unknown>[]) => [...t].sort((x, y) => Number(x.aboveInputTokens) - Number(y.aboveInputTokens));
  const [sa, sb] = [sorted(a), sorted(b)];
  return sa.every((t, i) => {
    const keys = new Set([...Object.keys(t), ...Object.keys(sb[i])]);
    return [...keys].every((k) => (k === 'aboveInputTokens' ? Number(t[k]) === Number(sb[i][k]) : sameDecimal(t[k], sb[i][k])));
  });
}

/** Rate fields (USD per 1M tokens) in which two versions differ, as "field a→b"; empty when they bill alike. */
export function rateDifferences(a: Partial<Record<keyof SeedRates, unknown>>, b: Partial<Record<keyof SeedRates, unknown>>): string[] {
  const out: string[] = [];
  for (const f of RATE_FIELDS) {
    if (f === 'tiers') {
      if (!sameTiers((a.tiers as Record<string, unknown>[]) ?? [], (b.tiers as Record<string, unknown>[]) ?? [])) out.push(`tiers ${JSON.stringify(a.tiers ?? [])}→${JSON.stringify(b.tiers ?? [])}`);
    } else if (!sameDecimal(a[f], b[f])) out.push(`${f} ${String(a[f] ?? 'null')}→${String(b[f] ?? 'null')}`);
  }
  return out;
}

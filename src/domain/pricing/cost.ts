import { Money, perMillion, type Decimal } from '../money.js';
import {
  selectInForce,
  selectPrice,
  type CustomPriceOverride,
  type DiscountOverride,
  type ClassRates,
  type PriceFields,
  type PriceOverride,
  type PriceTier,
  type PriceVersion,
} from './price.js';
import { serviceTierPricing, type ServiceTierPricing, type TierOfferTerms } from './service-tier.js';
import type { ServiceTier } from './price.js';
import { MAX_TOKEN_COUNT, type CanonicalUsage } from './usage.js';

/*
 * Cost of one event, in USD, exact (unrounded Decimal):
 *
 *   fresh input  = input - cached - cacheWrite   at the input rate
 *   cached       at the cached-input rate (null: input rate)
 *   cacheWrite   at the cache-write rate (null: input rate)
 *   output       reasoning rate null: ALL output tokens at the output rate (reasoning is inside output);
 *                else (output - reasoning) at the output rate + reasoning at the reasoning rate.
 *
 * Long-context tiers: an event may aggregate `requests` requests, so the tier is
 * chosen by input tokens PER REQUEST (input / requests, exact). A tier applies
 * when that is strictly above its threshold (200,000 is not above 200,000); the
 * highest applying tier bills the whole event: input, cached, cache write and
 * output. A tier without its own cached / cache-write rate scales the base one
 * by (tier input / base input), which is how Anthropic and Google price their
 * long-context cache reads and writes; a tier without its own reasoning rate
 * scales a base reasoning rate by (tier output / base output).
 *
 * Overrides: an org's custom price in force for the model replaces the catalog
 * version. A provider discount (the event's provider, latest in force) scales
 * catalog-priced costs by (1 - percent/100); it does NOT apply on top of a
 * custom price, which is already the negotiated price.
 *
 * Classes priced apart (subsets of the counts above; see usage.ts and ClassRates):
 *   fresh input  = text + audio + image + video; audio / image / video at their own rates (null: input rate)
 *   cached       = cached audio at the cached-audio rate (null: cached rate) + the rest at the cached rate
 *   cacheWrite   = 1-hour writes at the 1h rate (null: cache-write rate) + the rest (5-minute) at the cache-write rate
 *   output       = audio output at the output-audio rate (null: output rate) + the rest as above
 * A long-context tier's own class rate wins; else a class with a base rate of its own scales it by
 * (tier / base) of its anchor (input, or output for audio output), and a class without one follows
 * its parent class's applied rate.
 *
 * Service tier: batch / flex multiply the standard rates by (1 - the sourced discount) from the
 * offers passed in (api-offers.json); cached reads (text and audio) only when the source says cached
 * input is discounted. A tier with no sourced price is billed at standard rates and the result says
 * so (serviceTier.priced false + reason). A custom price applies as is to every tier.
 *
 * No price in force and no custom price = unpriced (priced: false), never $0.
 */

/** USD per component of one event; post-discount, and they sum exactly to costUsd. */
export interface CostBreakdown {
  /** Fresh text input (fresh input minus audio, image and video). */
  inputUsd: Decimal;
  inputAudioUsd: Decimal;
  inputImageUsd: Decimal;
  inputVideoUsd: Decimal;
  /** Cached reads other than audio. */
  cachedInputUsd: Decimal;
  cachedInputAudioUsd: Decimal;
  /** Cache writes other than 1-hour ones (5-minute, or TTL not reported). */
  cacheWriteUsd: Decimal;
  cacheWrite1hUsd: Decimal;
  /** Output other than audio (and other than reasoning when reasoning has its own rate). */
  outputUsd: Decimal;
  outputAudioUsd: Decimal;
  reasoningUsd: Decimal;
}

/** Rates actually applied (USD per 1M tokens, after tier selection, before discount); reasoning null = billed as output. */
export interface AppliedRates {
  inputPerMTok: Decimal;
  cachedInputPerMTok: Decimal;
  cacheWritePerMTok: Decimal;
  outputPerMTok: Decimal;
  reasoningPerMTok: Decimal | null;
  cacheWrite1hPerMTok: Decimal;
  inputAudioPerMTok: Decimal;
  cachedInputAudioPerMTok: Decimal;
  outputAudioPerMTok: Decimal;
  inputImagePerMTok: Decimal;
  inputVideoPerMTok: Decimal;
}

export interface PriceEventInput {
  usage: CanonicalUsage;
  /** Number of provider requests this event aggregates (>= 1); tiers are judged per request. */
  requests: number;
  at: Date;
  provider: string;
  modelId: string;
  /** The processing tier the event ran on; absent = default. */
  serviceTier?: ServiceTier;
}

export interface PricedEvent {
  priced: true;
  costUsd: Decimal;
  /** Catalog PriceVersion id, or the custom override id when a custom price applied. */
  priceVersionId: string;
  /** `aboveInputTokens` of the long-context tier applied, null for base rates. */
  tier: number | null;
  /** Id of the custom price or discount that changed the cost, null when list price. */
  appliedOverride: string | null;
  rates: AppliedRates;
  breakdown: CostBreakdown;
  /** How the service tier was priced: a sourced discount, standard (default), or standard because none is sourced (priced false). */
  serviceTier: ServiceTierPricing;
}

export type UnpricedReason = 'no_price' | 'invalid_usage' | 'invalid_price';

export interface UnpricedEvent {
  priced: false;
  reason: UnpricedReason;
  detail: string;
}

export type PriceEventResult = PricedEvent | UnpricedEvent;

/** USD per 1M tokens → Decimal, or null for anything that is not a finite non-negative decimal. */
function parseRate(v: Decimal.Value | null | undefined): Decimal | null {
  if (v === null || v === undefined) return null;
  try {
    const d = new Money(v);
    return d.isFinite() && !d.isNegative() ? d : null;
  } catch {
    return null;
  }
}

const CLASS_RATE_KEYS = ['cacheWrite1hPerMTok', 'inputAudioPerMTok', 'cachedInputAudioPerMTok', 'outputAudioPerMTok', 'inputImagePerMTok', 'inputVideoPerMTok'] as const;

function classProblems(
  rates: ClassRates,
  prefix: string,
  optional: (v: Decimal.Value | null | undefined, what: string) => string | null,
): (string | null)[] {
  return CLASS_RATE_KEYS.map((k) => optional(rates[k], `${prefix}${k}`));
}

/** Why a price row (and the discount that would apply to it) cannot be used, or null when every rate is valid. */
function priceProblem(p: PriceFields | CustomPriceOverride, discount: DiscountOverride | null): string | null {
  const bad = (what: string, v: unknown) => `${what} must be a finite non-negative USD per 1M tokens, got ${String(v)}`;
  const required = (v: Decimal.Value, what: string) => (parseRate(v) === null ? bad(what, v) : null);
  const optional = (v: Decimal.Value | null | undefined, what: string) =>
    v === null || v === undefined ? null : required(v, what);
  const problems = [
    required(p.inputPerMTok, 'inputPerMTok'),
    required(p.outputPerMTok, 'outputPerMTok'),
    optional(p.cachedInputPerMTok, 'cachedInputPerMTok'),
    optional(p.cacheWritePerMTok, 'cacheWritePerMTok'),
    optional(p.reasoningPerMTok, 'reasoningPerMTok'),
    ...classProblems(p, '', optional),
  ];
  for (const t of p.tiers ?? []) {
    if (!Number.isFinite(t.aboveInputTokens) || t.aboveInputTokens < 0) {
      problems.push(`tier threshold must be a non-negative token count, got ${String(t.aboveInputTokens)}`);
    }
    problems.push(
      required(t.inputPerMTok, 'tier inputPerMTok'),
      required(t.outputPerMTok, 'tier outputPerMTok'),
      optional(t.cachedInputPerMTok, 'tier cachedInputPerMTok'),
      optional(t.cacheWritePerMTok, 'tier cacheWritePerMTok'),
      optional(t.reasoningPerMTok, 'tier reasoningPerMTok'),
      ...classProblems(t, 'tier ', optional),
    );
  }
  if (discount !== null) {
    const pct = parseRate(discount.percent);
    if (pct === null || pct.gt(100)) problems.push(`discount ${discount.id} percent must be within 0..100, got ${String(discount.percent)}`);
  }
  return problems.find((x) => x !== null) ?? null;
}

/** A rate already checked by priceProblem (USD per 1M tokens). */
function r(v: Decimal.Value): Decimal {
  return new Money(v);
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0 && n <= MAX_TOKEN_COUNT;
}

function usageProblem(u: CanonicalUsage, requests: number): string | null {
  for (const [k, v] of Object.entries(u)) {
    if (v !== undefined && !isCount(v as number)) return `${k} must be an integer from 0 to 10,000,000,000 tokens, got ${String(v)}`;
  }
  if (!Number.isSafeInteger(requests) || requests < 1) return `requests must be an integer >= 1, got ${String(requests)}`;
  if (u.cachedInputTokens + u.cacheWriteTokens > u.inputTokens) return 'cachedInputTokens + cacheWriteTokens exceed inputTokens';
  if (u.reasoningTokens > u.outputTokens) return 'reasoningTokens exceed outputTokens';
  const fresh = u.inputTokens - u.cachedInputTokens - u.cacheWriteTokens;
  if ((u.cacheWrite1hTokens ?? 0) > u.cacheWriteTokens) return 'cacheWrite1hTokens exceed cacheWriteTokens';
  if ((u.audioInputTokens ?? 0) + (u.imageInputTokens ?? 0) + (u.videoInputTokens ?? 0) > fresh) {
    return 'audioInputTokens + imageInputTokens + videoInputTokens exceed the fresh input (inputTokens - cachedInputTokens - cacheWriteTokens)';
  }
  if ((u.cachedAudioInputTokens ?? 0) > u.cachedInputTokens) return 'cachedAudioInputTokens exceed cachedInputTokens';
  if ((u.audioOutputTokens ?? 0) > u.outputTokens - u.reasoningTokens) return 'audioOutputTokens exceed outputTokens - reasoningTokens';
  return null;
}

/** The highest tier whose threshold the per-request input (tokens) is strictly above, or null. */
function applicableTier(tiers: readonly PriceTier[], inputTokens: number, requests: number): PriceTier | null {
  const total = new Money(inputTokens);
  let best: PriceTier | null = null;
  for (const t of tiers) {
    // input / requests > above  ⇔  input > above × requests, kept exact.
    const above = total.gt(new Money(t.aboveInputTokens).mul(requests));
    if (above && (best === null || t.aboveInputTokens > best.aboveInputTokens)) best = t;
  }
  return best;
}

/** Rate for a tier that omits one: the base rate scaled by tier/base, or the tier's own anchor when the base anchor is 0. */
function scaled(baseRate: Decimal, baseAnchor: Decimal, tierAnchor: Decimal): Decimal {
  return baseAnchor.isZero() ? tierAnchor : baseRate.mul(tierAnchor).div(baseAnchor);
}

type BaseRates = Pick<AppliedRates, 'inputPerMTok' | 'cachedInputPerMTok' | 'cacheWritePerMTok' | 'outputPerMTok' | 'reasoningPerMTok'>;

/**
 * Rates of the classes priced apart (USD per 1M tokens), given the applied base rates: the tier's own rate,
 * else the price's own rate (scaled by tier/base of its anchor under a tier), else the parent class's applied rate.
 */
function classRates(p: ClassRates, tier: PriceTier | null, base: { input: Decimal; output: Decimal }, applied: BaseRates): Omit<AppliedRates, keyof BaseRates> {
  const pick = (key: (typeof CLASS_RATE_KEYS)[number], anchor: 'input' | 'output', parent: Decimal): Decimal => {
    const own = parseRate(p[key]);
    if (tier === null) return own ?? parent;
    const tierOwn = parseRate(tier[key]);
    if (tierOwn !== null) return tierOwn;
    if (own === null) return parent;
    return anchor === 'input' ? scaled(own, base.input, applied.inputPerMTok) : scaled(own, base.output, applied.outputPerMTok);
  };
  return {
    inputAudioPerMTok: pick('inputAudioPerMTok', 'input', applied.inputPerMTok),
    inputImagePerMTok: pick('inputImagePerMTok', 'input', applied.inputPerMTok),
    inputVideoPerMTok: pick('inputVideoPerMTok', 'input', applied.inputPerMTok),
    cachedInputAudioPerMTok: pick('cachedInputAudioPerMTok', 'input', applied.cachedInputPerMTok),
    cacheWrite1hPerMTok: pick('cacheWrite1hPerMTok', 'input', applied.cacheWritePerMTok),
    outputAudioPerMTok: pick('outputAudioPerMTok', 'output', applied.outputPerMTok),
  };
}

function appliedRates(p: PriceFields | CustomPriceOverride, tier: PriceTier | null): AppliedRates {
  const input = r(p.inputPerMTok);
  const output = r(p.outputPerMTok);
  const cached = parseRate(p.cachedInputPerMTok) ?? input;
  const cacheWrite = parseRate(p.cacheWritePerMTok) ?? input;
  const reasoning = parseRate(p.reasoningPerMTok);
  let base: BaseRates;
  if (tier === null) {
    base = { inputPerMTok: input, cachedInputPerMTok: cached, cacheWritePerMTok: cacheWrite, outputPerMTok: output, reasoningPerMTok: reasoning };
  } else {
    const tIn = r(tier.inputPerMTok);
    const tOut = r(tier.outputPerMTok);
    base = {
      inputPerMTok: tIn,
      cachedInputPerMTok: parseRate(tier.cachedInputPerMTok) ?? scaled(cached, input, tIn),
      cacheWritePerMTok: parseRate(tier.cacheWritePerMTok) ?? scaled(cacheWrite, input, tIn),
      outputPerMTok: tOut,
      reasoningPerMTok: parseRate(tier.reasoningPerMTok) ?? (reasoning === null ? null : scaled(reasoning, output, tOut)),
    };
  }
  return { ...base, ...classRates(p, tier, { input, output }, base) };
}

/**
 * Checking a price row and turning its rates into Decimals took most of the CPU of pricing one event (about
 * twenty Decimal parses), yet both depend only on the row (and the discount, the tier): they are remembered per
 * row object. Price rows come from the catalog's and the org's caches, and are never mutated, so a row object
 * means one content; a WeakMap lets a refreshed cache's old rows go.
 */
const problems = new WeakMap<object, Map<object | null, string | null>>();
const ratesByTier = new WeakMap<object, Map<object | null, AppliedRates>>();

function memo<V>(store: WeakMap<object, Map<object | null, V>>, row: object, key: object | null, compute: () => V): V {
  let byKey = store.get(row);
  if (!byKey) store.set(row, (byKey = new Map()));
  if (byKey.has(key)) return byKey.get(key)!;
  const v = compute();
  byKey.set(key, v);
  return v;
}

const ONE = new Money(1);
const ZERO = new Money(0);

/** USD for `tokens` at a rate, times a factor; the shared ZERO for no tokens (most classes of most events). Decimals are immutable. */
function term(tokens: number, usdPerMTok: Decimal, factor: Decimal): Decimal {
  if (tokens === 0) return ZERO;
  const usd = perMillion(tokens, usdPerMTok);
  return factor === ONE ? usd : usd.mul(factor);
}

/** Prices one usage event in USD (exact Decimal) from the catalog versions of its model and the org's overrides. */
export function priceEvent(
  input: PriceEventInput,
  catalog: readonly PriceVersion[],
  overrides: readonly PriceOverride[],
  tierOffers: readonly TierOfferTerms[] = [],
): PriceEventResult {
  const problem = usageProblem(input.usage, input.requests);
  if (problem !== null) return { priced: false, reason: 'invalid_usage', detail: problem };

  const custom = selectInForce(
    overrides.filter((o): o is CustomPriceOverride => o.kind === 'custom' && o.modelId === input.modelId),
    input.at,
  );
  const version = custom === null ? selectPrice(catalog.filter((v) => v.modelId === input.modelId), input.at) : null;
  const fields = custom ?? version;
  if (fields === null) {
    return {
      priced: false,
      reason: 'no_price',
      detail: `no price for ${input.provider}/${input.modelId} in force at ${Number.isNaN(input.at.getTime()) ? 'an invalid date' : input.at.toISOString()}`,
    };
  }
  const provider = input.provider.trim().toLowerCase();
  const discount =
    custom === null
      ? selectInForce(
          overrides.filter((o): o is DiscountOverride => o.kind === 'discount' && o.provider.trim().toLowerCase() === provider),
          input.at,
        )
      : null;

  const bad = memo(problems, fields, discount, () => priceProblem(fields, discount));
  if (bad !== null) return { priced: false, reason: 'invalid_price', detail: bad };

  const u = input.usage;
  const tier = applicableTier(fields.tiers ?? [], u.inputTokens, input.requests);
  const rates = memo(ratesByTier, fields, tier, () => Object.freeze(appliedRates(fields, tier)));
  const serviceTier = serviceTierPricing(input.serviceTier ?? 'default', provider, input.modelId, tierOffers, custom !== null);
  const factor = discount === null ? ONE : ONE.minus(r(discount.percent).div(100));
  const tierFactor = serviceTier.discountFraction.isZero() ? ONE : ONE.minus(serviceTier.discountFraction);
  const full = tierFactor === ONE ? factor : factor.mul(tierFactor);
  const cachedFactor = serviceTier.cachedInputDiscounted ? full : factor;
  const audioIn = u.audioInputTokens ?? 0;
  const imageIn = u.imageInputTokens ?? 0;
  const videoIn = u.videoInputTokens ?? 0;
  const cachedAudio = u.cachedAudioInputTokens ?? 0;
  const write1h = u.cacheWrite1hTokens ?? 0;
  const audioOut = u.audioOutputTokens ?? 0;
  const fresh = u.inputTokens - u.cachedInputTokens - u.cacheWriteTokens;
  const billedAsOutput = rates.reasoningPerMTok === null ? u.outputTokens : u.outputTokens - u.reasoningTokens;
  const breakdown: CostBreakdown = {
    inputUsd: term(fresh - audioIn - imageIn - videoIn, rates.inputPerMTok, full),
    inputAudioUsd: term(audioIn, rates.inputAudioPerMTok, full),
    inputImageUsd: term(imageIn, rates.inputImagePerMTok, full),
    inputVideoUsd: term(videoIn, rates.inputVideoPerMTok, full),
    cachedInputUsd: term(u.cachedInputTokens - cachedAudio, rates.cachedInputPerMTok, cachedFactor),
    cachedInputAudioUsd: term(cachedAudio, rates.cachedInputAudioPerMTok, cachedFactor),
    cacheWriteUsd: term(u.cacheWriteTokens - write1h, rates.cacheWritePerMTok, full),
    cacheWrite1hUsd: term(write1h, rates.cacheWrite1hPerMTok, full),
    outputUsd: term(billedAsOutput - audioOut, rates.outputPerMTok, full),
    outputAudioUsd: term(audioOut, rates.outputAudioPerMTok, full),
    reasoningUsd:
      rates.reasoningPerMTok === null ? ZERO : term(u.reasoningTokens, rates.reasoningPerMTok, full),
  };
  const costUsd = Object.values(breakdown).reduce<Decimal>((a, x) => (x === ZERO ? a : a.plus(x)), ZERO);
  return {
    priced: true,
    costUsd,
    priceVersionId: fields.id,
    tier: tier === null ? null : tier.aboveInputTokens,
    appliedOverride: custom?.id ?? discount?.id ?? null,
    rates,
    breakdown,
    serviceTier,
  };
}

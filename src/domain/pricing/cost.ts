import { Money, perMillion, type Decimal } from '../money.js';
import {
  selectInForce,
  selectPrice,
  type CustomPriceOverride,
  type DiscountOverride,
  type PriceFields,
  type PriceOverride,
  type PriceTier,
  type PriceVersion,
} from './price.js';
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
 * No price in force and no custom price = unpriced (priced: false), never $0.
 */

/** USD per component of one event; post-discount, and they sum exactly to costUsd. */
export interface CostBreakdown {
  inputUsd: Decimal;
  cachedInputUsd: Decimal;
  cacheWriteUsd: Decimal;
  outputUsd: Decimal;
  reasoningUsd: Decimal;
}

/** Rates actually applied (USD per 1M tokens, after tier selection, before discount); reasoning null = billed as output. */
export interface AppliedRates {
  inputPerMTok: Decimal;
  cachedInputPerMTok: Decimal;
  cacheWritePerMTok: Decimal;
  outputPerMTok: Decimal;
  reasoningPerMTok: Decimal | null;
}

export interface PriceEventInput {
  usage: CanonicalUsage;
  /** Number of provider requests this event aggregates (>= 1); tiers are judged per request. */
  requests: number;
  at: Date;
  provider: string;
  modelId: string;
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
    if (!isCount(v as number)) return `${k} must be an integer from 0 to 10,000,000,000 tokens, got ${String(v)}`;
  }
  if (!Number.isSafeInteger(requests) || requests < 1) return `requests must be an integer >= 1, got ${String(requests)}`;
  if (u.cachedInputTokens + u.cacheWriteTokens > u.inputTokens) return 'cachedInputTokens + cacheWriteTokens exceed inputTokens';
  if (u.reasoningTokens > u.outputTokens) return 'reasoningTokens exceed outputTokens';
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

function appliedRates(p: PriceFields | CustomPriceOverride, tier: PriceTier | null): AppliedRates {
  const input = r(p.inputPerMTok);
  const output = r(p.outputPerMTok);
  const cached = parseRate(p.cachedInputPerMTok) ?? input;
  const cacheWrite = parseRate(p.cacheWritePerMTok) ?? input;
  const reasoning = parseRate(p.reasoningPerMTok);
  if (tier === null) {
    return { inputPerMTok: input, cachedInputPerMTok: cached, cacheWritePerMTok: cacheWrite, outputPerMTok: output, reasoningPerMTok: reasoning };
  }
  const tIn = r(tier.inputPerMTok);
  const tOut = r(tier.outputPerMTok);
  return {
    inputPerMTok: tIn,
    cachedInputPerMTok: parseRate(tier.cachedInputPerMTok) ?? scaled(cached, input, tIn),
    cacheWritePerMTok: parseRate(tier.cacheWritePerMTok) ?? scaled(cacheWrite, input, tIn),
    outputPerMTok: tOut,
    reasoningPerMTok: parseRate(tier.reasoningPerMTok) ?? (reasoning === null ? null : scaled(reasoning, output, tOut)),
  };
}

/** Prices one usage event in USD (exact Decimal) from the catalog versions of its model and the org's overrides. */
export function priceEvent(
  input: PriceEventInput,
  catalog: readonly PriceVersion[],
  overrides: readonly PriceOverride[],
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

  const bad = priceProblem(fields, discount);
  if (bad !== null) return { priced: false, reason: 'invalid_price', detail: bad };

  const u = input.usage;
  const tier = applicableTier(fields.tiers ?? [], u.inputTokens, input.requests);
  const rates = appliedRates(fields, tier);
  const factor = discount === null ? new Money(1) : new Money(1).minus(r(discount.percent).div(100));
  const fresh = u.inputTokens - u.cachedInputTokens - u.cacheWriteTokens;
  const billedAsOutput = rates.reasoningPerMTok === null ? u.outputTokens : u.outputTokens - u.reasoningTokens;
  const breakdown: CostBreakdown = {
    inputUsd: perMillion(fresh, rates.inputPerMTok).mul(factor),
    cachedInputUsd: perMillion(u.cachedInputTokens, rates.cachedInputPerMTok).mul(factor),
    cacheWriteUsd: perMillion(u.cacheWriteTokens, rates.cacheWritePerMTok).mul(factor),
    outputUsd: perMillion(billedAsOutput, rates.outputPerMTok).mul(factor),
    reasoningUsd:
      rates.reasoningPerMTok === null ? new Money(0) : perMillion(u.reasoningTokens, rates.reasoningPerMTok).mul(factor),
  };
  const costUsd = breakdown.inputUsd
    .plus(breakdown.cachedInputUsd)
    .plus(breakdown.cacheWriteUsd)
    .plus(breakdown.outputUsd)
    .plus(breakdown.reasoningUsd);
  return {
    priced: true,
    costUsd,
    priceVersionId: fields.id,
    tier: tier === null ? null : tier.aboveInputTokens,
    appliedOverride: custom?.id ?? discount?.id ?? null,
    rates,
    breakdown,
  };
}

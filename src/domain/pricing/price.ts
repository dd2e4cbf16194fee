import type { Decimal } from '../money.js';

/*
 * Prices are USD per 1M tokens, held as decimal strings or Decimals, never
 * floats. A price row is in force on [effectiveFrom, effectiveTo): effectiveTo
 * is exclusive and null means open-ended, so a price change at T bills an
 * event at exactly T with the new price and one at T - 1 ms with the old one.
 */

/**
 * Long-context tier: when a request's input (tokens, including cache reads and
 * writes) is strictly above `aboveInputTokens`, the whole request is billed at
 * these rates (USD per 1M tokens). Absent cached / cache-write / reasoning
 * rates, and absent rates of the classes priced apart (ClassRates), are derived
 * from the base rates at pricing time (see cost.ts).
 */
export interface PriceTier extends ClassRates {
  aboveInputTokens: number;
  inputPerMTok: Decimal.Value;
  outputPerMTok: Decimal.Value;
  cachedInputPerMTok?: Decimal.Value | null;
  cacheWritePerMTok?: Decimal.Value | null;
  reasoningPerMTok?: Decimal.Value | null;
}

/**
 * Rates in USD per 1M tokens. cachedInput / cacheWrite null: billed at the
 * input rate. reasoning null: reasoning tokens are ordinary output tokens.
 */
export interface PriceFields extends ClassRates {
  inputPerMTok: Decimal.Value;
  outputPerMTok: Decimal.Value;
  cachedInputPerMTok: Decimal.Value | null;
  cacheWritePerMTok: Decimal.Value | null;
  reasoningPerMTok: Decimal.Value | null;
  tiers: readonly PriceTier[];
}

/**
 * Rates of token classes that providers price apart (USD per 1M tokens). Each
 * class is a subset of a base class (see usage.ts); absent or null: billed at
 * that base class's rate.
 *   cacheWrite1h      ⊆ cache writes   (Anthropic 1-hour TTL writes; base: cacheWritePerMTok)
 *   inputAudio        ⊆ fresh input    (base: inputPerMTok)
 *   cachedInputAudio  ⊆ cached input   (base: cachedInputPerMTok)
 *   outputAudio       ⊆ output         (base: outputPerMTok)
 *   inputImage        ⊆ fresh input    (base: inputPerMTok)
 *   inputVideo        ⊆ fresh input    (base: inputPerMTok)
 */
export interface ClassRates {
  cacheWrite1hPerMTok?: Decimal.Value | null;
  inputAudioPerMTok?: Decimal.Value | null;
  cachedInputAudioPerMTok?: Decimal.Value | null;
  outputAudioPerMTok?: Decimal.Value | null;
  inputImagePerMTok?: Decimal.Value | null;
  inputVideoPerMTok?: Decimal.Value | null;
}

/** The processing tier a request ran on; batch and flex are discounted, priority costs more. */
export const SERVICE_TIERS = ['default', 'batch', 'flex', 'priority'] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

export interface EffectivePeriod {
  effectiveFrom: Date;
  /** Exclusive; null = still in force. */
  effectiveTo: Date | null;
}

/** One catalog price of one model from one provider, valid over a period. */
export interface PriceVersion extends PriceFields, EffectivePeriod {
  id: string;
  modelId: string;
  provider: string;
  source: string;
}

/** An org's negotiated discount on everything billed at catalog price by `provider` (percent of cost, 0..100). */
export interface DiscountOverride extends EffectivePeriod {
  kind: 'discount';
  id: string;
  provider: string;
  percent: Decimal.Value;
}

/** An org's own price for a model, replacing the catalog; tiers default to none. */
export interface CustomPriceOverride extends Omit<PriceFields, 'tiers'>, EffectivePeriod {
  kind: 'custom';
  id: string;
  modelId: string;
  tiers?: readonly PriceTier[];
}

export type PriceOverride = DiscountOverride | CustomPriceOverride;

/**
 * The item in force at `at` (effectiveFrom <= at < effectiveTo); when several
 * overlap the latest effectiveFrom wins, and on a tie the later array element.
 */
export function selectInForce<T extends EffectivePeriod>(items: readonly T[], at: Date): T | null {
  const t = at.getTime();
  if (Number.isNaN(t)) return null;
  let best: T | null = null;
  for (const item of items) {
    const from = item.effectiveFrom.getTime();
    const to = item.effectiveTo === null ? Number.POSITIVE_INFINITY : item.effectiveTo.getTime();
    if (from <= t && t < to && (best === null || from >= best.effectiveFrom.getTime())) best = item;
  }
  return best;
}

/** The price version (USD per 1M tokens) in force at `at`, or null when the model is unpriced then. */
export function selectPrice(versions: readonly PriceVersion[], at: Date): PriceVersion | null {
  return selectInForce(versions, at);
}

import { Money, type Decimal } from '../money.js';

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
 * rates are derived from the base rates at pricing time (see cost.ts).
 */
export interface PriceTier {
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
export interface PriceFields {
  inputPerMTok: Decimal.Value;
  outputPerMTok: Decimal.Value;
  cachedInputPerMTok: Decimal.Value | null;
  cacheWritePerMTok: Decimal.Value | null;
  reasoningPerMTok: Decimal.Value | null;
  tiers: readonly PriceTier[];
}

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

/** The parts of `src/reference/economics.json` that seed the price catalog; records are parsed defensively. */
export interface PricingReference {
  closedModels?: readonly Record<string, unknown>[];
  managedOpenApis?: readonly Record<string, unknown>[];
}

/** A reference row that could not become a price, and why. */
export interface SkippedReferenceRow {
  section: 'closedModels' | 'managedOpenApis';
  id: string;
  reason: string;
}

/** A seed row: a PriceVersion whose rates are plain decimal strings (USD per 1M tokens). */
export interface PriceVersionSeed extends PriceVersion {
  inputPerMTok: string;
  outputPerMTok: string;
  cachedInputPerMTok: string | null;
  cacheWritePerMTok: string | null;
  reasoningPerMTok: null;
  tiers: { aboveInputTokens: number; inputPerMTok: string; outputPerMTok: string }[];
}

/** JSON number (USD per 1M tokens) → plain decimal string via String(n), so 0.1 stays "0.1"; null if not a price. */
function priceString(v: unknown): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return null;
  return new Money(String(v)).toFixed();
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim().length > 0 ? v.trim() : null;
}

/**
 * Catalog seed rows (USD per 1M tokens, open-ended from `effectiveFrom`) from the
 * reference file's closedModels[] and managedOpenApis[]; unusable rows are returned as skipped.
 */
export function catalogFromReference(
  ref: PricingReference,
  effectiveFrom: Date,
): { versions: PriceVersionSeed[]; skipped: SkippedReferenceRow[] } {
  const versions: PriceVersionSeed[] = [];
  const skipped: SkippedReferenceRow[] = [];
  const seen = new Set<string>();
  const stamp = effectiveFrom.toISOString();

  const add = (section: SkippedReferenceRow['section'], row: Omit<PriceVersionSeed, 'id' | 'effectiveFrom' | 'effectiveTo'>) => {
    const key = `${row.provider.toLowerCase()}:${row.modelId.toLowerCase()}`;
    if (seen.has(key)) {
      skipped.push({ section, id: `${row.provider}/${row.modelId}`, reason: 'duplicate provider + model; first row kept' });
      return;
    }
    seen.add(key);
    versions.push({ ...row, id: `reference:${row.provider}:${row.modelId}@${stamp}`, effectiveFrom, effectiveTo: null });
  };

  for (const m of ref.closedModels ?? []) {
    const id = text(m.id);
    const provider = text(m.provider);
    const input = priceString(m.inputPerMTok);
    const output = priceString(m.outputPerMTok);
    if (id === null || provider === null || input === null || output === null) {
      skipped.push({ section: 'closedModels', id: id ?? '?', reason: 'missing id, provider, inputPerMTok or outputPerMTok' });
      continue;
    }
    const tiers: PriceVersionSeed['tiers'] = [];
    const lc = m.longContextPricing;
    if (lc !== null && lc !== undefined) {
      const l = lc as Record<string, unknown>;
      const above = l.thresholdTokens;
      const tIn = priceString(l.inputPerMTok);
      const tOut = priceString(l.outputPerMTok);
      if (typeof above !== 'number' || !Number.isInteger(above) || above < 0 || tIn === null || tOut === null) {
        skipped.push({ section: 'closedModels', id, reason: 'longContextPricing lacks thresholdTokens, inputPerMTok or outputPerMTok' });
        continue;
      }
      tiers.push({ aboveInputTokens: above, inputPerMTok: tIn, outputPerMTok: tOut });
    }
    add('closedModels', {
      modelId: id,
      provider,
      inputPerMTok: input,
      outputPerMTok: output,
      cachedInputPerMTok: priceString(m.cachedInputPerMTok),
      cacheWritePerMTok: priceString(m.cacheWritePerMTok),
      reasoningPerMTok: null,
      tiers,
      source: text(m.source) ?? 'reference',
    });
  }

  for (const m of ref.managedOpenApis ?? []) {
    const model = text(m.model);
    const provider = text(m.provider);
    const input = priceString(m.inputPerMTok);
    const output = priceString(m.outputPerMTok);
    if (model === null || provider === null || input === null || output === null) {
      skipped.push({ section: 'managedOpenApis', id: model ?? '?', reason: 'missing provider, model, inputPerMTok or outputPerMTok' });
      continue;
    }
    // Comparison-table rows name models in prose ("Llama 3.1 8B instruct"); no API call carries that name.
    if (/\s/.test(model)) {
      skipped.push({ section: 'managedOpenApis', id: `${provider}/${model}`, reason: 'model is a prose name, not an API model id' });
      continue;
    }
    add('managedOpenApis', {
      modelId: model,
      provider,
      inputPerMTok: input,
      outputPerMTok: output,
      cachedInputPerMTok: null,
      cacheWritePerMTok: null,
      reasoningPerMTok: null,
      tiers: [],
      source: text(m.source) ?? 'reference',
    });
  }
  return { versions, skipped };
}

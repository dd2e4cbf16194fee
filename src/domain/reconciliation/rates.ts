import { Money, type Decimal } from '../money.js';
import type { TokenClass } from './reconcile.js';

/** A price as the catalog or an org's custom price gives it (USD per 1M tokens; null: billed as the base class). */
export interface RateSource {
  id: string;
  inputPerMTok: Decimal.Value;
  outputPerMTok: Decimal.Value;
  cachedInputPerMTok: Decimal.Value | null;
  cacheWritePerMTok: Decimal.Value | null;
  cacheWrite1hPerMTok?: Decimal.Value | null;
  tiers?: readonly { aboveInputTokens: number; inputPerMTok: Decimal.Value; outputPerMTok: Decimal.Value; cachedInputPerMTok?: Decimal.Value | null; cacheWritePerMTok?: Decimal.Value | null }[];
}

/**
 * Anthropic bills 1-hour cache writes at 2x the base input price (5-minute writes: 1.25x), per its pricing
 * page (source id anthropic_pricing_docs in src/reference/api-offers.json). Used only when the catalog has
 * no 1-hour rate for the model.
 */
export const ANTHROPIC_1H_WRITE_MULTIPLIER = 2;

/**
 * Per-class catalog rates (USD per 1M tokens, standard tier) of a price for one cell: the long-context tier
 * chosen by the cell's average input per request (tokens), and an org discount (percent 0..100) applied to
 * every class. The 1-hour write rate is the price's own, else Anthropic's documented multiple of input, else
 * the 5-minute write rate (no difference claimed).
 */
export function classRates(p: RateSource, opts: { provider: string; avgInputPerRequest: Decimal.Value; discountPercent?: Decimal.Value | null }): Record<TokenClass, Decimal> {
  const base = {
    input: new Money(p.inputPerMTok),
    output: new Money(p.outputPerMTok),
  };
  const cached = p.cachedInputPerMTok === null || p.cachedInputPerMTok === undefined ? base.input : new Money(p.cachedInputPerMTok);
  const cw = p.cacheWritePerMTok === null || p.cacheWritePerMTok === undefined ? base.input : new Money(p.cacheWritePerMTok);
  let rates = { input: base.input, cached, cacheWrite5m: cw, output: base.output };
  const avg = new Money(opts.avgInputPerRequest);
  const tier = [...(p.tiers ?? [])].filter((t) => avg.gt(t.aboveInputTokens)).sort((a, b) => b.aboveInputTokens - a.aboveInputTokens)[0];
  if (tier) {
    const tIn = new Money(tier.inputPerMTok);
    const scale = (r: Decimal) => (base.input.isZero() ? tIn : r.mul(tIn).div(base.input));
    rates = {
      input: tIn,
      cached: tier.cachedInputPerMTok != null ? new Money(tier.cachedInputPerMTok) : scale(cached),
      cacheWrite5m: tier.cacheWritePerMTok != null ? new Money(tier.cacheWritePerMTok) : scale(cw),
      output: new Money(tier.outputPerMTok),
    };
  }
  let cw1h: Decimal;
  if (p.cacheWrite1hPerMTok !== null && p.cacheWrite1hPerMTok !== undefined) cw1h = tier ? new Money(p.cacheWrite1hPerMTok).mul(rates.input).div(base.input.isZero() ? 1 : base.input) : new Money(p.cacheWrite1hPerMTok);
  else if (opts.provider === 'anthropic') cw1h = rates.input.mul(ANTHROPIC_1H_WRITE_MULTIPLIER);
  else cw1h = rates.cacheWrite5m;
  const keep = opts.discountPercent ? new Money(1).minus(new Money(opts.discountPercent).div(100)) : new Money(1);
  return {
    input: rates.input.mul(keep),
    cached: rates.cached.mul(keep),
    cacheWrite5m: rates.cacheWrite5m.mul(keep),
    cacheWrite1h: cw1h.mul(keep),
    output: rates.output.mul(keep),
  };
}

/** What a service tier costs relative to standard, per provider (from the catalog's sourced tier offers). */
export interface TierDiscount {
  tier: string;
  /** Fraction off standard prices (0.5 = half price). */
  discountFraction: number;
  /** Catalog model ids the tier covers; null = every model. */
  models: string[] | null;
  /** Whether cached input gets the discount too (null: not stated, so it keeps its standard price). */
  cachedInputDiscounted: boolean | null;
}

/**
 * Price factor of `tier` for token class `cls` of a model (1 = standard): 1 for default/standard, 1 - discount
 * for a listed discounted tier, null when the tier's price is not known (priority, or a tier the model lacks).
 */
export function tierFactor(discounts: readonly TierDiscount[], modelId: string, tier: string, cls: TokenClass): Decimal | null {
  if (tier === 'default' || tier === 'standard' || tier === '') return new Money(1);
  const d = discounts.find((x) => x.tier === tier && (x.models === null || x.models.includes(modelId.toLowerCase())));
  if (!d) return null;
  if (cls === 'cached' && d.cachedInputDiscounted !== true) return new Money(1);
  return new Money(1).minus(d.discountFraction);
}

const TOKEN_TYPES: Record<string, TokenClass> = {
  input: 'input',
  input_tokens: 'input',
  uncached_input: 'input',
  uncached_input_tokens: 'input',
  text_input: 'input',
  cached_input: 'cached',
  cache_read: 'cached',
  cache_read_input_tokens: 'cached',
  input_cached: 'cached',
  cache_write: 'cacheWrite5m',
  cache_write_5m: 'cacheWrite5m',
  cache_creation: 'cacheWrite5m',
  cache_creation_5m: 'cacheWrite5m',
  ephemeral_5m_input_tokens: 'cacheWrite5m',
  cache_write_1h: 'cacheWrite1h',
  cache_creation_1h: 'cacheWrite1h',
  ephemeral_1h_input_tokens: 'cacheWrite1h',
  output: 'output',
  output_tokens: 'output',
  text_output: 'output',
};

/**
 * The token class of a provider cost line: by its token type (input, cache_read, cache_write_5m, ...);
 * 'unclassified' for a token line whose type names no class (audio, image...); null for a line that is not
 * token usage (cost type web_search, code_execution, ...).
 */
export function classOfCostLine(costType: string, tokenType: string): TokenClass | 'unclassified' | null {
  const ct = costType.toLowerCase();
  if (ct !== '' && ct !== 'tokens' && ct !== 'token' && tokenType === '') return null;
  return TOKEN_TYPES[tokenType.toLowerCase()] ?? 'unclassified';
}

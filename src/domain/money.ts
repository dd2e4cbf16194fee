import { Decimal } from 'decimal.js';

export { Decimal };

/** Decimal with enough precision for USD amounts computed from per-token prices. */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type Money = Decimal;

/** USD per 1M tokens → USD for `tokens` tokens (exact, unrounded). */
export function perMillion(tokens: number | bigint, usdPerMTok: Decimal.Value): Decimal {
  // × 10⁻⁶ is exact, like ÷ 10⁶, and several times cheaper than decimal.js's long division.
  return new Money(tokens.toString()).mul(usdPerMTok).mul(MICRO);
}
const MICRO = new Money('1e-6');

/** Formats USD for JSON: a decimal string with at most `dp` places (default 6), never a float. */
export function usdString(value: Decimal.Value, dp = 6): string {
  return new Money(value).toDecimalPlaces(dp).toFixed();
}

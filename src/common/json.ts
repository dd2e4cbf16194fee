import { Decimal } from '../domain/money.js';

/**
 * Makes domain results JSON-safe: every Decimal becomes a decimal string
 * (money is never a float on the wire), rounded once here to `dp` places.
 */
export function toJson(value: unknown, dp = 6): unknown {
  if (Decimal.isDecimal(value)) return (value as Decimal).toDecimalPlaces(dp).toFixed();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => toJson(v, dp));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v, dp);
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

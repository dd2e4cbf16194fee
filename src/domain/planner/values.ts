import { Money } from '../money.js';
import type { UsdValue } from './types.js';

/** Planner helpers that turn untrusted values into safe ones without throwing. */

/** Any value → a finite Money USD amount; invalid input (NaN, ±Infinity, garbage) → `fallback` (default 0). */
export function toMoney(value: unknown, fallback: UsdValue = 0): Money {
  try {
    if (value === null || value === undefined) return new Money(fallback);
    const d = new Money(value as UsdValue);
    return d.isFinite() ? d : new Money(fallback);
  } catch {
    return new Money(fallback);
  }
}

/** Any value → a finite number; otherwise `fallback`. */
export function toNumber(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Any value → a finite number ≥ 0; otherwise `fallback`. */
export function toNonNegative(value: unknown, fallback = 0): number {
  const n = toNumber(value, fallback);
  return n < 0 ? fallback : n;
}

/** USD amount → "$1234.50" (2 dp, half-even) for explanations. */
export function usd(value: UsdValue): string {
  const d = toMoney(value);
  return d.isNegative() ? `-$${d.abs().toFixed(2)}` : `$${d.toFixed(2)}`;
}

/** Number → string with at most `dp` decimal places (no trailing zeros), for explanations. */
export function num(value: number, dp = 2): string {
  return new Money(value).toDecimalPlaces(dp).toFixed();
}

/** Token count → compact string, e.g. 2.1e9 → "2.1B tokens". */
export function tokens(value: number): string {
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (Math.abs(value) >= size) return `${num(value / size, 2)}${suffix} tokens`;
  }
  return `${num(value, 0)} tokens`;
}

/** part / whole as a percentage 0..100 rounded to 2 dp; 0 when whole is 0. */
export function percent(part: Money, whole: Money): number {
  if (whole.isZero()) return 0;
  return part.div(whole).mul(100).toDecimalPlaces(2).toNumber();
}

/** Sum of Money USD amounts. */
export function sum(values: Money[]): Money {
  return values.reduce((acc, v) => acc.plus(v), new Money(0));
}

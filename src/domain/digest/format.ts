import { Money } from '../money.js';

/** Presentation helpers for digests and chat messages: money is rounded here, once. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Any value → a finite Money, or null (garbage, NaN, absent). */
export function moneyOrNull(value: unknown): Money | null {
  if (value === null || value === undefined || value === '') return null;
  try {
    const d = new Money(value as string);
    return d.isFinite() ? d : null;
  } catch {
    return null;
  }
}

/** USD amount → "$1,234.50" (2 dp, half-even; thousands separated); garbage → "$0.00". */
export function formatUsd(value: unknown): string {
  const d = (moneyOrNull(value) ?? new Money(0)).toDecimalPlaces(2);
  const [whole, frac] = d.abs().toFixed(2).split('.') as [string, string];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${d.isNegative() && !d.isZero() ? '-' : ''}$${grouped}.${frac}`;
}

/** A percentage (number) → "+7.9%" / "-12%" (1 dp, no trailing zero). */
export function formatSignedPercent(p: number): string {
  const r = Math.round(p * 10) / 10;
  return `${r > 0 ? '+' : ''}${r}%`;
}

/** The calendar date of `at` in `timeZone` → "23 Nov 2026" (month names fixed, not locale data that changes). */
export function formatDay(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return `${get('day')} ${MONTHS[get('month') - 1]} ${get('year')}`;
}

/** A UTC calendar day ('2026-11-28') → "28 Nov"; anything else is returned as it came. */
export function formatIsoDayShort(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]}` : day;
}

/** Shortens text to at most `max` characters, ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** The dashboard's base URL under the service's public URL ("https://x.example/app/", where the dashboard is served). */
export function dashboardBase(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/app/`;
}

import type { Decimal } from 'decimal.js';
import { Money } from '../money.js';
import { DAY_MS } from '../time.js';
import { fitModel } from '../forecast/forecast-fit.js';

/*
 * Is one day's spend of one scope (a workload, a customer, a provider) unexpected?
 *
 * Robust baseline, weekday aware (multiplicative, so a B2B weekend at 40% of a weekday stays 40%):
 * - weekday factors: for each complete week of the last HISTORY_WEEKS (8) weeks, each day's spend / that week's
 *   mean; the factor of a weekday is the median of its ratios (one odd week cannot move it), normalised to average 1;
 * - level: the median of the deseasonalised spend (spend / its weekday factor) over the same 8 weeks; the spread
 *   is the MAD of the same values x 1.4826 (the MAD of a normal sample is 0.6745 sigma), so one earlier spike
 *   inflates neither;
 * - expected = level x the checked day's factor; range = expected +/- k sigma x factor, k = 4 (a weekly series
 *   with +/-15% uniform noise: 0 of 2,800 days flagged over 200 seeds x 14 days; k = 3.5 flagged 2); the
 *   half-width is never under SPREAD_FLOOR (10%) of expected, so a flat series (MAD 0) does not page on a 1% move.
 * The forecast's own model (forecast-fit.ts: damped trend x weekday factors, p10/p90 from the residuals) is fitted
 * to the same history, and the range reported is the wider of the two: a day is an anomaly only if both the
 * median/MAD baseline and the forecast band call it one. The baseline alone would page every day of steady
 * growth (the median lags a trend) and the forecast band alone is an 80% band, too narrow to page anyone on.
 * Then a dollar guard: the move from expected must be at least `minimumUsd` ($50 by default) so a small workload
 * doubling from $3 to $6 pages no one.
 * Today (a partial day): spend so far above the whole day's upper bound is already an `above` anomaly; `below`
 * needs the complete day.
 */

/** Weeks of history the baseline reads (days before the checked day). */
export const HISTORY_WEEKS = 8;
/** Days of history (most recent) the level and its spread come from: all 8 weeks, since 4 weeks (28 values) gave
 * spreads too small by chance (a seeded +/-15% series paged on a -13% day) and the forecast band follows drift. */
export const LEVEL_DAYS = 56;
/** Below this many days of history (from the scope's first day of data) there is no verdict. */
export const MIN_HISTORY_DAYS = 14;
/** Range half-width in scaled MADs. */
export const DEFAULT_K = 4;
/** MAD -> standard deviation of a normal sample. */
export const MAD_SCALE = '1.4826';
/** Least half-width of the range, as a share of expected (dimensionless). */
export const SPREAD_FLOOR = '0.1';
/** Least move from expected that may page anyone (USD/day). */
export const DEFAULT_MINIMUM_USD = '50';

export interface DailySpend {
  /** UTC calendar date, YYYY-MM-DD. */
  date: string;
  costUsd: Decimal.Value;
}

export interface AnomalyOptions {
  k?: number;
  minimumUsd?: Decimal.Value;
}

export interface Baseline {
  /** Expected spend of the checked day (USD). */
  expected: Decimal;
  /** The range used (USD): the wider of the robust range and the forecast band. */
  lower: Decimal;
  upper: Decimal;
  /** Days of history behind it (from the scope's first day of data, at most 8 weeks). */
  historyDays: number;
  /** Deseasonalised median spend (USD/day) and its MAD (USD/day). */
  level: Decimal;
  mad: Decimal;
  /** Weekday factor of the checked day (dimensionless, the week's factors average 1). */
  weekdayFactor: Decimal;
  robust: { lower: Decimal; upper: Decimal };
  /** The forecast model's expected value and p10/p90 band for the day (USD). */
  forecast: { expected: Decimal; lower: Decimal; upper: Decimal; method: string };
}

export type AnomalyCheck =
  | { verdict: 'no-verdict'; reason: string }
  | { verdict: 'normal'; baseline: Baseline }
  | { verdict: 'anomaly'; direction: 'above' | 'below'; baseline: Baseline; minimumUsd: Decimal };

function dayNumber(date: string): number {
  const ms = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  if (!Number.isFinite(ms)) throw new RangeError(`not a date: ${date}`);
  return ms / DAY_MS;
}

function median(xs: readonly Decimal[]): Decimal {
  if (xs.length === 0) return new Money(0);
  const s = [...xs].sort((a, b) => a.comparedTo(b));
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as Decimal) : (s[mid - 1] as Decimal).plus(s[mid] as Decimal).div(2);
}

/**
 * Expected spend (USD) of `day` and its range from the history before it (rows on or after `day`, and older than
 * 8 weeks, are ignored; missing days inside the history are $0). Null with fewer than MIN_HISTORY_DAYS days.
 */
export function baselineFor(history: readonly DailySpend[], day: string, options: AnomalyOptions = {}): Baseline | null {
  const k = options.k ?? DEFAULT_K;
  const target = dayNumber(day);
  const windowStart = target - HISTORY_WEEKS * 7;
  const byDay = new Map<number, Decimal>();
  for (const row of history) {
    const d = dayNumber(row.date);
    if (d < windowStart || d >= target) continue;
    byDay.set(d, (byDay.get(d) ?? new Money(0)).plus(new Money(row.costUsd)));
  }
  if (byDay.size === 0) return null;
  const first = Math.min(...byDay.keys());
  const n = target - first;
  if (n < MIN_HISTORY_DAYS) return null;
  const values = Array.from({ length: n }, (_, t) => byDay.get(first + t) ?? new Money(0));
  const weekday = (t: number) => new Date((first + t) * DAY_MS).getUTCDay();

  const factors = weekdayFactors(values, weekday);
  const recent: Decimal[] = [];
  for (let t = Math.max(0, n - LEVEL_DAYS); t < n; t++) {
    const f = factors[weekday(t)] as Decimal;
    // A weekday whose factor is 0 (no spend on Sundays) says nothing about the level.
    if (!f.isZero()) recent.push((values[t] as Decimal).div(f));
  }
  const level = median(recent);
  const mad = median(recent.map((d) => d.minus(level).abs()));
  const factor = factors[new Date(target * DAY_MS).getUTCDay()] as Decimal;
  const expected = level.mul(factor);
  const half = Money.max(mad.mul(MAD_SCALE).mul(k).mul(factor), expected.mul(SPREAD_FLOOR));
  const robust = { lower: Money.max(0, expected.minus(half)), upper: expected.plus(half) };

  const model = fitModel(
    values.map((v) => Math.max(0, v.toNumber())),
    weekday(0),
  );
  const fExpected = Math.max(0, model.daily(n));
  const band = model.band(n, 1, 1);
  const forecast = {
    expected: new Money(fExpected),
    lower: new Money(fExpected * Math.exp(band.lo)),
    upper: new Money(fExpected * Math.exp(band.hi)),
    method: model.method,
  };
  return {
    expected,
    lower: Money.min(robust.lower, forecast.lower),
    upper: Money.max(robust.upper, forecast.upper),
    historyDays: n,
    level,
    mad,
    weekdayFactor: factor,
    robust,
    forecast,
  };
}

/** Weekday factors (index 0 = Sunday, UTC) from the complete weeks of the history; all 1 when a weekday has fewer than 2 ratios. */
function weekdayFactors(values: readonly Decimal[], weekday: (t: number) => number): Decimal[] {
  const n = values.length;
  const ratios: Decimal[][] = Array.from({ length: 7 }, () => []);
  // Complete weeks aligned to the end of the history: the most recent data matters most.
  for (let start = n - 7; start >= 0; start -= 7) {
    const week = values.slice(start, start + 7);
    const mean = week.reduce((a, b) => a.plus(b), new Money(0)).div(7);
    if (mean.lte(0)) continue;
    week.forEach((v, i) => ratios[weekday(start + i)]?.push(v.div(mean)));
  }
  const flat = Array.from({ length: 7 }, () => new Money(1));
  if (ratios.some((r) => r.length < 2)) return flat;
  const raw = ratios.map(median);
  const avg = raw.reduce((a, b) => a.plus(b), new Money(0)).div(7);
  return avg.gt(0) ? raw.map((r) => r.div(avg)) : flat;
}

/**
 * Checks `observed` (USD) of `day` against the history before it. `partialDay`: the day is still running
 * (observed is spend so far), so only `above` can be decided.
 */
export function checkDay(history: readonly DailySpend[], day: string, observed: Decimal.Value, partialDay: boolean, options: AnomalyOptions = {}): AnomalyCheck {
  const minimumUsd = new Money(options.minimumUsd ?? DEFAULT_MINIMUM_USD);
  const obs = new Money(observed);
  // Cheap first: a scope under the minimum on the day and on every day of its history is not checked. Its
  // expected value is a typical day of that weekday, so it cannot move by the minimum; this keeps the long tail
  // of small customers (up to 1,000 a day per org) from costing a baseline each (about 3 ms).
  if (obs.lt(minimumUsd) && !hasDayAtLeast(history, day, minimumUsd)) return { verdict: 'no-verdict', reason: `under the ${minimumUsd.toFixed()} USD minimum move on every day` };
  const baseline = baselineFor(history, day, options);
  if (!baseline) return { verdict: 'no-verdict', reason: `fewer than ${MIN_HISTORY_DAYS} days of history` };
  const move = obs.minus(baseline.expected);
  if (obs.gt(baseline.upper) && move.gte(minimumUsd)) return { verdict: 'anomaly', direction: 'above', baseline, minimumUsd };
  if (!partialDay && obs.lt(baseline.lower) && move.neg().gte(minimumUsd)) return { verdict: 'anomaly', direction: 'below', baseline, minimumUsd };
  return { verdict: 'normal', baseline };
}

/** True when some day of the 8 weeks before `day` spent at least `usd`. */
function hasDayAtLeast(history: readonly DailySpend[], day: string, usd: Decimal): boolean {
  const target = dayNumber(day);
  const from = target - HISTORY_WEEKS * 7;
  const byDay = new Map<number, Decimal>();
  for (const row of history) {
    const d = dayNumber(row.date);
    if (d >= from && d < target) byDay.set(d, (byDay.get(d) ?? new Money(0)).plus(new Money(row.costUsd)));
  }
  for (const v of byDay.values()) if (v.gte(usd)) return true;
  return false;
}

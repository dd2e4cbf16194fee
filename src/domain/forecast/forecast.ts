import type { Decimal } from 'decimal.js';
import { Money } from '../money.js';
import { DAY_MS as MS_PER_DAY } from '../time.js';
import { fitModel, mean, type ForecastMethod, type Model } from './forecast-fit.js';

// The model (trend, weekly pattern, band) and why it is built that way: see forecast-fit.ts.
export { DAYS_PER_MONTH, MIN_SEASONALITY_HISTORY_DAYS, MIN_TREND_HISTORY_DAYS, SEASONALITY_WINDOW_DAYS } from './forecast-fit.js';
export type { ForecastMethod } from './forecast-fit.js';

/** Days held out for the backtest. */
export const BACKTEST_HOLDOUT_DAYS = 28;

/** History needed for a backtest: the holdout plus as many days to fit on. */
export const MIN_BACKTEST_HISTORY_DAYS = 56;

export interface DailyCost {
  /** UTC calendar date, YYYY-MM-DD. */
  date: string;
  costUsd: Decimal.Value;
}

export interface MonthForecast {
  month: string;
  /** Actual spend already observed in this month plus the forecast for its remaining days (USD). */
  expectedUsd: Decimal;
  p10Usd: Decimal;
  p90Usd: Decimal;
  /** Spend already observed in the month (USD); 0 for wholly future months. */
  actualToDateUsd: Decimal;
  /** Days of the month that are forecast rather than observed. */
  forecastDays: number;
}

export interface ForecastResult {
  months: MonthForecast[];
  method: ForecastMethod;
  backtest: { mape: number | null; holdoutDays: number; reason: string | null };
  historyDays: number;
  /** Compound growth per month implied by the trend (0.1 = +10%/month). */
  monthlyGrowthRate: number;
  /** Weekday multipliers, index 0 = Sunday (UTC), averaging 1. */
  dayOfWeekFactors: number[];
  issues: string[];
}

export interface ForecastOptions {
  /** Months to project, 1-12 (default 3), starting with the month of the day after the history ends. */
  months?: number;
}

/** The history as a gap-free run of days: day numbers (days since the epoch), exact USD actuals and their float copies for the fit. */
interface DenseHistory {
  first: number;
  last: number;
  n: number;
  actual: Decimal[];
  /** USD/day, negatives (credits) floored at 0. */
  values: number[];
  issues: string[];
}

function dayNumber(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m === null) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  // Rejects 2025-02-30 and friends, which Date.UTC silently rolls over.
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return null;
  return ms / MS_PER_DAY;
}

function dayOfWeek(dayNum: number): number {
  return new Date(dayNum * MS_PER_DAY).getUTCDay();
}

function monthKey(dayNum: number): string {
  return new Date(dayNum * MS_PER_DAY).toISOString().slice(0, 7);
}

function toUsd(x: number): Decimal {
  return new Money(Number.isFinite(x) ? x : 0).toDecimalPlaces(2);
}

/** Sums the rows' USD per day number (days since the epoch); rows with an invalid date or amount are skipped and reported. */
function sumByDay(series: readonly DailyCost[]): { byDay: Map<number, Decimal>; issues: string[] } {
  const issues: string[] = [];
  // Exact Decimal kept for actuals.
  const byDay = new Map<number, Decimal>();
  for (const row of series) {
    const d = dayNumber(row.date);
    let cost: Decimal | null = null;
    try {
      cost = new Money(row.costUsd);
    } catch {
      cost = null;
    }
    if (d === null || cost === null || !cost.isFinite()) {
      issues.push(`row ${JSON.stringify(row.date)} skipped: invalid date or amount`);
      continue;
    }
    byDay.set(d, (byDay.get(d) ?? new Money(0)).plus(cost));
  }
  return { byDay, issues };
}

/** Fills missing days of a non-empty USD-per-day-number map with $0 and floors negatives at 0 for the fit. */
function denseHistory(byDay: ReadonlyMap<number, Decimal>): DenseHistory {
  const issues: string[] = [];
  const days = [...byDay.keys()].sort((x, y) => x - y);
  const first = days[0] as number;
  const last = days[days.length - 1] as number;
  const n = last - first + 1;
  if (n > byDay.size) issues.push(`filled ${n - byDay.size} missing day(s) with $0`);
  const actual: Decimal[] = Array.from({ length: n }, (_, t) => byDay.get(first + t) ?? new Money(0));
  let negatives = 0;
  const values = actual.map((d) => {
    const x = d.toNumber();
    if (x < 0) negatives++;
    return Math.max(0, x);
  });
  if (negatives > 0) issues.push(`${negatives} negative day(s) (credits/refunds) treated as $0 for the fit`);
  return { first, last, n, actual, values, issues };
}

/** The result without a forecast, for `reason`; `issues` found so far come first. */
function emptyResult(issues: readonly string[], reason: string): ForecastResult {
  return {
    months: [],
    method: 'none',
    backtest: { mape: null, holdoutDays: BACKTEST_HOLDOUT_DAYS, reason },
    historyDays: 0,
    monthlyGrowthRate: 0,
    dayOfWeekFactors: [1, 1, 1, 1, 1, 1, 1],
    issues: [...issues, reason],
  };
}

/** MAPE (a fraction) of a fit without the last 28 days of `values` (USD/day) against them, scored on weekly totals (daily APE is undefined on zero days). */
function backtest(values: readonly number[], firstDow: number): ForecastResult['backtest'] {
  const n = values.length;
  if (n < MIN_BACKTEST_HISTORY_DAYS) {
    return { mape: null, holdoutDays: BACKTEST_HOLDOUT_DAYS, reason: `history of ${n} days < ${MIN_BACKTEST_HISTORY_DAYS} days needed for a 28-day holdout` };
  }
  const fitN = n - BACKTEST_HOLDOUT_DAYS;
  const m = fitModel(values.slice(0, fitN), firstDow);
  const apes: number[] = [];
  for (let w = 0; w < BACKTEST_HOLDOUT_DAYS / 7; w++) {
    let a = 0;
    let f = 0;
    for (let t = fitN + 7 * w; t < fitN + 7 * w + 7; t++) {
      a += values[t] as number;
      f += m.daily(t);
    }
    if (a > 0) apes.push(Math.abs(f - a) / a);
  }
  return apes.length === 0
    ? { mape: null, holdoutDays: BACKTEST_HOLDOUT_DAYS, reason: 'holdout weeks have no spend: percentage error undefined' }
    : { mape: mean(apes), holdoutDays: BACKTEST_HOLDOUT_DAYS, reason: null };
}

/** `horizon` months (USD) from the one containing the day after the history ends; actuals already observed in that month count in. */
function projectMonths(model: Model, history: DenseHistory, horizon: number): MonthForecast[] {
  const { first, last, n, actual } = history;
  const months: MonthForecast[] = [];
  let cursor = last + 1;
  for (let i = 0; i < horizon; i++) {
    const key = monthKey(cursor);
    const d = new Date(cursor * MS_PER_DAY);
    const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / MS_PER_DAY;
    const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / MS_PER_DAY;
    let actualToDate = new Money(0);
    for (let day = monthStart; day < cursor; day++) {
      const t = day - first;
      if (t >= 0 && t < n) actualToDate = actualToDate.plus(actual[t] as Decimal);
    }
    let expected = 0;
    let weightedAhead = 0;
    for (let day = cursor; day < monthEnd; day++) {
      const y = model.daily(day - first);
      expected += y;
      weightedAhead += y * (day - last);
    }
    const forecastDays = monthEnd - cursor;
    // Centre of the window = spend-weighted mean days ahead (mid-window for flat spend).
    const ahead = expected > 0 ? weightedAhead / expected : (cursor + monthEnd - 1) / 2 - last;
    const { lo, hi } = model.band(last - first + ahead, ahead, forecastDays);
    months.push({
      month: key,
      expectedUsd: actualToDate.plus(toUsd(expected)),
      p10Usd: actualToDate.plus(toUsd(expected * Math.exp(lo))),
      p90Usd: actualToDate.plus(toUsd(expected * Math.exp(hi))),
      actualToDateUsd: actualToDate,
      forecastDays,
    });
    cursor = monthEnd;
  }
  return months;
}

/**
 * Projects monthly spend (USD) 1-12 months ahead from a daily cost series:
 * log-linear trend x weekday factors, p10-p90 band from residual quantiles
 * widening with horizon, and a 28-day holdout backtest MAPE (weekly totals).
 */
export function forecastSpend(series: readonly DailyCost[], options: ForecastOptions = {}): ForecastResult {
  const horizon = Math.min(12, Math.max(1, Math.floor(options.months ?? 3)));
  const clamped = options.months !== undefined && horizon !== options.months ? [`months ${options.months} clamped to ${horizon}`] : [];

  const cleaned = sumByDay(series);
  // Spread into a literal, not push(...): one issue per bad row has no argument-count limit this way.
  const issues = [...clamped, ...cleaned.issues];
  if (cleaned.byDay.size === 0) return emptyResult(issues, 'no usable history');

  const history = denseHistory(cleaned.byDay);
  issues.push(...history.issues);
  const firstDow = dayOfWeek(history.first);
  const model = fitModel(history.values, firstDow);
  const checked = backtest(history.values, firstDow);
  const months = projectMonths(model, history, horizon);

  return {
    months,
    method: model.method,
    backtest: checked,
    historyDays: history.n,
    monthlyGrowthRate: model.monthlyGrowthRate,
    dayOfWeekFactors: model.dayOfWeekFactors,
    issues,
  };
}

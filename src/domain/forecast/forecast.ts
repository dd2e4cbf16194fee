import type { Decimal } from 'decimal.js';
import { Money } from '../money.js';
import { DAY_MS as MS_PER_DAY } from '../time.js';
import { DAMPING_PER_MONTH, DAMPING_SOURCE, capSlope, dampedForecaster, dampedLogGrowth, growthCapOf, type GrowthCap } from './damped-trend.js';
import { bandAt, rollingBacktest, type BacktestReport, type HorizonError } from './forecast-backtest.js';
import { DAYS_PER_MONTH, fitModel, type ForecastMethod as FitMethod, type Model } from './forecast-fit.js';

/*
 * What is forecast, and why: volume (tokens/day, input + output), not spend.
 * Spend = volume x price, and a price change (a provider's cut, a move to a
 * cheaper model) is a step in price, not a trend in use: fitting spend made
 * a 50% price cut look like shrinking demand. The volume is projected with a
 * damped, capped trend (damped-trend.ts) and priced at the price in force:
 * the cost per token of the last 7 days that had tokens (normally the 7 days
 * before asOf), which carries the current model mix and input/output mix.
 * Days before asOf are actuals (a day without events is $0 actual), never
 * forecast; the forecast starts on asOf's day.
 * Series with cost but no token counts are forecast on spend directly
 * (volumeBasis 'spend', price 1 USD per USD).
 */

// The model (trend, weekly pattern, in-sample band) and why it is built that way: see forecast-fit.ts.
export { DAYS_PER_MONTH, MIN_SEASONALITY_HISTORY_DAYS, MIN_TREND_HISTORY_DAYS, SEASONALITY_WINDOW_DAYS } from './forecast-fit.js';
export { DAMPING_PER_MONTH, GROWTH_CAP } from './damped-trend.js';
export { BACKTEST_HORIZON_WEEKS, MIN_BACKTEST_FIT_DAYS, MIN_BACKTEST_ORIGINS } from './forecast-backtest.js';

/** Days of history the price in force is taken from (days with tokens, counting back from asOf). */
export const PRICE_WINDOW_DAYS = 7;

/** The old single-holdout length, still reported as `backtest.holdoutDays` (the 4-week horizon's target). */
export const BACKTEST_HOLDOUT_DAYS = 28;

export type ForecastMethod = 'damped-log-linear-trend x day-of-week' | Exclude<FitMethod, 'log-linear-trend x day-of-week'>;

export interface DailyUsage {
  /** UTC calendar date, YYYY-MM-DD. */
  date: string;
  costUsd: Decimal.Value;
  /** Tokens in that day (optional: without any token counts the forecast runs on spend). */
  inputTokens?: number | string | null;
  outputTokens?: number | string | null;
}
/** Kept for callers: a daily series with cost only is still accepted. */
export type DailyCost = DailyUsage;

export interface MonthVolume {
  /** Tokens observed in the month before asOf. */
  actualTokens: number;
  /** Tokens forecast for the month's days from asOf on (expected, p10, p90). */
  forecastTokens: number;
  p10Tokens: number;
  p90Tokens: number;
}

export interface MonthForecast {
  month: string;
  /** Actual spend already observed in this month plus the forecast for its remaining days (USD). */
  expectedUsd: Decimal;
  p10Usd: Decimal;
  p90Usd: Decimal;
  /** Spend already observed in the month (USD); 0 for wholly future months. */
  actualToDateUsd: Decimal;
  /** Days of the month from asOf's day on (forecast rather than observed). */
  forecastDays: number;
  /** Volume in the month (tokens, or USD when volumeBasis is 'spend'). */
  volume: MonthVolume;
  /** Forecast volume per day in the month / trend level at asOf (damped growth, no weekday effect; 1 = flat). */
  volumeGrowthFactor: number;
}

/** A month wholly before asOf's month: actuals only. */
export interface ActualMonth {
  month: string;
  actualUsd: Decimal;
  actualTokens: number;
  /** Days of the month inside the history (a month the history starts in may be partial). */
  observedDays: number;
}

export interface PriceInForce {
  /** USD per 1M tokens in the window (null when volumeBasis is 'spend' or the window has no tokens). */
  usdPerMillionTokens: string | null;
  /** Share of input tokens in the window's tokens (null without tokens). */
  inputShare: number | null;
  from: string | null;
  to: string | null;
  days: number;
  tokens: number;
  costUsd: string;
  rule: string;
}

export interface ForecastBacktest {
  /** The 4-week horizon's error (MAPE; the 1-week one when 4 weeks are not scored), null when neither is. */
  mape: number | null;
  metric: 'MAPE';
  /** Days scored by the error in `mape` (28 for the 4-week horizon, 7 for the 1-week one). */
  holdoutDays: number;
  reason: string | null;
  horizons: HorizonError[];
  omitted: { weeks: number; reason: string }[];
  /** Where the p10/p90 band comes from. */
  band: 'backtest' | 'in-sample-residuals';
  bandNote: string;
}

export interface ForecastResult {
  /** Day the forecast starts (YYYY-MM-DD): days before it are actuals. */
  asOfDate: string | null;
  months: MonthForecast[];
  /** Months wholly before asOf's month, actuals only. */
  actualMonths: ActualMonth[];
  method: ForecastMethod;
  methodDescription: string;
  volumeBasis: 'tokens' | 'spend';
  priceInForce: PriceInForce;
  damping: { perMonth: number; source: typeof DAMPING_SOURCE };
  growthCap: GrowthCap;
  backtest: ForecastBacktest;
  historyDays: number;
  /** Volume growth per month at asOf after the cap, before damping (0.1 = +10%/month). */
  monthlyGrowthRate: number;
  /** Weekday multipliers, index 0 = Sunday (UTC), averaging 1. */
  dayOfWeekFactors: number[];
  issues: string[];
}

export interface ForecastOptions {
  /** Months to project, 1-12 (default 3), starting with asOf's month. */
  months?: number;
  /** First forecast day (a Date is floored to its UTC day); default the day after the last row. Rows on or after it are ignored. */
  asOf?: Date | string;
}

interface DayTotals {
  cost: Decimal;
  input: number;
  output: number;
}

/** The history as a gap-free run of days up to the day before asOf: day numbers (days since the epoch), exact USD actuals, tokens. */
interface DenseHistory {
  first: number;
  /** Day before asOf. */
  last: number;
  n: number;
  actual: Decimal[];
  input: number[];
  output: number[];
}

const FLAT: number[] = [1, 1, 1, 1, 1, 1, 1];

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

function isoDate(dayNum: number): string {
  return new Date(dayNum * MS_PER_DAY).toISOString().slice(0, 10);
}

function monthKey(dayNum: number): string {
  return isoDate(dayNum).slice(0, 7);
}

/** First day (day number) of the month containing `dayNum`, and of the next month. */
function monthBounds(dayNum: number): { start: number; end: number } {
  const d = new Date(dayNum * MS_PER_DAY);
  return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / MS_PER_DAY, end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / MS_PER_DAY };
}

function toUsd(x: Decimal.Value): Decimal {
  const d = new Money(x);
  return d.isFinite() ? d.toDecimalPlaces(2) : new Money(0);
}

function tokenCount(v: number | string | null | undefined): number | null {
  if (v === null || v === undefined) return 0;
  const x = Number(v);
  return Number.isFinite(x) && x >= 0 ? x : null;
}

function asOfDayOf(asOf: Date | string | undefined): number | null | undefined {
  if (asOf === undefined) return undefined;
  if (asOf instanceof Date) return Number.isFinite(asOf.getTime()) ? Math.floor(asOf.getTime() / MS_PER_DAY) : null;
  return dayNumber(asOf.slice(0, 10));
}

/** Sums the rows per day number (days since the epoch); rows with an invalid date, amount or token count are skipped and reported. */
function sumByDay(series: readonly DailyUsage[]): { byDay: Map<number, DayTotals>; issues: string[] } {
  const issues: string[] = [];
  const byDay = new Map<number, DayTotals>();
  for (const row of series) {
    const d = dayNumber(row.date);
    let cost: Decimal | null = null;
    try {
      cost = new Money(row.costUsd);
    } catch {
      cost = null;
    }
    const input = tokenCount(row.inputTokens);
    const output = tokenCount(row.outputTokens);
    if (d === null || cost === null || !cost.isFinite() || input === null || output === null) {
      issues.push(`row ${JSON.stringify(row.date)} skipped: invalid date, amount or token count`);
      continue;
    }
    const prev = byDay.get(d);
    byDay.set(d, { cost: (prev?.cost ?? new Money(0)).plus(cost), input: (prev?.input ?? 0) + input, output: (prev?.output ?? 0) + output });
  }
  return { byDay, issues };
}

/** Days first..asOf-1, missing ones $0 / 0 tokens. */
function denseHistory(byDay: ReadonlyMap<number, DayTotals>, first: number, last: number): { history: DenseHistory; issues: string[] } {
  const n = last - first + 1;
  const actual: Decimal[] = [];
  const input: number[] = [];
  const output: number[] = [];
  let missing = 0;
  for (let t = 0; t < n; t++) {
    const row = byDay.get(first + t);
    if (!row) missing++;
    actual.push(row?.cost ?? new Money(0));
    input.push(row?.input ?? 0);
    output.push(row?.output ?? 0);
  }
  return { history: { first, last, n, actual, input, output }, issues: missing > 0 ? [`filled ${missing} missing day(s) with $0 and 0 tokens: actuals of zero, not gaps`] : [] };
}

/** Cost per token of the last PRICE_WINDOW_DAYS days with tokens, counting back from the day before asOf. */
function priceInForceOf(h: DenseHistory, basis: 'tokens' | 'spend'): { price: Decimal; view: PriceInForce } {
  if (basis === 'spend') {
    return {
      price: new Money(1),
      view: { usdPerMillionTokens: null, inputShare: null, from: null, to: null, days: 0, tokens: 0, costUsd: '0', rule: 'no token counts in the history: spend is forecast directly (1 USD per USD)' },
    };
  }
  let days = 0;
  let tokens = 0;
  let input = 0;
  let cost = new Money(0);
  let from: number | null = null;
  let to: number | null = null;
  for (let t = h.n - 1; t >= 0 && days < PRICE_WINDOW_DAYS; t--) {
    const tok = (h.input[t] as number) + (h.output[t] as number);
    if (tok <= 0) continue;
    days++;
    tokens += tok;
    input += h.input[t] as number;
    cost = cost.plus(h.actual[t] as Decimal);
    from = h.first + t;
    to ??= h.first + t;
  }
  // Tokens of models without a price count in `tokens` but add no cost: the forecast keeps today's unpriced share at $0, as the actuals do.
  const price = tokens > 0 ? Money.max(0, cost).div(tokens) : new Money(0);
  return {
    price,
    view: {
      usdPerMillionTokens: tokens > 0 ? price.mul(1_000_000).toDecimalPlaces(6).toFixed() : null,
      inputShare: tokens > 0 ? input / tokens : null,
      from: from === null ? null : isoDate(from),
      to: to === null ? null : isoDate(to),
      days,
      tokens,
      costUsd: cost.toFixed(),
      rule: `cost / tokens over the last ${PRICE_WINDOW_DAYS} days with tokens before asOf (model mix and input/output mix of that window held constant)`,
    },
  };
}

function emptyResult(issues: readonly string[], reason: string, asOfDate: string | null): ForecastResult {
  return {
    asOfDate,
    months: [],
    actualMonths: [],
    method: 'none',
    methodDescription: 'no forecast: ' + reason,
    volumeBasis: 'spend',
    priceInForce: { usdPerMillionTokens: null, inputShare: null, from: null, to: null, days: 0, tokens: 0, costUsd: '0', rule: 'no history' },
    damping: { perMonth: DAMPING_PER_MONTH, source: DAMPING_SOURCE },
    growthCap: growthCapOf(0),
    backtest: { mape: null, metric: 'MAPE', holdoutDays: BACKTEST_HOLDOUT_DAYS, reason, horizons: [], omitted: [], band: 'in-sample-residuals', bandNote: reason },
    historyDays: 0,
    monthlyGrowthRate: 0,
    dayOfWeekFactors: [...FLAT],
    issues: [...issues, reason],
  };
}

function backtestView(report: BacktestReport): ForecastBacktest {
  const headline = report.horizons.find((h) => h.weeks === 4) ?? report.horizons.find((h) => h.weeks === 1) ?? null;
  const calibrated = bandAt(report, 4) !== null;
  return {
    mape: headline?.error ?? null,
    metric: 'MAPE',
    holdoutDays: headline?.targetDays ?? BACKTEST_HOLDOUT_DAYS,
    reason: headline ? null : report.omitted.map((o) => o.reason).join('; '),
    horizons: report.horizons,
    omitted: report.omitted,
    band: calibrated ? 'backtest' : 'in-sample-residuals',
    bandNote: calibrated
      ? "p10/p90 = the backtest's p10/p90 of actual/forecast at the horizon matching the month's end (linear between 1, 4 and 12 weeks; beyond the longest scored horizon widened by sqrt(lead / horizon))"
      : 'history too short for the 4-week backtest horizon: band from the in-sample residuals of weekly totals plus the trend level error, widening with horizon',
  };
}

/** Closed months before asOf's month (USD, tokens). */
function actualMonthsOf(h: DenseHistory, asOfDay: number): ActualMonth[] {
  const out: ActualMonth[] = [];
  const stop = monthBounds(asOfDay).start;
  for (let day = h.first; day < stop; ) {
    const { end } = monthBounds(day);
    let usd = new Money(0);
    let tokens = 0;
    const until = Math.min(end, stop);
    for (let d = day; d < until; d++) {
      const t = d - h.first;
      usd = usd.plus(h.actual[t] as Decimal);
      tokens += (h.input[t] as number) + (h.output[t] as number);
    }
    out.push({ month: monthKey(day), actualUsd: usd, actualTokens: tokens, observedDays: until - day });
    day = until;
  }
  return out;
}

/**
 * Projects monthly spend (USD) and volume (tokens) 1-12 months from asOf's
 * month: tokens/day from a damped, capped log-linear trend x weekday factors,
 * priced at the cost per token of the last 7 days with tokens; p10-p90 band
 * from a rolling-origin backtest (MAPE at 1, 4, 12 weeks).
 */
export function forecastSpend(series: readonly DailyUsage[], options: ForecastOptions = {}): ForecastResult {
  const horizon = Math.min(12, Math.max(1, Math.floor(options.months ?? 3)));
  const issues = options.months !== undefined && horizon !== options.months ? [`months ${options.months} clamped to ${horizon}`] : [];

  const requestedAsOf = asOfDayOf(options.asOf);
  if (requestedAsOf === null) return emptyResult(issues, `asOf ${JSON.stringify(String(options.asOf))} is not a date`, null);
  const cleaned = sumByDay(series);
  issues.push(...cleaned.issues);
  if (requestedAsOf !== undefined) {
    const late = [...cleaned.byDay.keys()].filter((d) => d >= requestedAsOf);
    for (const d of late) cleaned.byDay.delete(d);
    if (late.length) issues.push(`${late.length} day(s) on or after asOf ignored`);
  }
  const days = [...cleaned.byDay.keys()].sort((x, y) => x - y);
  if (days.length === 0) return emptyResult(issues, 'no usable history', requestedAsOf === undefined ? null : isoDate(requestedAsOf));
  const asOfDay = requestedAsOf ?? (days[days.length - 1] as number) + 1;

  const { history, issues: fill } = denseHistory(cleaned.byDay, days[0] as number, asOfDay - 1);
  issues.push(...fill);
  const totalTokens = history.input.reduce((a, b) => a + b, 0) + history.output.reduce((a, b) => a + b, 0);
  const basis: 'tokens' | 'spend' = totalTokens > 0 ? 'tokens' : 'spend';
  const values = history.actual.map((c, t) => (basis === 'tokens' ? (history.input[t] as number) + (history.output[t] as number) : Math.max(0, c.toNumber())));
  if (basis === 'spend' && history.actual.some((c) => c.isNegative())) issues.push('negative day(s) (credits/refunds) treated as $0 for the fit');

  const firstDow = dayOfWeek(history.first);
  const model = fitModel(values, firstDow);
  const lastIdx = history.n - 1;
  const forecast = dampedForecaster(model, lastIdx);
  const report = rollingBacktest(values, firstDow);
  const { price, view: priceView } = priceInForceOf(history, basis);
  if (basis === 'tokens' && priceView.days === 0) issues.push('no day with tokens: price in force unknown, forecast $0');

  const months = projectMonths({ model, forecast, report, history, asOfDay, horizon, price });
  const method: ForecastMethod = model.method === 'log-linear-trend x day-of-week' ? 'damped-log-linear-trend x day-of-week' : model.method;
  const capped = capSlope(model.logSlopePerDay);
  return {
    asOfDate: isoDate(asOfDay),
    months,
    actualMonths: actualMonthsOf(history, asOfDay),
    method,
    methodDescription: describe(method, basis),
    volumeBasis: basis,
    priceInForce: priceView,
    damping: { perMonth: DAMPING_PER_MONTH, source: DAMPING_SOURCE },
    growthCap: growthCapOf(model.logSlopePerDay),
    backtest: backtestView(report),
    historyDays: history.n,
    monthlyGrowthRate: model.method === 'log-linear-trend x day-of-week' ? Math.exp(capped * DAYS_PER_MONTH) - 1 : 0,
    dayOfWeekFactors: model.dayOfWeekFactors,
    issues,
  };
}

function describe(method: ForecastMethod, basis: 'tokens' | 'spend'): string {
  const what = basis === 'tokens' ? 'tokens/day (input + output)' : 'USD/day (no token counts)';
  const price = basis === 'tokens' ? `, priced at the cost per token of the last ${PRICE_WINDOW_DAYS} days with tokens` : '';
  const trend =
    method === 'damped-log-linear-trend x day-of-week'
      ? `Theil-Sen log-linear trend of weekly totals, growth capped to -25%..+25%/month and damped by ${DAMPING_PER_MONTH}/month (cumulative 1/3x..3x), x weekday factors`
      : method === 'all-zero'
        ? 'all-zero history'
        : `flat recent mean${method === 'flat-mean x day-of-week' ? ' x weekday factors' : ''} (under 3 weeks of history)`;
  return `${trend} on ${what}${price}`;
}

interface Projection {
  model: Model;
  forecast: (t: number) => number;
  report: BacktestReport;
  history: DenseHistory;
  asOfDay: number;
  horizon: number;
  price: Decimal;
}

/** `horizon` months from asOf's month: actuals before asOf, forecast volume x price in force from asOf's day. */
function projectMonths(p: Projection): MonthForecast[] {
  const { model, forecast, report, history, asOfDay, horizon, price } = p;
  const { first, last, n, actual } = history;
  const slope = capSlope(model.logSlopePerDay);
  const months: MonthForecast[] = [];
  let cursor = asOfDay;
  for (let i = 0; i < horizon; i++) {
    const { start, end } = monthBounds(cursor);
    let actualToDate = new Money(0);
    let actualTokens = 0;
    for (let day = start; day < asOfDay && day < end; day++) {
      const t = day - first;
      if (t >= 0 && t < n) {
        actualToDate = actualToDate.plus(actual[t] as Decimal);
        actualTokens += (history.input[t] as number) + (history.output[t] as number);
      }
    }
    let expected = 0;
    let growth = 0;
    for (let day = cursor; day < end; day++) {
      expected += forecast(day - first);
      growth += Math.exp(dampedLogGrowth(slope, day - last));
    }
    const forecastDays = end - cursor;
    const leadWeeks = (end - asOfDay) / 7;
    const calibrated = bandAt(report, leadWeeks);
    let lo: number;
    let hi: number;
    if (calibrated) {
      ({ lo, hi } = calibrated);
    } else {
      // Fallback: in-sample band centred mid-window, as before the backtest existed.
      const ahead = (cursor + end - 1) / 2 - last;
      ({ lo, hi } = model.band(last - first + ahead, ahead, forecastDays));
    }
    const p10 = expected * Math.exp(lo);
    const p90 = expected * Math.exp(hi);
    months.push({
      month: monthKey(cursor),
      expectedUsd: actualToDate.plus(toUsd(new Money(expected).mul(price))),
      p10Usd: actualToDate.plus(toUsd(new Money(p10).mul(price))),
      p90Usd: actualToDate.plus(toUsd(new Money(p90).mul(price))),
      actualToDateUsd: actualToDate,
      forecastDays,
      volume: { actualTokens, forecastTokens: expected, p10Tokens: p10, p90Tokens: p90 },
      volumeGrowthFactor: model.method === 'all-zero' ? 0 : growth / forecastDays,
    });
    cursor = end;
  }
  return months;
}

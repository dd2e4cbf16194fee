/*
 * Rolling-origin backtest, and why: one 28-day holdout scored on 4 weekly
 * points says nothing about a 12-month forecast. Here the same forecaster
 * (fit + damped projection) is refitted at every 7th day of the history
 * (origins), each fit on everything before its origin (at least 28 days),
 * and scored at horizons of 1, 4 and 12 weeks:
 * - 1 week: the total of the 7 days after the origin;
 * - 4 weeks: the total of the 28 days after the origin (about month 1);
 * - 12 weeks: the total of weeks 9-12 after the origin (about month 3).
 * Totals, not days, because a daily percentage error is undefined on a $0 day
 * and a month's total is what the forecast is read for.
 * Error = MAPE over origins, mean of |forecast / actual - 1|, origins whose
 * actual total is 0 left out (undefined). A horizon needs 4 scored origins,
 * else it is omitted with the reason.
 * The p10/p90 of log(actual / forecast) at each horizon is what calibrates
 * the band (see bandAt): mean +- 1.2816 sd of log(actual / forecast) over
 * the origins (normal p10/p90). Not the empirical p10/p90: with 7-20 origins
 * those sit inside the true quantiles (simulated coverage 60% of a nominal
 * 80% on the 17-day test window, 75% with the normal quantiles; with a
 * t(0.9, k-1) x sqrt(1 + 1/k) prediction interval 85%, and 92% on the
 * 3-month test, so the plain normal ones were kept).
 */
import { dampedForecaster } from './damped-trend.js';
import { fitModel } from './forecast-fit.js';

/** Horizons scored, in weeks after the origin. */
export const BACKTEST_HORIZON_WEEKS = [1, 4, 12] as const;
/** Days a fit needs before an origin. */
export const MIN_BACKTEST_FIT_DAYS = 28;
/** Scored origins a horizon needs to be reported (and to calibrate the band). */
export const MIN_BACKTEST_ORIGINS = 4;
/** At most this many origins per horizon (the most recent), bounding the refits. */
export const MAX_BACKTEST_ORIGINS = 26;

export interface HorizonError {
  weeks: number;
  /** MAPE of the horizon's total (fraction: 0.05 = 5%). */
  error: number;
  /** Origins scored. */
  origins: number;
  /** Days summed for the score: 7 for 1 week, else 28 (the last 4 weeks of the horizon). */
  targetDays: number;
  /** p10 and p90 of actual / forecast over the origins (1 = exact): exp(mean +- 1.2816 sd) of the log ratios, what calibrates the band. */
  actualOverForecast: { p10: number; p90: number };
}

export interface BacktestReport {
  metric: 'MAPE';
  /** Horizons with enough origins. */
  horizons: HorizonError[];
  /** Horizons left out, each with why. */
  omitted: { weeks: number; reason: string }[];
  /** Log-scale p10/p90 of actual/forecast per horizon (weeks), for bandAt. */
  logQuantiles: { weeks: number; lo: number; hi: number }[];
}

/** Rolling-origin backtest of the damped forecaster on `values` (units/day, index 0 on weekday `firstDow`). */
export function rollingBacktest(values: readonly number[], firstDow: number): BacktestReport {
  const n = values.length;
  const forecasters = new Map<number, (t: number) => number>();
  const forecasterAt = (origin: number) => {
    let f = forecasters.get(origin);
    if (!f) {
      f = dampedForecaster(fitModel(values.slice(0, origin), firstDow), origin - 1);
      forecasters.set(origin, f);
    }
    return f;
  };
  const horizons: HorizonError[] = [];
  const omitted: BacktestReport['omitted'] = [];
  const logQuantiles: BacktestReport['logQuantiles'] = [];
  for (const weeks of BACKTEST_HORIZON_WEEKS) {
    const targetDays = Math.min(weeks, 4) * 7;
    const apes: number[] = [];
    const logRatios: number[] = [];
    let zeroActual = 0;
    // Origins n - 7k, most recent first, each leaving `weeks` weeks after it.
    for (let origin = n - 7 * weeks; origin >= MIN_BACKTEST_FIT_DAYS && apes.length + zeroActual < MAX_BACKTEST_ORIGINS; origin -= 7) {
      const f = forecasterAt(origin);
      let a = 0;
      let p = 0;
      for (let t = origin + 7 * weeks - targetDays; t < origin + 7 * weeks; t++) {
        a += values[t] as number;
        p += f(t);
      }
      if (a <= 0) {
        zeroActual++;
        continue;
      }
      apes.push(Math.abs(p / a - 1));
      if (p > 0) logRatios.push(Math.log(a / p));
    }
    if (apes.length < MIN_BACKTEST_ORIGINS) {
      const needed = MIN_BACKTEST_FIT_DAYS + 7 * weeks + 7 * (MIN_BACKTEST_ORIGINS - 1);
      omitted.push({
        weeks,
        reason:
          `history of ${n} days gives ${apes.length} scored origin(s) for a ${weeks}-week horizon; ${MIN_BACKTEST_ORIGINS} needed ` +
          `(${needed}+ days: ${MIN_BACKTEST_FIT_DAYS} to fit + ${weeks} week(s) ahead + ${MIN_BACKTEST_ORIGINS - 1} more weekly origins)` +
          (zeroActual > 0 ? `; ${zeroActual} origin(s) had no actual volume (error undefined)` : ''),
      });
      continue;
    }
    const mapeValue = apes.reduce((s, x) => s + x, 0) / apes.length;
    const { lo, hi } = predictionQuantiles(logRatios);
    horizons.push({ weeks, error: mapeValue, origins: apes.length, targetDays, actualOverForecast: { p10: Math.exp(lo), p90: Math.exp(hi) } });
    // Horizons scored on the same 28-day total cannot honestly get more certain further out:
    // a narrower spread at 12 weeks than at 4 is sampling noise (fewer origins), so the band keeps the wider one.
    const prev = logQuantiles[logQuantiles.length - 1];
    const sameTarget = prev !== undefined && prev.weeks >= 4;
    logQuantiles.push({ weeks, lo: sameTarget ? Math.min(lo, prev.lo) : lo, hi: sameTarget ? Math.max(hi, prev.hi) : hi });
  }
  return { metric: 'MAPE', horizons, omitted, logQuantiles };
}

/**
 * Log-scale band (lo <= 0 <= hi) for a forecast window ending `leadWeeks`
 * weeks after asOf, from the backtest's quantiles: linear between the scored
 * horizons, the shortest one's below it, and beyond the longest one widened
 * by sqrt(lead / longest) (error growing like a random walk). Null when the
 * 4-week horizon (the one matching a month) was not scored.
 */
export function bandAt(report: BacktestReport, leadWeeks: number): { lo: number; hi: number } | null {
  const qs = report.logQuantiles;
  if (!qs.some((q) => q.weeks === 4)) return null;
  const first = qs[0]!;
  const last = qs[qs.length - 1]!;
  let lo: number;
  let hi: number;
  if (leadWeeks <= first.weeks) {
    ({ lo, hi } = first);
  } else if (leadWeeks >= last.weeks) {
    const widen = Math.sqrt(leadWeeks / last.weeks);
    lo = last.lo * widen;
    hi = last.hi * widen;
  } else {
    const j = qs.findIndex((q) => q.weeks >= leadWeeks);
    const a = qs[j - 1]!;
    const b = qs[j]!;
    const w = (leadWeeks - a.weeks) / (b.weeks - a.weeks);
    lo = a.lo + (b.lo - a.lo) * w;
    hi = a.hi + (b.hi - a.hi) * w;
  }
  return { lo: Math.min(0, lo), hi: Math.max(0, hi) };
}

/** p10/p90 (log units) of the next outcome from `k` log ratios: normal quantiles mean +- 1.2816 sd (the empirical p10/p90 of a few points sit inside the true ones). */
function predictionQuantiles(logRatios: readonly number[]): { lo: number; hi: number } {
  const k = logRatios.length;
  if (k === 0) return { lo: 0, hi: 0 };
  if (k < 2) return { lo: logRatios[0] as number, hi: logRatios[0] as number };
  const m = logRatios.reduce((a, b) => a + b, 0) / k;
  const sd = Math.sqrt(logRatios.reduce((a, b) => a + (b - m) ** 2, 0) / (k - 1));
  const half = 1.2816 * sd;
  return { lo: m - half, hi: m + half };
}

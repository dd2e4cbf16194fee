/*
 * Damped growth, and why: a log-linear trend extrapolated for a year turns a
 * launch month's +80% into 1,000x (issue 11 found 2,048x at month 12). The
 * fitted monthly growth is first capped, then damped: month k after the
 * history grows by g_k = g x phi^k on the log scale (Gardner & McKenzie's
 * damped trend applied to the log level), so the volume after h months is
 * level x exp(b x (phi + phi^2 + ... + phi^h)) and levels off at
 * exp(b x phi / (1 - phi)). The cumulative factor is finally held within
 * [1/maxHorizonFactor, maxHorizonFactor].
 */
import { DAYS_PER_MONTH, type Model } from './forecast-fit.js';

/**
 * Monthly damping factor phi (dimensionless). Source: damped-trend practice,
 * "usually set in the range .80 <= phi <= .98" (real-statistics.com, Holt's
 * linear trend with damping, read 2026-12-01; method: Gardner & McKenzie
 * 1985). 0.9 is the middle of that range: half the trend is gone after
 * 6.6 months (0.9^6.6 = 0.5).
 */
export const DAMPING_PER_MONTH = 0.9;

export const DAMPING_SOURCE = {
  id: 'damped-trend-phi-range',
  url: 'https://real-statistics.com/time-series-analysis/basic-time-series-forecasting/holt-linear-trend/holts-linear-trend-with-damping',
  note: 'damping parameter usually 0.80-0.98 (Gardner & McKenzie 1985 damped trend); 0.9 per month chosen',
  retrieved: '2026-12-01',
} as const;

/**
 * Growth caps (product policy, not measured): the fitted growth is held
 * within -25%..+25% per month before damping, and the cumulative volume
 * change over the horizon within 1/3x..3x of today's level.
 */
export const GROWTH_CAP = {
  maxMonthlyRate: 0.25,
  minMonthlyRate: -0.25,
  maxHorizonFactor: 3,
  minHorizonFactor: 1 / 3,
} as const;

export interface GrowthCap {
  maxMonthlyRate: number;
  minMonthlyRate: number;
  maxHorizonFactor: number;
  minHorizonFactor: number;
  /** The fitted monthly growth before the cap (0.1 = +10%/month). */
  fittedMonthlyRate: number;
  /** True when the fitted monthly growth was outside the monthly cap. */
  monthlyCapApplied: boolean;
  note: string;
}

/** Daily damping factor (dimensionless) from the monthly one: phi^(1 / 30.4375). */
const PHI_DAY = DAMPING_PER_MONTH ** (1 / DAYS_PER_MONTH);

/** Capped trend slope (log units/day) from a fitted slope (log units/day). */
export function capSlope(logSlopePerDay: number): number {
  const max = Math.log(1 + GROWTH_CAP.maxMonthlyRate) / DAYS_PER_MONTH;
  const min = Math.log(1 + GROWTH_CAP.minMonthlyRate) / DAYS_PER_MONTH;
  if (!Number.isFinite(logSlopePerDay)) return 0;
  return Math.min(max, Math.max(min, logSlopePerDay));
}

/**
 * Cumulative damped log growth (log units) `daysAhead` days after the last
 * history day, for a capped slope (log units/day):
 * b x (phi_d + phi_d^2 + ... + phi_d^h) = b x phi_d (1 - phi_d^h) / (1 - phi_d),
 * then held within log(1/3)..log(3).
 */
export function dampedLogGrowth(cappedSlopePerDay: number, daysAhead: number): number {
  if (daysAhead <= 0 || cappedSlopePerDay === 0) return 0;
  const raw = (cappedSlopePerDay * PHI_DAY * (1 - PHI_DAY ** daysAhead)) / (1 - PHI_DAY);
  return Math.min(Math.log(GROWTH_CAP.maxHorizonFactor), Math.max(Math.log(GROWTH_CAP.minHorizonFactor), raw));
}

/** The stated cap with the fitted growth (fraction/month) it was applied to. */
export function growthCapOf(logSlopePerDay: number): GrowthCap {
  const fitted = Number.isFinite(logSlopePerDay) ? Math.exp(logSlopePerDay * DAYS_PER_MONTH) - 1 : 0;
  return {
    ...GROWTH_CAP,
    fittedMonthlyRate: fitted,
    monthlyCapApplied: capSlope(logSlopePerDay) !== logSlopePerDay,
    note: 'product policy: fitted growth held within -25%..+25%/month before damping, cumulative change within 1/3x..3x of the level at asOf',
  };
}

/**
 * The damped forecast of a fitted model: volume (the model's unit per day) on
 * day index t > lastIdx = trend level on lastIdx x damped growth x weekday factor.
 */
export function dampedForecaster(model: Model, lastIdx: number): (t: number) => number {
  const level = model.logTrendAt(lastIdx);
  const slope = capSlope(model.logSlopePerDay);
  return (t) => {
    if (level === -Infinity) return 0;
    const y = Math.exp(level + dampedLogGrowth(slope, t - lastIdx)) * model.weekdayFactor(t);
    return Number.isFinite(y) ? y : 0;
  };
}

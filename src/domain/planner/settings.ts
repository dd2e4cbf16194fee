import { Money } from '../money.js';
import type { PlannerSettings, PlannerSettingsInput, TeamMaturity } from './types.js';
import { toMoney, toNumber } from './values.js';

/**
 * Defaults where the organisation has not said otherwise.
 * - teamMaturity 'none': the safe assumption until someone declares a team that can run GPUs.
 * - selfHostSavingsFloorUsd $1000/month (brief).
 * - managedSavingsFloorUsd $250/month: one-off migration work is judged separately by the
 *   break-even check, so this floor only has to cover the recurring cost of one more model/vendor
 *   to monitor and re-evaluate (≈2–3 engineer-hours/month). Below it a switch is noise.
 * - maxBreakEvenMonths 12: a migration whose one-off cost takes over a year to repay is not worth it.
 * - requiredMetrics ['accuracy'], evaluationTolerance 0.02, minEvaluationSampleSize 200, stabilityMaxCv 0.5 (brief).
 */
export const DEFAULT_PLANNER_SETTINGS: Readonly<PlannerSettings> = Object.freeze({
  teamMaturity: 'none',
  selfHostSavingsFloorUsd: new Money(1000),
  managedSavingsFloorUsd: new Money(250),
  maxBreakEvenMonths: 12,
  requiredMetrics: ['accuracy'],
  evaluationTolerance: 0.02,
  minEvaluationSampleSize: 200,
  stabilityMaxCv: 0.5,
});

const MATURITIES: readonly TeamMaturity[] = ['none', 'some', 'strong'];

/** Partial/untrusted settings → complete settings; each invalid field (negative, NaN, unknown enum) falls back to its default. */
export function resolvePlannerSettings(input?: PlannerSettingsInput | null): PlannerSettings {
  const s = (input ?? {}) as PlannerSettingsInput;
  const d = DEFAULT_PLANNER_SETTINGS;
  const nonNegMoney = (v: unknown, fallback: Money) => {
    const m = toMoney(v, fallback);
    return m.isNegative() ? new Money(fallback) : m;
  };
  const nonNeg = (v: unknown, fallback: number) => {
    const n = toNumber(v, fallback);
    return n < 0 ? fallback : n;
  };
  const metrics = Array.isArray(s.requiredMetrics)
    ? [...new Set(s.requiredMetrics.filter((m): m is string => typeof m === 'string' && m.trim() !== '').map((m) => m.trim()))]
    : [...d.requiredMetrics];
  return {
    teamMaturity: MATURITIES.includes(s.teamMaturity as TeamMaturity) ? (s.teamMaturity as TeamMaturity) : d.teamMaturity,
    selfHostSavingsFloorUsd: nonNegMoney(s.selfHostSavingsFloorUsd, d.selfHostSavingsFloorUsd),
    managedSavingsFloorUsd: nonNegMoney(s.managedSavingsFloorUsd, d.managedSavingsFloorUsd),
    maxBreakEvenMonths: nonNeg(s.maxBreakEvenMonths, d.maxBreakEvenMonths),
    requiredMetrics: metrics.length > 0 ? metrics : [...d.requiredMetrics],
    evaluationTolerance: nonNeg(s.evaluationTolerance, d.evaluationTolerance),
    minEvaluationSampleSize: Math.ceil(nonNeg(s.minEvaluationSampleSize, d.minEvaluationSampleSize)),
    stabilityMaxCv: nonNeg(s.stabilityMaxCv, d.stabilityMaxCv),
  };
}

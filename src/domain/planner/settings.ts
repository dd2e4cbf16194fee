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
 * - approvedProcessors []: no third party is approved for regulated data until the org says so (its DPA register).
 * - evaluationPassProbability 0.5: no information either way (an even prior); an org with its own evaluation
 *   history should set its pass rate. Only the roadmap's expected savings use it.
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
  approvedProcessors: [],
  evaluationPassProbability: 0.5,
});

/** Provider names longer than this, or lists longer than MAX_APPROVED_PROCESSORS, are rejected by the API. */
export const MAX_PROCESSOR_NAME = 100;
export const MAX_APPROVED_PROCESSORS = 50;

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
    approvedProcessors: Array.isArray(s.approvedProcessors)
      ? [...new Set(s.approvedProcessors.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim()))]
      : [...d.approvedProcessors],
    evaluationPassProbability: probability(s.evaluationPassProbability, d.evaluationPassProbability),
  };
}

function probability(v: unknown, fallback: number): number {
  const n = toNumber(v, NaN);
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : fallback;
}

const NUMBER_KEYS = ['maxBreakEvenMonths', 'evaluationTolerance', 'minEvaluationSampleSize', 'stabilityMaxCv'] as const;
const MONEY_KEYS = ['selfHostSavingsFloorUsd', 'managedSavingsFloorUsd'] as const;
const KNOWN_KEYS = new Set<string>(['requiredMetrics', 'approvedProcessors', 'evaluationPassProbability', ...NUMBER_KEYS, ...MONEY_KEYS]);

/**
 * Validates planner settings a client sends (the API's 400 names every bad field); resolvePlannerSettings stays
 * lenient for what is already stored. Returns one { field, message } per problem; empty when valid.
 */
export function plannerSettingsIssues(input: unknown): { field: string; message: string }[] {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return [{ field: 'body', message: 'must be an object of planner settings' }];
  const s = input as Record<string, unknown>;
  const bad: { field: string; message: string }[] = [];
  for (const k of Object.keys(s)) {
    if (k === 'teamMaturity') bad.push({ field: k, message: 'team maturity is an economics assumption: set it with PATCH /v1/settings/assumptions' });
    else if (!KNOWN_KEYS.has(k)) bad.push({ field: k, message: 'unknown planner setting' });
  }
  for (const k of NUMBER_KEYS) {
    if (s[k] !== undefined && !(typeof s[k] === 'number' && Number.isFinite(s[k]) && (s[k] as number) >= 0)) bad.push({ field: k, message: 'must be a number ≥ 0' });
  }
  for (const k of MONEY_KEYS) {
    const v = s[k];
    if (v === undefined) continue;
    const m = typeof v === 'number' || typeof v === 'string' ? toMoney(v, NaN) : null;
    if (m === null || !m.isFinite() || m.isNegative()) bad.push({ field: k, message: 'must be a USD amount ≥ 0 (number or decimal string)' });
  }
  if (s.evaluationPassProbability !== undefined) {
    const p = s.evaluationPassProbability;
    if (!(typeof p === 'number' && p >= 0 && p <= 1)) bad.push({ field: 'evaluationPassProbability', message: 'must be a number from 0 to 1' });
  }
  for (const k of ['requiredMetrics', 'approvedProcessors'] as const) {
    const v = s[k];
    if (v === undefined) continue;
    const max = k === 'approvedProcessors' ? MAX_APPROVED_PROCESSORS : 20;
    if (!Array.isArray(v) || v.length > max || v.some((x) => typeof x !== 'string' || x.trim() === '' || x.length > MAX_PROCESSOR_NAME)) {
      bad.push({ field: k, message: `must be a list of at most ${max} non-empty names (≤ ${MAX_PROCESSOR_NAME} characters)` });
    }
  }
  return bad;
}

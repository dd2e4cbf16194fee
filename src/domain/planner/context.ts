import { Money } from '../money.js';
import { eligibleTierBand, isTaskCategory, tierRank, type TierBand } from './tiers.js';
import type {
  DataSensitivity,
  PlannerSettings,
  QualityRequirement,
  TaskCategory,
  WorkloadEvaluation,
  WorkloadProfile,
} from './types.js';
import { toMoney, toNonNegative, toNumber } from './values.js';

/** Everything the gates need to know about a workload, with bad input already replaced by safe values. */
export interface WorkloadContext {
  slug: string;
  ownerTeam: string | null;
  currentMonthlyCostUsd: Money;
  monthlyTokens: number;
  monthlyGrowth: number;
  /** Coefficient of variation of daily volume; null when unknown (treated as unstable). */
  volumeCv: number | null;
  stable: boolean;
  band: TierBand;
  categoryAnnotated: boolean;
  /** The eligible band starts at large or frontier: no pilot without evidence. */
  highStakes: boolean;
  sensitivity: DataSensitivity | null;
  /** Region codes the data must be processed in (any one of them); empty = no constraint. */
  residency: string[];
  needsCustomisation: boolean;
  latencyTargetP95Ms: number | null;
  currentP95Ms: number | null;
  currentModelIds: string[];
  currentProviders: string[];
  /** The current model carrying most spend, used as the evaluation baseline in next steps. */
  baselineModel: string;
  evaluations: WorkloadEvaluation[];
}

const SENSITIVITIES: readonly DataSensitivity[] = ['public', 'internal', 'confidential', 'regulated'];

/** Case-insensitive equality of two trimmed strings; false when either is not a string. */
export function sameText(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** A finite number > 0 (e.g. milliseconds), else null. */
export function positiveOrNull(v: unknown): number | null {
  const n = toNumber(v, NaN);
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** Untrusted WorkloadProfile → WorkloadContext (never throws; missing fields get neutral defaults). */
export function workloadContext(raw: WorkloadProfile | null | undefined, settings: PlannerSettings): WorkloadContext {
  const w = (raw && typeof raw === 'object' ? raw : {}) as Partial<WorkloadProfile>;
  const a = (w.annotations && typeof w.annotations === 'object' ? w.annotations : {}) as WorkloadProfile['annotations'];
  const models = (Array.isArray(w.currentModels) ? w.currentModels : []).filter(
    (m) => !!m && typeof m === 'object' && typeof m.modelId === 'string',
  );
  const band = eligibleTierBand(a.taskCategory as TaskCategory | undefined, a.qualityRequirement as QualityRequirement | undefined);
  const cvRaw = toNumber(w.volumeStability, NaN);
  const volumeCv = Number.isFinite(cvRaw) && cvRaw >= 0 ? cvRaw : null;
  const current = toMoney(w.monthlySpendUsd);
  const baseline = [...models].sort((x, y) => toNumber(y.shareOfSpend) - toNumber(x.shareOfSpend))[0];
  return {
    slug: typeof w.slug === 'string' && w.slug !== '' ? w.slug : 'unnamed-workload',
    ownerTeam: typeof a.ownerTeam === 'string' && a.ownerTeam !== '' ? a.ownerTeam : null,
    currentMonthlyCostUsd: current.isNegative() ? new Money(0) : current,
    monthlyTokens: toNonNegative(w.monthlyInputTokens) + toNonNegative(w.monthlyOutputTokens),
    monthlyGrowth: toNumber(w.monthlyGrowth, 0),
    volumeCv,
    stable: volumeCv !== null && volumeCv <= settings.stabilityMaxCv,
    band,
    categoryAnnotated: isTaskCategory(a.taskCategory),
    highStakes: tierRank(band.min) >= tierRank('large'),
    sensitivity: SENSITIVITIES.includes(a.dataSensitivity as DataSensitivity) ? (a.dataSensitivity as DataSensitivity) : null,
    residency: residencyOf(a),
    needsCustomisation: a.needsCustomisation === true,
    latencyTargetP95Ms: positiveOrNull(a.latencyTargetP95Ms),
    currentP95Ms: positiveOrNull(w.p95LatencyMs),
    currentModelIds: models.map((m) => m.modelId),
    currentProviders: models.map((m) => m.provider).filter((p): p is string => typeof p === 'string'),
    baselineModel: baseline?.modelId ?? 'the current model',
    evaluations: Array.isArray(w.evaluations) ? w.evaluations : [],
  };
}

/**
 * Residency from the annotations: `dataResidency` ('eu', 'us', 'eu-west', 'any') wins; saved annotations that only have
 * the older `residency` array keep working. 'any' (or nothing) = no constraint. Codes are lower-cased.
 */
export function residencyOf(a: { dataResidency?: unknown; residency?: unknown }): string[] {
  const clean = (xs: unknown[]) =>
    [...new Set(xs.filter((r): r is string => typeof r === 'string').map((r) => r.trim().toLowerCase()).filter((r) => r !== ''))];
  if (typeof a.dataResidency === 'string' && a.dataResidency.trim() !== '') {
    const codes = clean(a.dataResidency.split(','));
    return codes.includes('any') ? [] : codes;
  }
  if (Array.isArray(a.dataResidency)) {
    const codes = clean(a.dataResidency);
    return codes.includes('any') ? [] : codes;
  }
  const codes = clean(Array.isArray(a.residency) ? a.residency : []);
  return codes.includes('any') ? [] : codes;
}

/** The residency regions joined for explanations ("eu/us"), or "in-region" when none is annotated. */
export function regionText(ctx: WorkloadContext): string {
  return ctx.residency.length > 0 ? ctx.residency.join('/') : 'in-region';
}

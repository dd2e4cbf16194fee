import { Money } from '../money.js';
import type { EvidenceVerdict, MetricCheck, PlannerSettings, QualityScore, WorkloadEvaluation } from './types.js';
import { num, toNonNegative } from './values.js';

function sameModel(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();
}

function timeOf(createdAt: unknown): number {
  const t = createdAt instanceof Date ? createdAt.getTime() : typeof createdAt === 'string' ? Date.parse(createdAt) : NaN;
  return Number.isFinite(t) ? t : Number.NEGATIVE_INFINITY;
}

function dateLabel(createdAt: unknown): string {
  const t = timeOf(createdAt);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : 'undated';
}

function metricValue(record: unknown, key: string): number | null {
  if (!record || typeof record !== 'object' || !Object.hasOwn(record, key)) return null;
  const v = (record as Record<string, unknown>)[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Checks one required metric (0..1 scale): passes when both values exist and candidate ≥ baseline − tolerance
 * (compared in Decimal so 0.91 vs 0.93 − 0.02 is exactly at the threshold and passes).
 */
export function checkMetric(
  metric: string,
  candidate: number | null,
  baseline: number | null,
  tolerance: number,
): MetricCheck {
  const threshold = baseline === null ? null : new Money(baseline).minus(tolerance);
  const delta = candidate === null || baseline === null ? null : new Money(candidate).minus(baseline).toNumber();
  const pass = candidate !== null && threshold !== null && new Money(candidate).gte(threshold);
  return { metric, candidate, baseline, delta, threshold: threshold === null ? null : threshold.toNumber(), pass };
}

/** Picks the evaluation of `modelId` that counts: baselines the workload runs today first, then the most recent (createdAt). */
export function pickEvaluation(
  evaluations: readonly WorkloadEvaluation[] | undefined,
  modelId: string,
  currentModelIds: readonly string[],
): WorkloadEvaluation | null {
  const list = Array.isArray(evaluations) ? evaluations : [];
  const matching = list.filter((e) => !!e && typeof e === 'object' && sameModel(e.candidateModel, modelId));
  if (matching.length === 0) return null;
  const onCurrent = (e: WorkloadEvaluation) => (currentModelIds.some((id) => sameModel(id, e.baselineModel)) ? 1 : 0);
  return [...matching].sort((a, b) => onCurrent(b) - onCurrent(a) || timeOf(b.createdAt) - timeOf(a.createdAt))[0];
}

function catalogNote(scores: readonly QualityScore[] | undefined): string {
  const valid = (Array.isArray(scores) ? scores : []).filter(
    (s) => !!s && typeof s.key === 'string' && typeof s.value === 'number' && Number.isFinite(s.value),
  );
  if (valid.length === 0) return '';
  return `catalog scores ${valid.map((s) => `${s.key} ${num(s.value, 3)} (${s.source})`).join(', ')}`;
}

/**
 * Quality evidence for `modelId` on this workload (metrics on a 0..1 scale, tolerance in absolute points). The org's evaluation takes precedence over catalog scores,
 * which are only ever reported as indicative. Status:
 * 'passed' — every required metric present for both and within tolerance, sampleSize ≥ minimum;
 * 'failed' — some required metric present for both and below baseline − tolerance (excludes the candidate);
 * 'inconclusive' — no metric failed but a metric is missing or the sample is too small (treated like no evidence);
 * 'none' — no evaluation of this model.
 */
export function assessEvidence(
  evaluations: readonly WorkloadEvaluation[] | undefined,
  modelId: string,
  currentModelIds: readonly string[],
  settings: PlannerSettings,
  catalogScores?: readonly QualityScore[],
): EvidenceVerdict {
  const evaluation = pickEvaluation(evaluations, modelId, currentModelIds);
  const catalog = catalogNote(catalogScores);
  if (!evaluation) {
    return {
      status: 'none',
      evaluation: null,
      metrics: [],
      sampleSize: null,
      missing: ['evaluation'],
      detail:
        `no evaluation of ${modelId} on this workload` +
        (catalog ? `; ${catalog} are indicative only (not measured against your baseline)` : ''),
    };
  }
  const tolerance = settings.evaluationTolerance;
  const metrics = settings.requiredMetrics.map((m) =>
    checkMetric(m, metricValue(evaluation.metrics?.candidate, m), metricValue(evaluation.metrics?.baseline, m), tolerance),
  );
  const sampleSize = toNonNegative(evaluation.sampleSize, 0);
  const failed = metrics.filter((m) => m.candidate !== null && m.baseline !== null && !m.pass);
  const missing = [
    ...metrics.filter((m) => m.candidate === null || m.baseline === null).map((m) => `metric '${m.metric}'`),
    ...(sampleSize < settings.minEvaluationSampleSize
      ? [`sample size ${num(sampleSize, 0)} < ${settings.minEvaluationSampleSize}`]
      : []),
  ];
  const status = failed.length > 0 ? 'failed' : missing.length > 0 ? 'inconclusive' : 'passed';
  const metricText = metrics
    .map((m) =>
      m.candidate === null || m.baseline === null
        ? `${m.metric} missing (candidate ${m.candidate ?? '—'}, baseline ${m.baseline ?? '—'})`
        : `${m.metric} ${num(m.candidate, 3)} vs ${num(m.baseline, 3)} (${m.delta! >= 0 ? '+' : ''}${num(m.delta!, 3)}, ` +
          `threshold ${num(m.threshold!, 3)}) ${m.pass ? 'pass' : 'FAIL'}`,
    )
    .join('; ');
  const detail =
    `evaluation ${dateLabel(evaluation.createdAt)} of ${evaluation.candidateModel} vs ${evaluation.baselineModel} ` +
    `on ${num(sampleSize, 0)} samples (min ${settings.minEvaluationSampleSize}, tolerance ${num(tolerance, 4)}): ${metricText}` +
    ` → ${status}` +
    (catalog ? `; org evaluation takes precedence over ${catalog}` : '');
  return { status, evaluation, metrics, sampleSize, missing, detail };
}

import { Money } from '../../src/domain/money.js';
import type { CandidateOption, WorkloadAnnotations, WorkloadEvaluation, WorkloadProfile } from '../../src/domain/planner/types.js';

/** Builders for planner specs. Pure; defaults describe a $12,000/month frontier-API classification workload. */

export type WorkloadOverrides = Omit<Partial<WorkloadProfile>, 'annotations'> & { annotations?: Partial<WorkloadAnnotations> };

/** A WorkloadProfile: $12,000/month, 2.1B tokens/month, cv 0.2, gpt-4o, classification/high; override anything. */
export function buildWorkload(over: WorkloadOverrides = {}): WorkloadProfile {
  const { annotations, ...rest } = over;
  return {
    slug: 'support-triage',
    monthlySpendUsd: new Money(12000),
    monthlyInputTokens: 2_000_000_000,
    monthlyOutputTokens: 100_000_000,
    monthlyGrowth: 0,
    volumeStability: 0.2,
    currentModels: [{ modelId: 'gpt-4o', provider: 'openai', tier: 'frontier', shareOfSpend: 1 }],
    p95LatencyMs: 900,
    errorRate: 0.01,
    shareOfOrgSpend: 0.5,
    evaluations: [],
    ...rest,
    annotations: { taskCategory: 'classification', qualityRequirement: 'high', ...annotations },
  };
}

/** A self-hosted small model at $3,000/month (people included), $6,000 one-off, 2 replicas × 1× L4 (2 GPUs), crossover 500M tokens/month, p95 300ms. */
export function buildOption(over: Partial<CandidateOption> = {}): CandidateOption {
  return {
    kind: 'self_host',
    modelId: 'llama-3.1-8b',
    qualityTier: 'small',
    monthlyCostUsd: new Money(3000),
    oneOffMigrationCostUsd: new Money(6000),
    deployment: { gpu: 'L4', gpuCount: 2, gpusPerReplica: 1, precision: 'fp8', replicas: 2 },
    expectedP95LatencyMs: 300,
    crossoverMonthlyTokens: 500_000_000,
    ...over,
  };
}

/** An evaluation of `candidateModel` vs gpt-4o on 500 samples: accuracy 0.93 vs 0.94 (passes at tolerance 0.02). */
export function buildEvaluation(candidateModel: string, over: Partial<WorkloadEvaluation> = {}): WorkloadEvaluation {
  return {
    candidateModel,
    baselineModel: 'gpt-4o',
    sampleSize: 500,
    metrics: { candidate: { accuracy: 0.93 }, baseline: { accuracy: 0.94 } },
    createdAt: '2026-01-10T00:00:00Z',
    ...over,
  };
}

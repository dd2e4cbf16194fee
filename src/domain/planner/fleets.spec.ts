import { Money } from '../money.js';
import { fleetCostsByWorkload, fleetSummary, planFleets, withFleetCost, type SelfHostMove } from './fleets.js';
import type { CandidateOption } from './types.js';

// Figures: Llama-3.1-8B-Instruct on one L4-24GB serves 513.2 output tokens/s (source arc53_compass, vLLM, ShareGPT
// prompts, 2024-08), used here as the replica's capacity in output-equivalent tokens/s. L4 on-demand $0.8048/GPU-hour
// (AWS g6.xlarge, source skypilot_aws). People: 'some' team 0.5 FTE x $15,000/month = $7,500.
// 730 h x 3,600 s = 2,628,000 s/month, so 262,800,000 tokens/month = 100 tokens/s on average.
const L4 = { gpuId: 'L4-24GB', precision: 'bf16', tensorParallel: 1 };
const PER_SEC_100 = 262_800_000;

function move(workload: string, monthly: number, over: Partial<SelfHostMove> = {}): SelfHostMove {
  return {
    workload,
    modelId: 'llama-3.1-8b',
    deployment: L4,
    usdPerGpuHour: '0.8048',
    capacityPerSecPerReplica: 513.2,
    load: { monthly, peakToAverage: 2 },
    // Stand-alone: peak ≤ 0.39 replicas → 1 + 1 spare = 2 L4: 1,175.008 + 117.5008 overhead + 7,500 people.
    standaloneMonthlyCostUsd: '8792.5088',
    ...over,
  };
}

const usd = (d: Money | null | undefined, dp = 4) => (d ? d.toDecimalPlaces(dp).toFixed() : null);

describe('planFleets (roadmap fleets from the self-host moves)', () => {
  // support: 100 tok/s average, 200 at peak = 0.3897 replicas; triage 50 / 100 = 0.1949. Together 0.5846 replicas at peak:
  // ceil(0.5846 / 0.6) = 1 serving + 1 spare = 2 L4 → 1,175.008 GPU + 117.5008 overhead + 7,500 people = 8,792.5088.
  const fleets = planFleets([move('support', PER_SEC_100), move('triage', PER_SEC_100 / 2)], { teamMaturity: 'some' });

  it('puts both Llama-3.1-8B workloads on one fleet of 2 L4 (1 serving + 1 spare) costing $8,792.5088/month', () => {
    expect(fleets.fleets).toHaveLength(1);
    const f = fleets.fleets[0]!;
    expect([f.servingReplicas, f.spareReplicas, f.replicas, f.gpuCount]).toEqual([1, 1, 2, 2]);
    expect(usd(f.totalUsd)).toBe('8792.5088');
    expect(fleets.gpuCount).toBe(2);
    expect(fleets.engineers).toBe(0.5);
    expect(usd(fleets.orgPeopleUsd)).toBe('7500');
  });

  it('reports utilisation: 150 / 513.2 = 0.2923 replicas average over 2 = 14.6%; peak 0.5846 / 2 = 29.2%', () => {
    const f = fleets.fleets[0]!;
    expect(f.utilisationPct).toBe(14.6);
    expect(f.peakUtilisationPct).toBe(29.2);
  });

  it('charges 2:1 by load: support $5,861.6725, triage $2,930.8363; the org saves $17,585.0176 − $8,792.5088 = $8,792.5088', () => {
    const shares = fleetCostsByWorkload(fleets);
    expect(usd(shares.get('support')!.monthlyCostUsd)).toBe('5861.6725');
    expect(usd(shares.get('triage')!.monthlyCostUsd)).toBe('2930.8363');
    expect(shares.get('support')!.loadShare).toBe(0.6667);
    expect(usd(shares.get('triage')!.savingsUsd)).toBe('5861.6725');
    expect(usd(fleets.standaloneTotalUsd)).toBe('17585.0176');
    expect(usd(fleets.savingsUsd)).toBe('8792.5088');
    // The fleet as a Deployment: 2 replicas × 1 L4 = 2 GPUs in all (gpuCount was the per-replica count before, which made
    // deploymentText read "2 replicas × 0.5× L4").
    expect(shares.get('support')!.deployment).toEqual({ gpu: 'L4-24GB', gpuCount: 2, precision: 'bf16', replicas: 2, gpusPerReplica: 1, tensorParallel: 1 });
  });

  it('withFleetCost re-prices only the matching self_host option at its fleet share, before the value gate', () => {
    const options: CandidateOption[] = [
      { kind: 'self_host', modelId: 'llama-3.1-8b', qualityTier: 'small', monthlyCostUsd: new Money('8792.5088'), oneOffMigrationCostUsd: new Money(0), deployment: { gpu: 'L4-24GB', gpuCount: 1, precision: 'bf16', replicas: 2 } },
      { kind: 'managed_open', modelId: 'llama-3.1-8b', provider: 'deepinfra', qualityTier: 'small', monthlyCostUsd: new Money(40), oneOffMigrationCostUsd: new Money(0) },
    ];
    const out = withFleetCost(options, fleetCostsByWorkload(fleets).get('triage'));
    expect(usd(out[0]!.monthlyCostUsd)).toBe('2930.8363');
    expect(out[1]).toBe(options[1]);
    expect(withFleetCost(options, undefined)).toEqual(options);
  });

  it('summarises a fleet in one line', () => {
    expect(fleetSummary(fleets.fleets[0]!)).toBe('llama-3.1-8b on 2× L4-24GB (1 serving + 1 spare), 14.6% utilised, $8792.51/month for 2 workloads');
  });

  it('an adapter (claims LoRA on Llama-3.1-8B) and a second model (Qwen on H100 at $12.29/GPU-hour, skypilot_aws) → 2 fleets, one $7,500 team', () => {
    const plan = planFleets([
      move('support', PER_SEC_100),
      move('claims', PER_SEC_100 / 2, { modelId: 'llama-3.1-8b-claims', baseModelId: 'llama-3.1-8b' }),
      move('coding', PER_SEC_100, { modelId: 'qwen2.5-32b', deployment: { gpuId: 'H100-80GB-SXM', precision: 'fp8', tensorParallel: 1 }, usdPerGpuHour: '12.29', capacityPerSecPerReplica: 1000 }),
    ]);
    expect(plan.fleets.map((f) => [f.baseModelId, f.modelIds.length, f.replicas])).toEqual([
      ['llama-3.1-8b', 2, 2],
      ['qwen2.5-32b', 1, 2],
    ]);
    expect(usd(plan.orgPeopleUsd)).toBe('7500');
    // People by replica-demand: Llama 150 / 513.2 = 0.29228, Qwen 100 / 1000 = 0.1 → 7,500 x 0.29228 / 0.39228 = 5,588.12.
    expect(usd(plan.fleets[0]!.peopleUsd, 2)).toBe('5588.12');
    expect(usd(plan.fleets[0]!.peopleUsd!.plus(plan.fleets[1]!.peopleUsd), 10)).toBe('7500');
  });

  it('takes average and peak per second as the engine reports them: 100 and 200 tok/s = the same fleet as 262.8M tokens/month x2', () => {
    const plan = planFleets([move('support', 0, { load: { averagePerSec: 100, peakPerSec: 200 } }), move('triage', PER_SEC_100 / 2)]);
    expect(plan.fleets[0]!.replicas).toBe(2);
    expect(plan.fleets[0]!.utilisationPct).toBe(14.6);
    expect(fleetCostsByWorkload(plan).get('support')!.loadShare).toBe(0.6667);
  });

  it('takes an hourly series per second and lists unusable moves in skipped instead of throwing', () => {
    const plan = planFleets([
      move('night', 0, { load: { hourlyPerSec: Array.from({ length: 24 }, (_, h) => (h < 6 ? 300 : 0)) } }),
      move('bad', PER_SEC_100, { capacityPerSecPerReplica: Number.NaN }),
      { workload: 7 } as unknown as SelfHostMove,
    ]);
    // 300 / 513.2 = 0.5846 replicas for 6 h of 24: p95 of the week = 0.5846 → 1 + 1 = 2; average 0.5846 x 6/24 = 0.1461 → 7.3%.
    expect(plan.fleets[0]!.replicas).toBe(2);
    expect(plan.fleets[0]!.utilisationPct).toBe(7.3);
    expect(plan.skipped.map((s) => s.workload)).toEqual(['bad', '?']);
  });
});

import { Money } from '../money.js';
import { buildEvaluation, buildOption, buildWorkload } from '../../../test/builders/planner.js';
import type { SelfHostMove } from './fleets.js';
import { planOrganisationWithFleets } from './organisation-fleets.js';
import type { WorkloadWithOptions } from './types.js';

/*
 * Figures: Llama-3.1-8B-Instruct on one L4-24GB serves 513.2 output tokens/s (source arc53_compass, vLLM, 2024-08);
 * L4 on demand $0.8048/GPU-hour (AWS g6.xlarge, source skypilot_aws). Team 'strong': 0.25 FTE × $15,000 = $3,750/month.
 * Each workload: 50 output tokens/s on average, peak 100 → demand 50/513.2 = 0.0974 replicas, peak 0.1949.
 *
 * Stand-alone (one workload): ceil(0.1949 / 0.6) = 1 serving + 1 spare = 2 L4:
 *   GPU 2 × 730 h × $0.8048 = $1,175.008; overhead 10 % = $117.5008; people $3,750 → $5,042.5088/month.
 * Shared (two workloads): peak 0.3897 → still 1 serving + 1 spare = 2 L4, the same $5,042.5088, split 50/50 →
 *   $2,521.2544 each, people $1,875 each: the $3,750 team is paid once.
 */
const L4 = { gpuId: 'L4-24GB', precision: 'bf16', tensorParallel: 1 };
const STANDALONE = new Money('5042.5088');

function move(workload: string, over: Partial<SelfHostMove> = {}): SelfHostMove {
  return {
    workload,
    modelId: 'llama-3.1-8b',
    deployment: L4,
    usdPerGpuHour: '0.8048',
    capacityPerSecPerReplica: 513.2,
    load: { averagePerSec: 50, peakPerSec: 100 },
    standaloneMonthlyCostUsd: STANDALONE,
    ...over,
  };
}

/** A $4,000/month gpt-4o classification workload with a passing llama-3.1-8b evaluation and one self-host option at its stand-alone TCO. */
function item(slug: string, spend: number, over: Partial<ReturnType<typeof buildWorkload>> = {}, optionOver = {}): WorkloadWithOptions {
  return {
    workload: buildWorkload({ slug, monthlySpendUsd: new Money(spend), evaluations: [buildEvaluation('llama-3.1-8b')], ...over }),
    options: [buildOption({ monthlyCostUsd: STANDALONE, deployment: { gpu: 'L4-24GB', gpuCount: 2, gpusPerReplica: 1, precision: 'bf16', replicas: 2 }, ...optionOver })],
  };
}

const fleetSettings = { teamMaturity: 'strong' as const, engineerMonthlyCostUsd: '15000' };
const settings = { teamMaturity: 'strong' as const };

describe('planOrganisationWithFleets', () => {
  it('two $4,000/month workloads on llama-3.1-8b: alone each loses $1,042.51 (4,000 − 5,042.51) and stays closed; together each pays $2,521.25 and saves $1,478.75 ≥ the $1,000 floor', () => {
    const inputs = [item('alpha', 4000), item('beta', 4000)];
    const plan = planOrganisationWithFleets(inputs, settings, { monthlyGrowth: 0 }, { moves: [move('alpha'), move('beta')], settings: fleetSettings });

    // Without fleets (no moves): the value gate fails for both.
    const alone = planOrganisationWithFleets(inputs, settings, { monthlyGrowth: 0 });
    expect(alone.workloads.map((w) => w.recommendation)).toEqual(['stay_closed', 'stay_closed']);
    expect(alone.fleets).toBeNull();
    expect(alone.fleetRounds.rounds).toBe(0);

    expect(plan.workloads.map((w) => w.recommendation)).toEqual(['self_host', 'self_host']);
    const a = plan.workloads[0]!;
    expect(a.projectedMonthlyCostUsd.toFixed(4)).toBe('2521.2544');
    expect(a.monthlySavingsUsd.toFixed(4)).toBe('1478.7456');
    // One-off $6,000 / $1,478.7456 = 4.06 months.
    expect(a.breakEvenMonths).toBe(4.06);
    expect(a.fleet).toMatchObject({ loadShare: 0.5, text: expect.stringContaining('(2 replicas × 1× L4-24GB, 2 workloads)') });
    expect(a.fleet!.monthlyCostUsd.toFixed(4)).toBe('2521.2544');
    expect(a.nextSteps[0]).toMatch(/^Provision 2 replicas × 1× L4-24GB \(bf16\) for llama-3\.1-8b; .+; this workload shares fleet llama-3\.1-8b\|L4-24GB\|bf16\|tp1 \(2 replicas × 1× L4-24GB, 2 workloads\), 50% of its load$/);
    // People once per org: $3,750 in all, $1,875 per member; total = one stand-alone deployment, $5,042.5088.
    expect(plan.fleets!.orgPeopleUsd.toFixed(2)).toBe('3750.00');
    expect(plan.fleets!.fleets[0]!.members.map((m) => m.peopleUsd.toFixed(2))).toEqual(['1875.00', '1875.00']);
    expect(plan.fleets!.totalUsd.toFixed(4)).toBe('5042.5088');
    expect(plan.fleetRounds).toMatchObject({ rounds: 1, stable: true, declined: [] });
    // Phase 1 saves 2 × $1,478.7456 = $2,957.4912/month.
    expect(plan.phases[0]!.monthlySavingsUsd.toFixed(4)).toBe('2957.4912');
  });

  it('one $4,000 workload alone has no fleet to join: it stays closed and no fleet is planned', () => {
    const plan = planOrganisationWithFleets([item('alpha', 4000)], settings, { monthlyGrowth: 0 }, { moves: [move('alpha')], settings: fleetSettings });
    expect(plan.workloads[0]!.recommendation).toBe('stay_closed');
    expect(plan.fleets).toBeNull();
    expect(plan.fleetRounds.rounds).toBe(0);
  });

  it('a $20,000 workload self-hosts alone and a $4,000 one joins its fleet: $20,000 − $2,521.25 and $4,000 − $2,521.25 saved', () => {
    const plan = planOrganisationWithFleets([item('big', 20000), item('small', 4000)], settings, { monthlyGrowth: 0 }, { moves: [move('big'), move('small')], settings: fleetSettings });
    expect(plan.workloads.map((w) => [w.workload, w.recommendation])).toEqual([['big', 'self_host'], ['small', 'self_host']]);
    expect(plan.workloads.map((w) => w.monthlySavingsUsd.toFixed(4))).toEqual(['17478.7456', '1478.7456']);
    expect(plan.fleets!.fleets).toHaveLength(1);
  });

  it('a candidate that still fails another gate (latency target 200 ms < 300 ms expected) is declined; round 2 sizes the fleet without it and the big one pays the whole $5,042.51', () => {
    const plan = planOrganisationWithFleets(
      [item('big', 20000), item('fast', 4000, { annotations: { taskCategory: 'classification', qualityRequirement: 'high', latencyTargetP95Ms: 200 } })],
      settings,
      { monthlyGrowth: 0 },
      { moves: [move('big'), move('fast')], settings: fleetSettings },
    );
    expect(plan.workloads.map((w) => w.recommendation)).toEqual(['self_host', 'stay_closed']);
    expect(plan.fleetRounds).toMatchObject({ rounds: 2, stable: true, declined: ['fast'] });
    expect(plan.workloads[0]!.projectedMonthlyCostUsd.toFixed(4)).toBe('5042.5088');
    expect(plan.workloads[1]!.fleet).toBeNull();
    expect(plan.fleets!.fleets[0]!.members.map((m) => m.workload)).toEqual(['big']);
  });
});

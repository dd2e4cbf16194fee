import { Money } from '../money.js';
import { hourOfWeekProfile, planSharedFleets, type FleetMemberInput } from './fleet.js';

// Figures used below.
// L4-24GB on-demand $0.8048/GPU-hour: AWS g6.xlarge, source skypilot_aws (src/reference/economics.json, crawl date unknown).
// H100-80GB-SXM on-demand $12.29/GPU-hour: AWS p5.48xlarge per GPU, source skypilot_aws (pre-June-2025 list price).
// People: maturity 'some' = 0.5 FTE x $15,000/engineer-month (DEFAULT_ASSUMPTIONS) = $7,500/month.
// One L4 replica for a month: 730 h x $0.8048 = $587.504; two replicas $1,175.008; overhead 10% = $117.5008.
const L4 = { gpuId: 'L4-24GB', precision: 'bf16', tensorParallel: 1 };
const H100 = { gpuId: 'H100-80GB-SXM', precision: 'fp8', tensorParallel: 1 };
const L4_USD = '0.8048';
const H100_USD = '12.29';

function member(workload: string, avgRps: number, over: Partial<FleetMemberInput> = {}): FleetMemberInput {
  return {
    workload,
    modelId: 'llama-3.1-8b',
    deployment: L4,
    usdPerGpuHour: L4_USD,
    requestsPerSecPerReplica: 10,
    load: { kind: 'average', averageRequestsPerSec: avgRps, peakToAverage: 2 },
    ...over,
  };
}

const usd = (d: Money, dp = 4) => d.toDecimalPlaces(dp).toFixed();

describe('planSharedFleets: one fleet per base model', () => {
  it('two Llama-3.1-8B workloads of 0.3 replicas peak each share 1 serving + 1 spare = 2 replicas, not 2 x (1 + 1) = 4', () => {
    // Each: 1.5 req/s x 2 peak-to-average / 10 req/s per replica = 0.3 replicas at peak.
    // Together 0.6 → ceil(0.6 / 0.6 target) = 1 serving + 1 spare = 2 replicas.
    const plan = planSharedFleets([member('support', 1.5), member('triage', 1.5)]);
    expect(plan.fleets).toHaveLength(1);
    const f = plan.fleets[0]!;
    expect(f.id).toBe('llama-3.1-8b|L4-24GB|bf16|tp1');
    expect(f.peakDemandReplicas).toBeCloseTo(0.6, 12);
    expect([f.servingReplicas, f.spareReplicas, f.replicas, f.gpuCount]).toEqual([1, 1, 2, 2]);
    // GPU 2 x 730 x 0.8048 = 1175.008; overhead 117.5008; people 7500 → 8792.5088.
    expect(usd(f.gpuCostUsd)).toBe('1175.008');
    expect(usd(f.overheadUsd)).toBe('117.5008');
    expect(usd(f.peopleUsd)).toBe('7500');
    expect(usd(f.totalUsd)).toBe('8792.5088');
    // Utilisation: average demand 0.15 + 0.15 = 0.3 replicas over 2 provisioned = 15%; at peak 0.6 / 2 = 30%.
    expect(f.utilisation).toBeCloseTo(0.15, 12);
    expect(f.peakUtilisation).toBeCloseTo(0.3, 12);
    expect(f.members.map((m) => m.loadShare)).toEqual([0.5, 0.5]);
  });

  it('people cost is charged once ($7,500 = 0.5 x $15,000 for "some") and split 2:1 when the load is 2:1', () => {
    // support 2 req/s, triage 1 req/s: peak (2 + 1) x 2 / 10 = 0.6 replicas → 2 replicas, $8,792.5088 in all.
    // Stand-alone each pays 2 replicas + $7,500 people = $8,792.5088.
    const standalone = '8792.5088';
    const plan = planSharedFleets([member('support', 2, { standaloneTcoUsd: standalone }), member('triage', 1, { standaloneTcoUsd: standalone })]);
    expect(usd(plan.orgPeopleUsd)).toBe('7500');
    expect(plan.people.engineers).toBe(0.5);
    const [support, triage] = plan.fleets[0]!.members;
    expect(support!.loadShare).toBeCloseTo(2 / 3, 12);
    // People 7500 x 2/3 = 5000 and 7500 x 1/3 = 2500.
    expect(usd(support!.peopleUsd)).toBe('5000');
    expect(usd(triage!.peopleUsd)).toBe('2500');
    // Cost 8792.5088 x 2/3 = 5861.6725(33), x 1/3 = 2930.8362(67); savings 8792.5088 − each.
    expect(usd(support!.costUsd)).toBe('5861.6725');
    expect(usd(triage!.costUsd)).toBe('2930.8363');
    expect(usd(support!.savingsUsd!)).toBe('2930.8363');
    expect(usd(triage!.savingsUsd!)).toBe('5861.6725');
    // The shares add back up to the fleet: nothing is lost or charged twice.
    expect(support!.costUsd.plus(triage!.costUsd).toDecimalPlaces(20).eq(plan.fleets[0]!.totalUsd)).toBe(true);
    // Org: 17,585.0176 stand-alone vs 8,792.5088 shared.
    expect(usd(plan.standaloneTotalUsd!)).toBe('17585.0176');
    expect(usd(plan.savingsUsd!)).toBe('8792.5088');
  });

  it('a fine-tuned adapter of the same base model joins the base fleet (one fleet, both model ids, adapter flagged)', () => {
    const plan = planSharedFleets([
      member('support', 1.5),
      member('claims', 1.5, { modelId: 'llama-3.1-8b-claims-lora', baseModelId: 'llama-3.1-8b' }),
    ]);
    expect(plan.fleets).toHaveLength(1);
    const f = plan.fleets[0]!;
    expect(f.modelIds).toEqual(['llama-3.1-8b', 'llama-3.1-8b-claims-lora']);
    expect(f.replicas).toBe(2);
    expect(f.members.find((m) => m.workload === 'claims')!.adapter).toBe(true);
    expect(f.members.find((m) => m.workload === 'support')!.adapter).toBe(false);
  });

  it('two different models make two fleets that share one people cost, split by replica-demand (1:2 → $2,500 / $5,000)', () => {
    // Llama on L4: avg 1.5 / 10 = 0.15 replicas. Qwen on H100: avg 3 / 10 = 0.3 replicas. Total 0.45.
    const plan = planSharedFleets([
      member('support', 1.5),
      member('coding', 3, { modelId: 'qwen2.5-32b', deployment: H100, usdPerGpuHour: H100_USD }),
    ]);
    expect(plan.fleets.map((f) => f.id)).toEqual(['llama-3.1-8b|L4-24GB|bf16|tp1', 'qwen2.5-32b|H100-80GB-SXM|fp8|tp1']);
    expect(usd(plan.orgPeopleUsd)).toBe('7500');
    expect(plan.fleets.map((f) => usd(f.peopleUsd))).toEqual(['2500', '5000']);
    // Qwen peak 3 x 2 / 10 = 0.6 → 1 + 1 = 2 H100: 2 x 730 x 12.29 = 17,943.4; overhead 1,794.34.
    expect(usd(plan.fleets[1]!.gpuCostUsd)).toBe('17943.4');
    // Org total = (1175.008 + 117.5008) + (17943.4 + 1794.34) + 7500 = 28,530.2488.
    expect(usd(plan.totalUsd)).toBe('28530.2488');
  });

  it('an extra fleet adds the stated engineer fraction: 0.5 + 0.1 x (2 − 1) = 0.6 FTE = $9,000', () => {
    const plan = planSharedFleets(
      [member('support', 1.5), member('coding', 3, { modelId: 'qwen2.5-32b', deployment: H100, usdPerGpuHour: H100_USD })],
      { extraFleetEngineerFraction: 0.1 },
    );
    expect(plan.people.engineers).toBeCloseTo(0.6, 12);
    expect(usd(plan.orgPeopleUsd)).toBe('9000');
  });

  it('team maturity sets the platform team: strong 0.25 x $15,000 = $3,750, none 1 x $15,000 = $15,000', () => {
    expect(usd(planSharedFleets([member('a', 1)], { teamMaturity: 'strong' }).orgPeopleUsd)).toBe('3750');
    expect(usd(planSharedFleets([member('a', 1)], { teamMaturity: 'none' }).orgPeopleUsd)).toBe('15000');
  });

  it('a 20:1 RAG member (2 req/s per replica) counts 5x the replica-demand of a 1:1 chat member (10 req/s per replica) at the same 1 req/s', () => {
    // Long prompts cost prefill time, so the capacity model gives the RAG shape fewer requests/s per replica.
    // Demand: RAG 1 / 2 = 0.5 replicas, chat 1 / 10 = 0.1 replicas → shares 5/6 and 1/6.
    const flat = (avg: number) => ({ kind: 'average' as const, averageRequestsPerSec: avg, peakToAverage: 1 });
    const plan = planSharedFleets([
      member('rag', 1, { requestsPerSecPerReplica: 2, load: flat(1) }),
      member('chat', 1, { requestsPerSecPerReplica: 10, load: flat(1) }),
    ]);
    const f = plan.fleets[0]!;
    const rag = f.members.find((m) => m.workload === 'rag')!;
    const chat = f.members.find((m) => m.workload === 'chat')!;
    expect(rag.averageDemandReplicas).toBeCloseTo(0.5, 12);
    expect(chat.averageDemandReplicas).toBeCloseTo(0.1, 12);
    expect(rag.loadShare).toBeCloseTo(5 / 6, 12);
    expect(chat.loadShare).toBeCloseTo(1 / 6, 12);
    // Peak 0.6 → 1 + 1 = 2 replicas; utilisation 0.6 / 2 = 30%.
    expect(f.replicas).toBe(2);
    expect(f.utilisation).toBeCloseTo(0.3, 12);
  });

  it('hourly series that peak at different hours share serving capacity: day + night at 0.5 replicas each need 2 replicas, not 3', () => {
    // Capacity 1 req/s per replica. Day workload 0.5 req/s in UTC hours 0-11, night 0.5 in 12-23 (24-hour series, repeated).
    // Combined every hour = 0.5 → p95 0.5 → ceil(0.5 / 0.6) = 1 + 1 spare = 2. Coincident peaks would be 1.0 → 2 + 1 = 3.
    const day = Array.from({ length: 24 }, (_, h) => (h < 12 ? 0.5 : 0));
    const night = Array.from({ length: 24 }, (_, h) => (h < 12 ? 0 : 0.5));
    const hourly = (s: number[]) => ({ kind: 'hourly' as const, requestsPerSec: s });
    const plan = planSharedFleets([
      member('day', 0, { requestsPerSecPerReplica: 1, load: hourly(day) }),
      member('night', 0, { requestsPerSecPerReplica: 1, load: hourly(night) }),
    ]);
    const f = plan.fleets[0]!;
    expect(f.peakBasis).toBe('hour-of-week-p95');
    expect(f.peakDemandReplicas).toBeCloseTo(0.5, 12);
    expect(f.replicas).toBe(2);
    // Average 0.25 + 0.25 = 0.5 replicas of 2 → 25%.
    expect(f.utilisation).toBeCloseTo(0.25, 12);

    const coincident = planSharedFleets([
      member('day', 0, { requestsPerSecPerReplica: 1, load: { kind: 'average', averageRequestsPerSec: 0.25, peakToAverage: 2 } }),
      member('night', 0, { requestsPerSecPerReplica: 1, load: { kind: 'average', averageRequestsPerSec: 0.25, peakToAverage: 2 } }),
    ]).fleets[0]!;
    expect(coincident.peakBasis).toBe('coincident-peaks');
    expect(coincident.replicas).toBe(3);
  });

  it('consolidates a base model on the one deployment every member can run on (L4: 3 replicas) rather than L4 + H100 fleets', () => {
    // support on L4: peak 1.5 x 2 / 10 = 0.3. batch chose H100 but quotes L4 at 8 req/s: peak 2 x 2 / 8 = 0.5.
    // Together 0.8 → ceil(0.8 / 0.6) = 2 + 1 = 3 L4 replicas: 3 x 730 x 0.8048 = 1,762.512.
    const batch = member('batch', 2, {
      deployment: H100,
      usdPerGpuHour: H100_USD,
      requestsPerSecPerReplica: 40,
      alternatives: [{ deployment: L4, usdPerGpuHour: L4_USD, requestsPerSecPerReplica: 8 }],
    });
    const plan = planSharedFleets([member('support', 1.5), batch]);
    expect(plan.fleets).toHaveLength(1);
    const f = plan.fleets[0]!;
    expect(f.deployment.gpuId).toBe('L4-24GB');
    expect(f.peakDemandReplicas).toBeCloseTo(0.8, 12);
    expect(f.replicas).toBe(3);
    expect(usd(f.gpuCostUsd)).toBe('1762.512');
    expect(f.notes.join(' ')).toMatch(/batch moved/);

    // Without the L4 quote nothing fits both: one fleet per deployment, each with its own spare.
    const split = planSharedFleets([member('support', 1.5), { ...batch, alternatives: [] }]);
    expect(split.fleets.map((x) => [x.deployment.gpuId, x.replicas])).toEqual([
      ['H100-80GB-SXM', 2],
      ['L4-24GB', 2],
    ]);
  });

  it('leaves out a member with no capacity and says why; an idle fleet still keeps 1 + 1 spare replicas', () => {
    const plan = planSharedFleets([member('broken', 1, { requestsPerSecPerReplica: 0 }), member('idle', 0)]);
    expect(plan.skipped).toEqual([{ workload: 'broken', modelId: 'llama-3.1-8b', reason: 'requests/s per replica must be > 0' }]);
    expect(plan.fleets[0]!.replicas).toBe(2);
    expect(plan.fleets[0]!.utilisation).toBe(0);
    expect(plan.fleets[0]!.members[0]!.loadShare).toBe(1);
  });

  it('no members → no fleets and no people cost', () => {
    const plan = planSharedFleets([]);
    expect(plan.fleets).toEqual([]);
    expect(usd(plan.totalUsd)).toBe('0');
  });
});

describe('hourOfWeekProfile', () => {
  it('averages a two-week series per hour of week: 0.4 in week 1 and 0.6 in week 2 → 0.5', () => {
    const series = [...new Array(168).fill(0.4), ...new Array(168).fill(0.6)];
    expect(hourOfWeekProfile(series).every((v) => Math.abs(v - 0.5) < 1e-12)).toBe(true);
  });

  it('places series[0] at startHourOfWeek and repeats a 24-hour series over the week', () => {
    const day = Array.from({ length: 24 }, (_, h) => h);
    const p = hourOfWeekProfile(day, 10);
    expect(p).toHaveLength(168);
    expect(p[10]).toBe(0); // series[0]
    expect(p[33]).toBe(23); // 10 + 23
    expect(p[9]).toBe(23); // the hour before the start wraps to the series' last hour
  });
});

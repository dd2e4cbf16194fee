import { loadProfileFromHourly, loadProfileFromMonthly, planReplicas, quantile, scaleProfile, type HourlyTokens } from './load.js';

/** `days` days of 24 hours, each hour given by `hour(h)`. */
function series(days: number, hour: (h: number) => HourlyTokens): HourlyTokens[] {
  return Array.from({ length: days * 24 }, (_, i) => hour(i % 24));
}

// Load is counted in requests since the capacity model serves requests of the workload's shape
// (it replaced the flat "0.1 output token per input token" conversion).
// 1.8M output + 3.6M input = 5.4M tokens per hour = 1,500 tok/s; at 1,500 tokens per request = 1 request/s.
const flat = series(7, () => ({ inputTokens: 3_600_000, outputTokens: 1_800_000 }));
// 12 busy hours at 1,200 tok/s (4.32M tokens/h) = 2 requests/s at 600 tokens per request, 12 idle hours.
const dayOnly = series(7, (h) => (h >= 8 && h < 20 ? { inputTokens: 0, outputTokens: 4_320_000 } : { inputTokens: 0, outputTokens: 0 }));
const flatProfile = () => loadProfileFromHourly(flat, { tokensPerRequest: 1500 })!;
const dayProfile = () => loadProfileFromHourly(dayOnly, { tokensPerRequest: 600 })!;

describe('quantile (linear interpolation)', () => {
  it.each<[string, number[], number, number]>([
    ['p95 of 1..20 = 19 + 0.05 x 1 = 19.05', Array.from({ length: 20 }, (_, i) => i + 1), 0.95, 19.05],
    ['p50 of [0, 10] = 5', [0, 10], 0.5, 5],
    ['p95 of a single value 7 = 7', [7], 0.95, 7],
  ])('%s', (_name, xs, q, expected) => {
    expect(quantile(xs, q)).toBeCloseTo(expected, 9);
  });
});

describe('loadProfileFromHourly', () => {
  it.each<[string, () => ReturnType<typeof flatProfile>, number, number, number, number]>([
    ['flat: 5.4M tokens / 3,600 s = 1,500 tok/s = 1 request/s at 1,500 tokens each, average and p95', flatProfile, 1, 1, 1500, 1500],
    ['12 h at 1,200 tok/s (2 requests/s at 600 tokens) + 12 h idle: average 1 request/s, p95 2', dayProfile, 1, 2, 600, 1200],
  ])('%s', (_name, get, avgReq, peakReq, avgTok, peakTok) => {
    const p = get();
    expect(p.averageRequestsPerSec).toBeCloseTo(avgReq, 9);
    expect(p.peakRequestsPerSec).toBeCloseTo(peakReq, 9);
    expect(p.averageTokPerSec).toBeCloseTo(avgTok, 9);
    expect(p.peakTokPerSec).toBeCloseTo(peakTok, 9);
  });

  it('hour-of-day profile honours startHourOfDay: series starting at 20:00 puts the busy block (2 requests/s) at hours 8-19', () => {
    const shifted = [...dayOnly.slice(20), ...dayOnly.slice(0, 20)];
    const p = loadProfileFromHourly(shifted, { tokensPerRequest: 600, startHourOfDay: 20 });
    expect(p?.hourOfDayRequestsPerSec?.[8]).toBeCloseTo(2, 9);
    expect(p?.hourOfDayRequestsPerSec?.[7]).toBe(0);
  });

  it('empty series → null', () => {
    expect(loadProfileFromHourly([], { tokensPerRequest: 1000 })).toBeNull();
  });
});

describe('loadProfileFromMonthly', () => {
  it('1.314B output + 0 input over 730 h = 500 tok/s = 0.5 requests/s at 1,000 tokens; x2 peak-to-average = 1 request/s', () => {
    const p = loadProfileFromMonthly({ inputTokens: 0, outputTokens: 1_314_000_000 }, 2, { tokensPerRequest: 1000 });
    expect(p.averageTokPerSec).toBeCloseTo(500, 9);
    expect(p.averageRequestsPerSec).toBeCloseTo(0.5, 9);
    expect(p.peakRequestsPerSec).toBeCloseTo(1, 9);
    expect(p.hourOfDayRequestsPerSec).toBeNull();
  });

  it('input tokens count as much as output tokens toward requests: 1B in + 314M out / 730 h = 500 tok/s → 0.25 requests/s at 2,000 tokens', () => {
    const p = loadProfileFromMonthly({ inputTokens: 1_000_000_000, outputTokens: 314_000_000 }, 1, { tokensPerRequest: 2000 });
    expect(p.averageRequestsPerSec).toBeCloseTo(0.25, 9);
  });

  it('scaleProfile x2: 1 → 2 requests/s average, 1,500 → 3,000 tok/s', () => {
    const p = scaleProfile(flatProfile(), 2);
    expect(p.averageRequestsPerSec).toBeCloseTo(2, 9);
    expect(p.averageTokPerSec).toBeCloseTo(3000, 9);
    expect(p.hourOfDayRequestsPerSec?.[0]).toBeCloseTo(2, 9);
  });
});

describe('planReplicas (demand and capacity in requests/s)', () => {
  it.each<[string, () => ReturnType<typeof flatProfile>, number, number, { redundancyReplicas?: number; targetUtilisation?: number; minReplicas?: number }, number, number]>([
    ['flat 1 req/s, 2 req/s replicas at 60% = 1.2 each → 1 + 1 spare = 2 replicas x 2 GPUs x 730 h = 2,920 GPU-h', flatProfile, 2, 2, {}, 2, 2920],
    ['flat 1 req/s, no redundancy → 1 replica x 1 GPU x 730 h = 730 GPU-h', flatProfile, 2, 1, { redundancyReplicas: 0 }, 1, 730],
    ['p95 2 req/s at 1.2 per replica → 1.67 → 2 + 1 spare = 3 replicas x 730 h = 2,190 GPU-h', dayProfile, 2, 1, {}, 3, 2190],
    ['p95 2 req/s at 80% target: 2 / 1.6 = 1.25 → 2 + 1 = 3 replicas', dayProfile, 2, 1, { targetUtilisation: 0.8 }, 3, 2190],
    ['flat 1 req/s with min 4 replicas kept → 4 x 730 = 2,920 GPU-h', flatProfile, 2, 1, { minReplicas: 4 }, 4, 2920],
    ['zero load still keeps min 1 + 1 spare = 2 replicas x 730 = 1,460 GPU-h', () => loadProfileFromHourly(series(1, () => ({ inputTokens: 0, outputTokens: 0 })), { tokensPerRequest: 1000 })!, 2, 1, {}, 2, 1460],
  ])('always-on: %s', (_name, get, cap, gpus, opts, replicas, gpuHours) => {
    const plan = planReplicas(get(), cap, gpus, opts);
    expect(plan?.alwaysOn.replicas).toBe(replicas);
    expect(plan?.alwaysOn.gpuHoursPerMonth).toBeCloseTo(gpuHours, 9);
  });

  it('scaled to the day: busy hours 2 + 1 = 3 replicas, idle hours min 2 → (12 x 3 + 12 x 2) / 24 = 2.5 avg x 730 = 1,825 GPU-h vs 2,190 always-on', () => {
    const plan = planReplicas(dayProfile(), 2, 1);
    expect(plan?.scaled?.averageReplicas).toBeCloseTo(2.5, 9);
    expect(plan?.scaled?.gpuHoursPerMonth).toBeCloseTo(1825, 9);
    expect(plan?.scaled?.replicasByHour?.[12]).toBe(3);
    expect(plan?.scaled?.replicasByHour?.[0]).toBe(2);
  });

  it.each<[string, number, number, number]>([
    ['always-on: 1 req/s average / (2 x 3 replicas) = 16.7%', 0, 1 / 6, 3],
    ['scaled: 1 / (2 x 2.5 average replicas) = 20%', 1, 1 / 5, 2.5],
  ])('utilisation achieved, %s', (_name, which, util, avgReplicas) => {
    const plan = planReplicas(dayProfile(), 2, 1)!;
    const p = which === 0 ? plan.alwaysOn : plan.scaled!;
    expect(p.averageReplicas).toBeCloseTo(avgReplicas, 9);
    expect(p.utilisation).toBeCloseTo(util, 9);
  });

  it('float noise does not add a replica: 1,800 tok/s / 1,000 tokens = 1.8 req/s at 1 x 0.6 = exactly 3 serving replicas', () => {
    const p = loadProfileFromMonthly({ inputTokens: 0, outputTokens: 1800 * 3600 * 730 }, 1, { tokensPerRequest: 1000 });
    expect(planReplicas(p, 1, 1, { redundancyReplicas: 0 })?.servingReplicasAtPeak).toBe(3);
  });

  it('no hourly series → scaled plan is null; zero capacity → null plan', () => {
    const p = loadProfileFromMonthly({ inputTokens: 0, outputTokens: 1e9 }, 2, { tokensPerRequest: 1000 });
    expect(planReplicas(p, 1, 1)?.scaled).toBeNull();
    expect(planReplicas(p, 0, 1)).toBeNull();
  });
});

import { loadProfileFromHourly, loadProfileFromMonthly, planReplicas, quantile, scaleProfile, type HourlyTokens } from './load.js';

/** `days` days of 24 hours, each hour given by `hour(h)`. */
function series(days: number, hour: (h: number) => HourlyTokens): HourlyTokens[] {
  return Array.from({ length: days * 24 }, (_, i) => hour(i % 24));
}

// 1.8M output + 3.6M input x 0.1 = 2.16M output-equivalent tokens per hour = 600 tok/s.
const flat600 = series(7, () => ({ inputTokens: 3_600_000, outputTokens: 1_800_000 }));
// 12 busy hours at 1,200 tok/s (4.32M output tokens/h), 12 idle hours.
const dayOnly = series(7, (h) => (h >= 8 && h < 20 ? { inputTokens: 0, outputTokens: 4_320_000 } : { inputTokens: 0, outputTokens: 0 }));

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
  it.each<[string, HourlyTokens[], number, number]>([
    ['flat: (1.8M out + 0.1 x 3.6M in) / 3,600 s = 600 tok/s average and p95', flat600, 600, 600],
    ['12 h at 1,200 tok/s + 12 h idle: average 600, p95 1,200', dayOnly, 600, 1200],
  ])('%s', (_name, s, avg, peak) => {
    const p = loadProfileFromHourly(s);
    expect(p?.averageTokPerSec).toBeCloseTo(avg, 9);
    expect(p?.peakTokPerSec).toBeCloseTo(peak, 9);
  });

  it('hour-of-day profile honours startHourOfDay: series starting at 20:00 puts the busy block at hours 8-19', () => {
    const shifted = [...dayOnly.slice(20), ...dayOnly.slice(0, 20)];
    const p = loadProfileFromHourly(shifted, { startHourOfDay: 20 });
    expect(p?.hourOfDayTokPerSec?.[8]).toBeCloseTo(1200, 9);
    expect(p?.hourOfDayTokPerSec?.[7]).toBe(0);
  });

  it('empty series → null', () => {
    expect(loadProfileFromHourly([])).toBeNull();
  });
});

describe('loadProfileFromMonthly', () => {
  it('1.314B output + 0 input over 730 h = 500 tok/s average; x2 peak-to-average = 1,000', () => {
    const p = loadProfileFromMonthly({ inputTokens: 0, outputTokens: 1_314_000_000 }, 2);
    expect(p.averageTokPerSec).toBeCloseTo(500, 9);
    expect(p.peakTokPerSec).toBeCloseTo(1000, 9);
    expect(p.hourOfDayTokPerSec).toBeNull();
  });

  it('scaleProfile x2: 600 → 1,200 tok/s average', () => {
    const p = scaleProfile(loadProfileFromHourly(flat600)!, 2);
    expect(p.averageTokPerSec).toBeCloseTo(1200, 9);
    expect(p.hourOfDayTokPerSec?.[0]).toBeCloseTo(1200, 9);
  });
});

describe('planReplicas', () => {
  it.each<[string, HourlyTokens[], number, number, { redundancyReplicas?: number; targetUtilisation?: number; minReplicas?: number }, number, number]>([
    ['flat 600 tok/s, 1,000 tok/s replicas at 60% = 600 each → 1 + 1 spare = 2 replicas x 2 GPUs x 730 h = 2,920 GPU-h', flat600, 1000, 2, {}, 2, 2920],
    ['flat 600 tok/s, no redundancy → 1 replica x 1 GPU x 730 h = 730 GPU-h', flat600, 1000, 1, { redundancyReplicas: 0 }, 1, 730],
    ['p95 1,200 tok/s at 600 per replica → 2 + 1 spare = 3 replicas x 730 h = 2,190 GPU-h', dayOnly, 1000, 1, {}, 3, 2190],
    ['p95 1,200 tok/s at 80% target: 1,200 / 800 = 1.5 → 2 + 1 = 3 replicas', dayOnly, 1000, 1, { targetUtilisation: 0.8 }, 3, 2190],
    ['flat 600 tok/s with min 4 replicas kept → 4 x 730 = 2,920 GPU-h', flat600, 1000, 1, { minReplicas: 4 }, 4, 2920],
    ['zero load still keeps min 1 + 1 spare = 2 replicas x 730 = 1,460 GPU-h', series(1, () => ({ inputTokens: 0, outputTokens: 0 })), 1000, 1, {}, 2, 1460],
  ])('always-on: %s', (_name, s, cap, gpus, opts, replicas, gpuHours) => {
    const plan = planReplicas(loadProfileFromHourly(s)!, cap, gpus, opts);
    expect(plan?.alwaysOn.replicas).toBe(replicas);
    expect(plan?.alwaysOn.gpuHoursPerMonth).toBeCloseTo(gpuHours, 9);
  });

  it('scaled to the day: busy hours 2 + 1 = 3 replicas, idle hours min 2 → (12 x 3 + 12 x 2) / 24 = 2.5 avg x 730 = 1,825 GPU-h vs 2,190 always-on', () => {
    const plan = planReplicas(loadProfileFromHourly(dayOnly)!, 1000, 1);
    expect(plan?.scaled?.averageReplicas).toBeCloseTo(2.5, 9);
    expect(plan?.scaled?.gpuHoursPerMonth).toBeCloseTo(1825, 9);
    expect(plan?.scaled?.replicasByHour?.[12]).toBe(3);
    expect(plan?.scaled?.replicasByHour?.[0]).toBe(2);
  });

  it.each<[string, number, number, number]>([
    ['always-on: 600 tok/s average / (1,000 x 3 replicas) = 20%', 0, 600 / 3000, 3],
    ['scaled: 600 / (1,000 x 2.5 average replicas) = 24%', 1, 600 / 2500, 2.5],
  ])('utilisation achieved, %s', (_name, which, util, avgReplicas) => {
    const plan = planReplicas(loadProfileFromHourly(dayOnly)!, 1000, 1)!;
    const p = which === 0 ? plan.alwaysOn : plan.scaled!;
    expect(p.averageReplicas).toBeCloseTo(avgReplicas, 9);
    expect(p.utilisation).toBeCloseTo(util, 9);
  });

  it('float noise does not add a replica: 1,800 tok/s at 1,000 x 0.6 = exactly 3 serving replicas', () => {
    const p = loadProfileFromMonthly({ inputTokens: 0, outputTokens: 1800 * 3600 * 730 }, 1);
    expect(planReplicas(p, 1000, 1, { redundancyReplicas: 0 })?.servingReplicasAtPeak).toBe(3);
  });

  it('no hourly series → scaled plan is null; zero capacity → null plan', () => {
    const p = loadProfileFromMonthly({ inputTokens: 0, outputTokens: 1e9 }, 2);
    expect(planReplicas(p, 1000, 1)?.scaled).toBeNull();
    expect(planReplicas(p, 0, 1)).toBeNull();
  });
});

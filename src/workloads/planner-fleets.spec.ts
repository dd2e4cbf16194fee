import { Money } from '../domain/money.js';
import { hourOfWeek, roadmapForecast, selfHostMoves } from './planner.service.js';

/** A self-host option as the economics engine gives it (only the fields the fleet moves read). */
function option(gpuId: string, tcoUsd: string, usdPerGpuHour: string, tokensPerSec: number, tensorParallel = 1) {
  return { modelId: 'llama-3.1-8b', gpuId, precision: 'bf16', tensorParallel, tcoUsd: new Money(tcoUsd), hourlyPriceUsd: new Money(usdPerGpuHour), price: { usdPerGpuHour: new Money(usdPerGpuHour) }, capacity: { tokensPerSec } };
}

describe('planner service → fleet inputs', () => {
  it('hour of week counts from Monday 00:00 UTC: Monday 00:00 → 0, Sunday 23:00 → 6 × 24 + 23 = 167, Wednesday 13:00 → 2 × 24 + 13 = 61', () => {
    expect(hourOfWeek(new Date('2026-11-30T00:00:00Z'))).toBe(0); // a Monday
    expect(hourOfWeek(new Date('2026-11-29T23:00:00Z'))).toBe(167);
    expect(hourOfWeek(new Date('2026-12-02T13:00:00Z'))).toBe(61);
  });

  it('one move per model: the cheapest set-up (L4, $5,042.51) with the others as alternatives; load = output tokens/hour ÷ 3,600 (180,000 → 50 tok/s) against capacity.tokensPerSec', () => {
    const econ = { options: [option('H100-80GB-SXM', '12000', '12.29', 3000), option('L4-24GB', '5042.5088', '0.8048', 513.2)] };
    const [m, ...rest] = selfHostMoves('support', econ as never, [180_000, 0, 360_000], new Date('2026-11-30T01:00:00Z'));
    expect(rest).toHaveLength(0);
    expect(m!.deployment).toEqual({ gpuId: 'L4-24GB', precision: 'bf16', tensorParallel: 1 });
    expect(m!.capacityPerSecPerReplica).toBe(513.2);
    expect(String(m!.usdPerGpuHour)).toBe('0.8048');
    expect(m!.load).toEqual({ hourlyPerSec: [50, 0, 100], startHourOfWeek: 1 });
    expect(String(m!.standaloneMonthlyCostUsd)).toBe('5042.5088');
    expect(m!.alternatives!.map((a) => a.deployment.gpuId)).toEqual(['H100-80GB-SXM']);
  });

  it('roadmap growth: the forecast\'s damped factors with 28+ days of history; its rate (capped at +100 %) when factors are missing; flat under 28 days', () => {
    expect(roadmapForecast({ historyDays: 60, monthlyGrowthRate: 0.3, months: [{ volumeGrowthFactor: 1.01 }, { volumeGrowthFactor: 1.2 }] })).toEqual({ monthlySpendFactors: [1.01, 1.2] });
    expect(roadmapForecast({ historyDays: 60, monthlyGrowthRate: 3, months: [] })).toEqual({ monthlyGrowth: 1 });
    // An all-zero forecast gives factor 0: read as "no usable factors", not as "savings vanish".
    expect(roadmapForecast({ historyDays: 60, monthlyGrowthRate: 0.1, months: [{ volumeGrowthFactor: 0 }] })).toEqual({ monthlyGrowth: 0.1 });
    expect(roadmapForecast({ historyDays: 10, monthlyGrowthRate: 0.5, months: [{ volumeGrowthFactor: 1.5 }] })).toEqual({ monthlyGrowth: 0 });
  });
});

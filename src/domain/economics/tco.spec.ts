import { referenceEconomicsCatalog } from '../../../test/builders/reference.js';
import type { PriceTier } from './assumptions.js';
import { achievedUtilisation, gpuHourlyPrice, monthlyTco } from './tco.js';
import type { GpuSpec } from './types.js';

const catalog = referenceEconomicsCatalog();
const gpu = (id: string): GpuSpec => catalog.gpus.find((g) => g.id === id) as GpuSpec;

describe('gpuHourlyPrice', () => {
  it.each<[string, string, PriceTier, string]>([
    ['H100 on-demand = $12.29 (AWS p5 per GPU, pre-cut)', 'H100-80GB-SXM', 'onDemand', '12.29'],
    ['H100 spot = midpoint of $2.6242-$3.7908 = $3.2075', 'H100-80GB-SXM', 'spot', '3.2075'],
    ['L4 spot = midpoint of $0.30-$0.5341 = $0.41705', 'L4-24GB', 'spot', '0.41705'],
    ['H200 on-demand = $10.60', 'H200-141GB-SXM', 'onDemand', '10.6'],
  ])('%s', (_name, id, tier, usd) => {
    const p = gpuHourlyPrice(gpu(id), tier);
    expect(p.usdPerGpuHour?.toFixed()).toBe(usd);
    if (p.usdPerGpuHour !== null) expect(p.origin).toBe('reference');
  });

  it('committed is null for every reference GPU → a reason, not $0', () => {
    const p = gpuHourlyPrice(gpu('H100-80GB-SXM'), 'committed');
    expect(p.usdPerGpuHour).toBeNull();
    if (p.usdPerGpuHour === null) expect(p.reason).toMatch(/no committed price/);
  });

  it('org override wins: H100 committed $2.10 from the org', () => {
    const p = gpuHourlyPrice(gpu('H100-80GB-SXM'), 'committed', { committed: '2.10' });
    expect(p.usdPerGpuHour?.toFixed()).toBe('2.1');
    if (p.usdPerGpuHour !== null) expect(p.origin).toBe('org');
  });
});

describe('monthlyTco', () => {
  it.each<[string, number, string, number, string, string, string, string]>([
    ['2,920 GPU-h x $12.29 = $35,886.80 + 0.5 x $15,000 + 10% = $46,975.48', 2920, '12.29', 0.5, '35886.8', '7500', '3588.68', '46975.48'],
    ['1,460 GPU-h x $10.60 = $15,476 + 0.5 x $15,000 + 10% = $24,523.60', 1460, '10.6', 0.5, '15476', '7500', '1547.6', '24523.6'],
    ['team maturity none: 730 GPU-h x $3.2075 spot = $2,341.475 + 1.0 x $15,000 + $234.1475 = $17,575.6225', 730, '3.2075', 1, '2341.475', '15000', '234.1475', '17575.6225'],
    ['team maturity strong: 730 GPU-h x $0.8048 = $587.504 + 0.25 x $15,000 + $58.7504 = $4,396.2544', 730, '0.8048', 0.25, '587.504', '3750', '58.7504', '4396.2544'],
  ])('%s', (_name, hours, price, fte, gpuCost, people, overhead, total) => {
    const t = monthlyTco({ gpuHoursPerMonth: hours, usdPerGpuHour: price, engineerFraction: fte, engineerMonthlyCostUsd: '15000', overheadFraction: 0.1, monthlyTokens: 1e9 });
    expect(t.gpuCostUsd.toFixed()).toBe(gpuCost);
    expect(t.peopleCostUsd.toFixed()).toBe(people);
    expect(t.overheadUsd.toFixed()).toBe(overhead);
    expect(t.tcoUsd.toFixed()).toBe(total);
  });

  it('cost per 1M tokens: $24,523.60 / 2,500M tokens = $9.80944 per 1M; zero volume → null', () => {
    const base = { gpuHoursPerMonth: 1460, usdPerGpuHour: '10.6', engineerFraction: 0.5, engineerMonthlyCostUsd: '15000', overheadFraction: 0.1 };
    expect(monthlyTco({ ...base, monthlyTokens: 2.5e9 }).costPerMTokUsd?.toFixed()).toBe('9.80944');
    expect(monthlyTco({ ...base, monthlyTokens: 0 }).costPerMTokUsd).toBeNull();
  });

  it.each<[string, number, number, number, number]>([
    ['266 tok/s average on 2 replicas of 1,132 tok/s = 11.7%', 266, 1132, 2, 266 / 2264],
    ['no replicas → 0', 100, 1000, 0, 0],
  ])('achievedUtilisation: %s', (_name, avg, cap, replicas, expected) => {
    expect(achievedUtilisation(avg, cap, replicas)).toBeCloseTo(expected, 9);
  });
});

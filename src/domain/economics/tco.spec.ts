import { referenceEconomicsCatalog } from '../../../test/builders/reference.js';
import type { PriceTier } from './assumptions.js';
import { achievedUtilisation, monthlyTco, replicaHourlyPrice, type ReplicaPrice } from './tco.js';
import type { GpuSpec } from './types.js';

const catalog = referenceEconomicsCatalog();
const gpu = (id: string): GpuSpec => catalog.gpus.find((g) => g.id === id) as GpuSpec;
const priced = (p: ReplicaPrice) => {
  if (p.usdPerGpuHour === null) throw new Error(p.reason);
  return p;
};

describe('replicaHourlyPrice: one GPU, the catalog tiers (USD per GPU-hour)', () => {
  it.each<[string, string, PriceTier, string]>([
    // 12 dated on-demand offers, sorted: 1.99 2.69 2.79 2.86 3.51 3.78 | 3.90 3.9492 4.76 5.49 6.88 6.98 → (3.78 + 3.90) / 2
    ['H100 market on-demand = (3.78 + 3.90) / 2 = $3.84, not the pre-cut $12.29 list', 'H100-80GB-SXM', 'marketOnDemand', '3.84'],
    // AWS 3.90, AWS 6.88 (post-cut p5 list), Azure 6.98 → middle value
    ['H100 hyperscaler on-demand = median(3.90, 6.88, 6.98) = $6.88', 'H100-80GB-SXM', 'hyperscalerOnDemand', '6.88'],
    ['H100 committed 1 year = $3.84 x (1 - 0.35) = $2.496', 'H100-80GB-SXM', 'committed1y', '2.496'],
    ['L40S committed 1 year = AWS g6e.xlarge 1-year no-upfront reservation $1.17 (a sourced price, no discount applied)', 'L40S-48GB', 'committed1y', '1.17'],
    ['L40S spot = median(AWS 1.1027, RunPod 0.79) = $0.94635', 'L40S-48GB', 'spot', '0.94635'],
  ])('%s', (_name, id, tier, usd) => {
    const p = priced(replicaHourlyPrice(gpu(id), 1, { tier }));
    expect(p.usdPerGpuHour.toFixed()).toBe(usd);
    expect(p.origin).toBe('reference');
    expect(p.sourceIds.length).toBeGreaterThan(0);
    expect(p.asOf).toMatch(/^\d{4}-\d{2}/);
  });

  it('A10G spot: no dated spot offer (only undated catalog rows) → a reason naming the override, not $0', () => {
    const p = replicaHourlyPrice(gpu('A10G-24GB'), 1, { tier: 'spot' });
    expect(p.usdPerGpuHour).toBeNull();
    if (p.usdPerGpuHour === null) expect(p.reason).toMatch(/no spot price for A10G-24GB .*set an org override/);
  });

});

describe('replicaHourlyPrice: multi-GPU replicas of PCIe cards are priced from the instance that holds them', () => {
  it.each<[string, string, number, PriceTier, string, string]>([
    ['4x A10G: g5.12xlarge $5.672 / 4 = $1.418 per GPU (vs $0.933 market for one GPU)', 'A10G-24GB', 4, 'marketOnDemand', '1.418', 'g5.12xlarge'],
    ['2x A10G: still the 4-GPU g5.12xlarge, the smallest with >= 2', 'A10G-24GB', 2, 'marketOnDemand', '1.418', 'g5.12xlarge'],
    ['8x A10G: g5.48xlarge $16.288 / 8 = $2.036', 'A10G-24GB', 8, 'marketOnDemand', '2.036', 'g5.48xlarge'],
    ['4x L4: g6.12xlarge $4.6016 / 4 = $1.1504', 'L4-24GB', 4, 'marketOnDemand', '1.1504', 'g6.12xlarge'],
    ['4x L40S: g6e.12xlarge $10.49264 / 4 = $2.62316', 'L40S-48GB', 4, 'hyperscalerOnDemand', '2.62316', 'g6e.12xlarge'],
    ['4x A10G committed: $1.418 x (1 - 0.35) = $0.9217', 'A10G-24GB', 4, 'committed1y', '0.9217', 'g5.12xlarge'],
  ])('%s', (_name, id, count, tier, usd, sku) => {
    const p = priced(replicaHourlyPrice(gpu(id), count, { tier }));
    expect(p.usdPerGpuHour.toFixed()).toBe(usd);
    expect(p.provider).toBe('AWS');
    expect(p.basis).toContain(sku);
    expect(p.basis).toMatch(/undated source \(skypilot_aws\)/);
  });

  it('NVLink boards keep the per-GPU tier price: 2x H100 = $3.84 per GPU', () => {
    expect(priced(replicaHourlyPrice(gpu('H100-80GB-SXM'), 2, { tier: 'marketOnDemand' })).usdPerGpuHour.toFixed()).toBe('3.84');
  });

  it('4x L4 spot: no 4-GPU spot instance is sourced → the per-GPU spot price ($0.44) and the basis says so', () => {
    const p = priced(replicaHourlyPrice(gpu('L4-24GB'), 4, { tier: 'spot' }));
    expect(p.usdPerGpuHour.toFixed()).toBe('0.44');
    expect(p.basis).toMatch(/no sourced 4-GPU spot instance/);
  });
});

describe('replicaHourlyPrice: preferred provider and org override', () => {
  it('provider "lambda": 1x A10G from Lambda\'s own offer ($0.86, 2026-05-07)', () => {
    const p = priced(replicaHourlyPrice(gpu('A10G-24GB'), 1, { tier: 'marketOnDemand', provider: 'lambda' }));
    expect([p.usdPerGpuHour.toFixed(), p.provider, p.asOf, p.sourceIds]).toEqual(['0.86', 'Lambda', '2026-05-07', ['techbytes_2026']]);
  });

  it('provider "LAMBDA" (any case): 1x H100 = median of Lambda SXM $3.78 and PCIe $2.86 = $3.32', () => {
    const p = priced(replicaHourlyPrice(gpu('H100-80GB-SXM'), 1, { tier: 'marketOnDemand', provider: 'LAMBDA' }));
    expect([p.usdPerGpuHour.toFixed(), p.provider]).toEqual(['3.32', 'Lambda']);
  });

  it('provider "lambda", 4x A10G: Lambda sells no 4-GPU A10 instance → falls back to AWS g5.12xlarge $1.418, saying so', () => {
    const p = priced(replicaHourlyPrice(gpu('A10G-24GB'), 4, { tier: 'marketOnDemand', provider: 'lambda' }));
    expect([p.usdPerGpuHour.toFixed(), p.provider]).toEqual(['1.418', 'AWS']);
    expect(p.basis).toMatch(/lambda has no sourced 4-GPU A10G-24GB instance/);
  });

  it('provider "coreweave" has no H100 offer → the market tier $3.84, basis names the fallback', () => {
    const p = priced(replicaHourlyPrice(gpu('H100-80GB-SXM'), 1, { tier: 'marketOnDemand', provider: 'coreweave' }));
    expect([p.usdPerGpuHour.toFixed(), p.provider]).toEqual(['3.84', null]);
    expect(p.basis).toMatch(/no sourced marketOnDemand offer from coreweave for H100-80GB-SXM: market tier used/);
  });

  it('org override wins over tier, provider and instance: 4x A10G committed at the org\'s $0.70', () => {
    const p = priced(replicaHourlyPrice(gpu('A10G-24GB'), 4, { tier: 'committed1y', provider: 'aws' }, { committed1y: '0.70' }));
    expect([p.usdPerGpuHour.toFixed(), p.origin, p.sourceIds, p.asOf]).toEqual(['0.7', 'org', [], null]);
  });

  it('an override for another tier does not apply: spot $0.30 set, marketOnDemand asked → catalog $0.933', () => {
    const p = priced(replicaHourlyPrice(gpu('A10G-24GB'), 1, { tier: 'marketOnDemand' }, { spot: '0.30' }));
    expect([p.usdPerGpuHour.toFixed(), p.origin]).toEqual(['0.933', 'reference']);
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

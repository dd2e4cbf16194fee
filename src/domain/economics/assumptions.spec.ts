import { assumptionRecords, DEFAULT_ASSUMPTIONS, mergeAssumptions, type AssumptionOverrides } from './assumptions.js';

describe('DEFAULT_ASSUMPTIONS', () => {
  it.each<[string, unknown]>([
    ['gpuMemoryUtilization', 0.9],
    ['workspaceGBPerGpu', 2],
    ['prefillCostFactor', 0.1],
    ['targetUtilisation', 0.6],
    ['redundancyReplicas', 1],
    ['hoursPerMonth', 730],
    ['engineerMonthlyCostUsd', '15000'],
    ['overheadFraction', 0.1],
    ['rooflineBatchFactor', 5],
  ])('%s = %p', (key, value) => {
    expect(DEFAULT_ASSUMPTIONS[key as keyof typeof DEFAULT_ASSUMPTIONS]).toEqual(value);
  });

  it('engineer fraction by maturity: none 1.0, some 0.5, strong 0.25; migration 2 + 2 (+4 fine-tuning) weeks', () => {
    expect(DEFAULT_ASSUMPTIONS.engineerFractionByMaturity).toEqual({ none: 1, some: 0.5, strong: 0.25 });
    expect(DEFAULT_ASSUMPTIONS.migrationWeeks).toEqual({ evaluation: 2, integration: 2, fineTuning: 4 });
  });
});

describe('mergeAssumptions', () => {
  const org: AssumptionOverrides = {
    engineerMonthlyCostUsd: '18000',
    migrationWeeks: { evaluation: 3 },
    teamMaturity: 'none',
    gpuPriceOverrides: { 'H100-80GB-SXM': { committed: '2.10' } },
  };
  const request: AssumptionOverrides = { teamMaturity: 'strong', targetUtilisation: 0.7 };
  const r = mergeAssumptions(DEFAULT_ASSUMPTIONS, org, request);

  it.each<[string, string, unknown, string]>([
    ['org sets engineer cost $18,000', 'engineerMonthlyCostUsd', '18000', 'org'],
    ['org sets evaluation 3 weeks', 'migrationWeeks.evaluation', 3, 'org'],
    ['integration stays the default 2 weeks', 'migrationWeeks.integration', 2, 'default'],
    ['request strong beats org none', 'teamMaturity', 'strong', 'request'],
    ['request target utilisation 0.7', 'targetUtilisation', 0.7, 'request'],
    ['org committed H100 $2.10', 'gpuPriceOverrides.H100-80GB-SXM.committed', '2.10', 'org'],
    ['untouched overhead 10% is default', 'overheadFraction', 0.1, 'default'],
  ])('%s', (_name, path, value, origin) => {
    const v = path.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], r.values);
    expect(v).toEqual(value);
    expect(r.origins[path]).toBe(origin);
  });

  it('does not mutate DEFAULT_ASSUMPTIONS', () => {
    expect(DEFAULT_ASSUMPTIONS.migrationWeeks.evaluation).toBe(2);
    expect(DEFAULT_ASSUMPTIONS.gpuPriceOverrides).toEqual({});
  });

  it.each<[string, AssumptionOverrides, string, unknown, RegExp]>([
    ['targetUtilisation 1.5 > 1 is rejected, stays 0.6', { targetUtilisation: 1.5 }, 'targetUtilisation', 0.6, /invalid value for "targetUtilisation"/],
    ['redundancyReplicas 0.5 (not an integer) is rejected, stays 1', { redundancyReplicas: 0.5 }, 'redundancyReplicas', 1, /invalid/],
    ['teamMaturity "expert" is not a level, stays some', { teamMaturity: 'expert' as never }, 'teamMaturity', 'some', /invalid/],
    ['engineer cost "lots" is not money, stays 15000', { engineerMonthlyCostUsd: 'lots' }, 'engineerMonthlyCostUsd', '15000', /invalid/],
    ['precisions ["fp4"] is not a precision, stays [bf16, fp8]', { precisions: ['fp4' as never] }, 'precisions', ['bf16', 'fp8'], /invalid/],
  ])('never throws: %s', (_name, overrides, key, value, issue) => {
    const m = mergeAssumptions(DEFAULT_ASSUMPTIONS, null, overrides);
    expect((m.values as unknown as Record<string, unknown>)[key]).toEqual(value);
    expect(m.origins[key]).toBe('default');
    expect(m.issues.join('\n')).toMatch(issue);
  });

  it('unknown key "gpuMagic" is reported and ignored', () => {
    const m = mergeAssumptions(DEFAULT_ASSUMPTIONS, { gpuMagic: 3 } as never);
    expect(m.issues).toEqual(['org: unknown assumption "gpuMagic" ignored']);
  });

  it('crossover range min 1e9 >= max 1e8 restores both defaults (1e6, 1e13)', () => {
    const m = mergeAssumptions(DEFAULT_ASSUMPTIONS, null, { crossoverMinTokens: 1e9, crossoverMaxTokens: 1e8 });
    expect([m.values.crossoverMinTokens, m.values.crossoverMaxTokens]).toEqual([1e6, 1e13]);
  });

  it('assumptionRecords lists all 34 leaves (33 defaults + 1 org GPU price) with origins (engineer cost org $18,000)', () => {
    const recs = assumptionRecords(r);
    expect(recs.find((x) => x.key === 'engineerMonthlyCostUsd')).toEqual({ key: 'engineerMonthlyCostUsd', value: '18000', origin: 'org' });
    expect(recs.find((x) => x.key === 'hoursPerMonth')).toEqual({ key: 'hoursPerMonth', value: 730, origin: 'default' });
    // 33 default leaves + the org's H100 committed price.
    expect(recs.map((x) => x.key).sort()).toEqual(Object.keys(r.origins).sort());
    expect(recs).toHaveLength(34);
  });
});

import { assumptionRecords, DEFAULT_ASSUMPTIONS, mergeAssumptions, type AssumptionOverrides } from './assumptions.js';

describe('DEFAULT_ASSUMPTIONS', () => {
  it.each<[string, unknown]>([
    ['gpuMemoryUtilization', 0.9],
    ['workspaceGBPerGpu', 2],
    ['latencyTargetP95Ms', 20_000],
    ['targetUtilisation', 0.6],
    ['redundancyReplicas', 1],
    ['hoursPerMonth', 730],
    ['engineerMonthlyCostUsd', '15000'],
    ['overheadFraction', 0.1],
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
    gpuPriceOverrides: { 'H100-80GB-SXM': { committed1y: '2.10' } },
  };
  const request: AssumptionOverrides = { teamMaturity: 'strong', targetUtilisation: 0.7 };
  const r = mergeAssumptions(DEFAULT_ASSUMPTIONS, org, request);

  it.each<[string, string, unknown, string]>([
    ['org sets engineer cost $18,000', 'engineerMonthlyCostUsd', '18000', 'org'],
    ['org sets evaluation 3 weeks', 'migrationWeeks.evaluation', 3, 'org'],
    ['integration stays the default 2 weeks', 'migrationWeeks.integration', 2, 'default'],
    ['request strong beats org none', 'teamMaturity', 'strong', 'request'],
    ['request target utilisation 0.7', 'targetUtilisation', 0.7, 'request'],
    ['org committed H100 $2.10', 'gpuPriceOverrides.H100-80GB-SXM.committed1y', '2.10', 'org'],
    ['price tier defaults to the market on-demand median', 'priceTier', 'marketOnDemand', 'default'],
    ['no preferred GPU cloud by default', 'gpuProvider', null, 'default'],
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

  it('assumptionRecords lists all 32 leaves (31 defaults + 1 org GPU price) with origins (engineer cost org $18,000)', () => {
    const recs = assumptionRecords(r);
    expect(recs.find((x) => x.key === 'engineerMonthlyCostUsd')).toEqual({ key: 'engineerMonthlyCostUsd', value: '18000', origin: 'org' });
    expect(recs.find((x) => x.key === 'hoursPerMonth')).toEqual({ key: 'hoursPerMonth', value: 730, origin: 'default' });
    // 31 default leaves (34 with gpuProvider, less the 4 retired capacity factors, plus latencyTargetP95Ms) + the org's H100 committed price.
    expect(recs.map((x) => x.key).sort()).toEqual(Object.keys(r.origins).sort());
    expect(recs).toHaveLength(32);
  });
});

describe('mergeAssumptions: price tiers saved before the market tiers', () => {
  it.each<[string, string, string]>([
    ['onDemand (the old hyperscaler list tier) → marketOnDemand', 'onDemand', 'marketOnDemand'],
    ['committed → committed1y', 'committed', 'committed1y'],
  ])('org priceTier %s, accepted with an issue line', (_name, saved, now) => {
    const m = mergeAssumptions(DEFAULT_ASSUMPTIONS, { priceTier: saved as never });
    expect(m.values.priceTier).toBe(now);
    expect(m.origins.priceTier).toBe('org');
    expect(m.issues).toEqual([`org: legacy priceTier "${saved}" mapped to "${now}" (accepted)`]);
    expect(m.legacyMapped).toEqual(m.issues);
  });

  it('a saved override keyed "onDemand" ($3.29 for H100) now overrides marketOnDemand, with an issue line', () => {
    const m = mergeAssumptions(DEFAULT_ASSUMPTIONS, { gpuPriceOverrides: { 'H100-80GB-SXM': { onDemand: '3.29' } as never } });
    expect(m.values.gpuPriceOverrides['H100-80GB-SXM']).toEqual({ marketOnDemand: '3.29' });
    expect(m.origins['gpuPriceOverrides.H100-80GB-SXM.marketOnDemand']).toBe('org');
    expect(m.issues).toEqual(['org: legacy "gpuPriceOverrides.H100-80GB-SXM.onDemand" mapped to "gpuPriceOverrides.H100-80GB-SXM.marketOnDemand" (accepted)']);
  });

  it('spot keeps its name: no issue', () => {
    const m = mergeAssumptions(DEFAULT_ASSUMPTIONS, null, { priceTier: 'spot' });
    expect([m.values.priceTier, m.issues]).toEqual(['spot', []]);
  });

  it('an unknown tier "reserved" is still rejected (stays marketOnDemand)', () => {
    const m = mergeAssumptions(DEFAULT_ASSUMPTIONS, null, { priceTier: 'reserved' as never });
    expect(m.values.priceTier).toBe('marketOnDemand');
    expect(m.issues).toEqual(['request: invalid value for "priceTier" ignored ("reserved")']);
  });
});

describe('mergeAssumptions: gpuProvider', () => {
  it.each<[string, unknown, unknown, boolean]>([
    ['"lambda" is accepted', 'lambda', 'lambda', true],
    ['"AWS" is accepted as written (matched case-insensitively later)', 'AWS', 'AWS', true],
    ['null clears it', null, null, true],
    ['41 characters is over the 40 limit', 'x'.repeat(41), null, false],
    ['a number is not a provider', 42, null, false],
    ['markup is refused', '<script>', null, false],
  ])('%s', (_name, value, expected, ok) => {
    const m = mergeAssumptions(DEFAULT_ASSUMPTIONS, null, { gpuProvider: value as never });
    expect(m.values.gpuProvider).toEqual(expected);
    expect(m.issues.length === 0).toBe(ok);
  });
});

describe('retired assumptions', () => {
  it('prefillCostFactor and concurrentSequencesPerReplica saved by an org are ignored with a line, never refused', () => {
    const r = mergeAssumptions(DEFAULT_ASSUMPTIONS, { prefillCostFactor: 0.1, concurrentSequencesPerReplica: 16 } as unknown as AssumptionOverrides);
    expect(r.issues).toEqual([
      'org: retired assumption "prefillCostFactor" ignored (the capacity model derives it from the GPU, the model and the workload)',
      'org: retired assumption "concurrentSequencesPerReplica" ignored (the capacity model derives it from the GPU, the model and the workload)',
    ]);
    expect(r.legacyMapped).toEqual(r.issues);
  });
});

describe('money sent as a number', () => {
  it('is kept as a decimal string, as every amount is answered', () => {
    const r = mergeAssumptions(DEFAULT_ASSUMPTIONS, { engineerMonthlyCostUsd: 18000, gpuPriceOverrides: { 'H100-80GB-SXM': { marketOnDemand: 2.25 } } } as never);
    expect(r.issues).toEqual([]);
    expect(r.values.engineerMonthlyCostUsd).toBe('18000');
    expect((r.values.gpuPriceOverrides as Record<string, Record<string, unknown>>)['H100-80GB-SXM'].marketOnDemand).toBe('2.25');
    expect(mergeAssumptions(DEFAULT_ASSUMPTIONS, { engineerMonthlyCostUsd: '1.5e4' } as never).values.engineerMonthlyCostUsd).toBe('15000');
  });
});

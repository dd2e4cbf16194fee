import { Money } from '../domain/money.js';
import { candidateOptions, toCrossoverPoint } from './planner.service.js';

const api = (provider: string, model: string, usd: number, extra: Record<string, unknown> = {}) => ({
  provider,
  model,
  modelId: model,
  tier: 'standard',
  monthlyCostUsd: new Money(usd),
  costPerMTokUsd: null,
  source: null,
  asOf: null,
  vsCurrent: null,
  notes: [],
  ...extra,
});

const selfHost = (extra: Record<string, unknown> = {}) => ({
  id: 'llama-3.3-70b|L4|fp8',
  modelId: 'llama-3.3-70b',
  gpuId: 'L4',
  precision: 'fp8',
  tensorParallel: 4,
  replicas: 2,
  gpuCount: 8,
  tcoUsd: new Money(9000),
  capacity: { expectedP95LatencyMs: 12_000 },
  ...extra,
});

function econ(over: Record<string, unknown> = {}) {
  return {
    options: [selfHost()],
    managedOpen: [
      api('groq', 'llama-3.3-70b', 500),
      api('Groq', 'llama-3.3-70b', 450),
      api('deepinfra', 'llama-3.3-70b', 480),
      api('DeepInfra', 'llama-3.3-70b', 470),
    ],
    cheaperClosed: [api('openai', 'gpt-4o-mini', 300)],
    crossover: { monthlyTokens: 5e8, reason: null },
    migration: { selfHostUsd: new Money(20000), managedOpenUsd: new Money(3000), closedUsd: new Money(1000), selfHostWeeks: 4 },
    ...over,
  } as never;
}
const catalog = { models: [{ id: 'llama-3.3-70b', kind: 'decoder', paramsB: 70 }] } as never;

describe('candidateOptions (economics → planner options)', () => {
  const options = candidateOptions(econ(), catalog, ['openai'], 900);

  it('groq/Groq and deepinfra/DeepInfra are one provider each: the cheaper entry ($450, $470), shown as the reference spells them', () => {
    const managed = options.filter((o) => o.kind === 'managed_open');
    expect(managed.map((o) => [o.provider, o.monthlyCostUsd.toFixed()])).toEqual([
      ['Groq', '450'],
      ['DeepInfra', '470'],
    ]);
  });

  it('API options carry the sourced regions (Groq: none proven; OpenAI: us/eu)', () => {
    expect(options.find((o) => o.provider === 'Groq')?.providerRegions).toMatchObject({ provider: 'Groq', regions: [] });
    expect(options.find((o) => o.kind === 'cheaper_closed')?.providerRegions).toMatchObject({ provider: 'OpenAI', regions: ['us', 'eu'] });
  });

  it("latency: the workload's observed 900 ms only on a provider it already uses (OpenAI); none for Groq", () => {
    expect(options.find((o) => o.kind === 'cheaper_closed')).toMatchObject({ expectedP95LatencyMs: 900, latencyBasis: 'observed p95 on the same provider' });
    expect(options.find((o) => o.provider === 'Groq')?.expectedP95LatencyMs).toBeUndefined();
  });

  it('self-host: 2 replicas × 4 GPUs (fleet 8), the capacity model p95 12 s, workload crossover 500M as fallback', () => {
    const s = options.find((o) => o.kind === 'self_host')!;
    expect(s.deployment).toEqual({ gpu: 'L4', gpuCount: 8, precision: 'fp8', replicas: 2, gpusPerReplica: 4, tensorParallel: 4 });
    expect(s.expectedP95LatencyMs).toBe(12_000);
    expect(s.crossover).toEqual({ vsCurrent: { status: 'crosses', monthlyTokens: 5e8 }, vsManagedOpen: null });
  });

  it('per-option crossover wins over the workload one', () => {
    const perOption = { vsCurrent: { status: 'always_cheaper', monthlyTokens: null, against: 'gpt-4o', searchedTokens: { min: 1e6, max: 1e13 } }, vsManagedOpen: null };
    const [s] = candidateOptions(econ({ options: [selfHost({ crossover: perOption })] }), catalog, [], 0);
    expect(s.crossover).toEqual({ vsCurrent: { status: 'always_cheaper', monthlyTokens: null, against: 'gpt-4o', searchedMaxTokens: 1e13 }, vsManagedOpen: null });
  });

  it.each([
    ['crosses with tokens', { status: 'crosses', monthlyTokens: 3e9 }, { status: 'crosses', monthlyTokens: 3e9 }],
    ['never_below_max', { status: 'never_below_max', monthlyTokens: null }, { status: 'never_below_max', monthlyTokens: null }],
    ['unavailable → null', { status: 'unavailable', monthlyTokens: null }, null],
    ['crosses without tokens → null', { status: 'crosses', monthlyTokens: null }, null],
  ])('toCrossoverPoint: %s', (_n, input, expected) => {
    expect(toCrossoverPoint(input)).toEqual(expected);
  });
});

describe('provider-regions.json covers the reference providers', () => {
  it('every closed and managed provider in economics.json resolves to one entry whose source ids exist', async () => {
    const { REFERENCE, PROVIDER_REGIONS } = await import('../catalog/reference-data.js');
    const { readProviderRegions, findProvider } = await import('../domain/planner/providers.js');
    const table = readProviderRegions(PROVIDER_REGIONS);
    const names = new Set<string>(REFERENCE.closedModels.map((m) => m.provider));
    for (const m of REFERENCE.managedOpenApis) {
      names.add(m.provider);
      names.add(m.listed.provider); // the spelling as listed ("Groq", "together_ai")
    }
    const ids = new Set(table.sources.map((s) => s.id));
    for (const n of names) {
      const e = findProvider(table, n);
      expect({ n, found: e !== null }).toEqual({ n, found: true });
      for (const id of e!.sourceIds) expect(ids.has(id)).toBe(true);
    }
  });
});

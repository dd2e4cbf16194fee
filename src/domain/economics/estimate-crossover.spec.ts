import { API_OFFERS_JSON } from '../../catalog/reference-data.js';
import { referenceEconomicsCatalog } from '../../../test/builders/reference.js';
import { Money } from '../money.js';
import { readApiOffers, withApiOffers } from './api-offers.js';
import { DEFAULT_ASSUMPTIONS, mergeAssumptions } from './assumptions.js';
import { estimateEconomics, type EconomicsInput } from './estimate.js';
import type { Catalog } from './types.js';

// Crossover per option, twice (vs today's API, vs the cheapest managed API serving the same open
// model), and the API-side tiers. Self-host figures are worked at the minimum fleet: 1 serving
// replica + 1 spare (redundancyReplicas 1), always on, where the TCO does not move with volume:
//   2 replicas x 1 GPU x 730 h = 1,460 GPU-h x $2/h (org override) = $2,920
//   + 10% overhead $292 + people 0.5 x $15,000 = $7,500 → $10,712/month.
const H100 = 'H100-80GB-SXM';
const assumptions = mergeAssumptions(DEFAULT_ASSUMPTIONS, { gpuPriceOverrides: { [H100]: { marketOnDemand: '2' } } });
const MIN_FLEET_TCO = 10712;

const reference = referenceEconomicsCatalog();
const offers = readApiOffers(API_OFFERS_JSON);
const catalog = withApiOffers(reference, offers);

// llama-3.1-8b fp8 on one H100 replacing gpt-4o: 2B in + 500M out a month, 4k tokens per request.
// Today: 2,000M x $2.50 + 500M x $10 = $10,000/month = $4 per 1M tokens (2.5B tokens).
const base: EconomicsInput = {
  openModelIds: ['llama-3.1-8b-instruct'],
  precision: 'fp8',
  gpu: H100,
  monthly: { inputTokens: 2e9, outputTokens: 5e8 },
  avgTokensPerRequest: 4000,
  current: { modelId: 'gpt-4o' },
};

describe('crossover per option vs today', () => {
  const r = estimateEconomics(base, catalog, assumptions);
  const [opt] = r.options;

  it('the option at today\'s volume is the minimum fleet: 2 replicas, $10,712', () => {
    expect([opt.replicas, opt.tcoUsd.toFixed()]).toEqual([2, String(MIN_FLEET_TCO)]);
  });

  it('crosses where $4 per 1M meets the $10,712 minimum fleet: 10,712 / 4e-6 = 2.678B tokens/month, still 2 replicas', () => {
    expect(opt.crossover?.vsCurrent).toEqual({
      monthlyTokens: 2.678e9,
      status: 'crosses',
      against: "gpt-4o at today's cost per token",
      searchedTokens: { min: 1e6, max: 1e13 },
    });
    // The result's crossover (cheapest option vs today) is the same, with the option and costs at the crossing.
    expect(r.crossover.status).toBe('crosses');
    if (r.crossover.status !== 'crosses') return;
    expect(r.crossover.monthlyTokens).toBe(2.678e9);
    expect(r.crossover.option).toEqual({ optionId: `llama-3.1-8b-instruct|${H100}|fp8`, replicas: 2 });
    expect(r.crossover.selfHostCostUsd.toFixed()).toBe('10712');
    expect(r.crossover.apiCostUsd.toFixed()).toBe('10712');
  });

  it('always cheaper: $50M/month actual spend on 2.5B tokens is $20,000 per 1M, so the API already costs $20,000 > $10,712 at 1M tokens', () => {
    const x = estimateEconomics({ ...base, current: { modelId: 'gpt-4o', actualMonthlySpendUsd: '50000000' } }, catalog, assumptions);
    expect(x.options[0].crossover?.vsCurrent).toMatchObject({ status: 'always_cheaper', monthlyTokens: null });
    expect(x.crossover).toMatchObject({ status: 'always_cheaper', monthlyTokens: null });
  });

  it('never below 10T: gpt-4o-mini costs 2,000 x $0.15 + 500 x $0.60 = $600 = $0.24 per 1M; at $100/h even 10T tokens ($2.4M) buy only 2.4M / (730 x $110) = 29 H100s, far too few', () => {
    const dear = mergeAssumptions(DEFAULT_ASSUMPTIONS, { gpuPriceOverrides: { [H100]: { marketOnDemand: '100' } } });
    const x = estimateEconomics({ ...base, current: { modelId: 'gpt-4o-mini' } }, catalog, dear);
    expect(x.current.monthlyCostUsd?.toFixed()).toBe('600');
    expect(x.options[0].crossover?.vsCurrent).toMatchObject({ status: 'never_below_max', monthlyTokens: null });
    expect(x.crossover).toMatchObject({ status: 'never_below_max', monthlyTokens: null, reason: 'never crosses below 10T tokens/month' });
  });

  it('no current cost: vsCurrent null and the result crossover unavailable (not "never")', () => {
    const x = estimateEconomics({ ...base, current: {} }, catalog, assumptions);
    expect(x.options[0].crossover?.vsCurrent).toBeNull();
    expect(x.crossover).toMatchObject({ status: 'unavailable', reason: 'no current cost to compare against' });
  });
});

describe('crossover per option vs the cheapest managed API serving the same model', () => {
  // Two managed APIs for llama-3.1-8b at hypothetical $6 and $5 per 1M (flat): the $5 one is cheaper,
  // 2,500M x $5 = $12,500/month; crossing at 10,712 / 5e-6 = 2.1424B tokens/month (minimum fleet).
  const managed = (provider: string, usd: number) => ({
    provider,
    model: 'meta-llama/Meta-Llama-3.1-8B-Instruct',
    modelId: null,
    inputPerMTok: new Money(usd),
    outputPerMTok: new Money(usd),
    contextTokens: null,
    source: 'test',
  });
  const c: Catalog = { ...catalog, managedOpenApis: [managed('test-a', 6), managed('test-b', 5)] };
  const r = estimateEconomics(base, c, assumptions);

  it('picks test-b ($12,500/month) over test-a ($15,000/month) and crosses at 2.1424B', () => {
    expect(r.managedOpen.map((m) => [m.provider, m.monthlyCostUsd.toFixed()])).toEqual([
      ['test-b', '12500'],
      ['test-a', '15000'],
    ]);
    expect(r.options[0].crossover?.vsManagedOpen).toEqual({
      monthlyTokens: 2.1424e9,
      status: 'crosses',
      against: 'test-b meta-llama/Meta-Llama-3.1-8B-Instruct',
      searchedTokens: { min: 1e6, max: 1e13 },
    });
  });

  it('no managed API serves the model → vsManagedOpen null', () => {
    const none = estimateEconomics(base, { ...catalog, managedOpenApis: [] }, assumptions);
    expect(none.options[0].crossover?.vsManagedOpen).toBeNull();
  });

  it('reference catalog: against names the cheapest reference provider for llama-3.1-8b', () => {
    const ref = estimateEconomics(base, catalog, assumptions);
    const cheapest = ref.managedOpen.find((m) => m.modelId === 'llama-3.1-8b-instruct');
    expect(ref.options[0].crossover?.vsManagedOpen?.against).toBe(`${cheapest?.provider} ${cheapest?.model}`);
  });
});

describe('batch-tolerant workloads get API tiers in cheaperClosed', () => {
  it('gpt-4o batch at 50%: 2,000 x $1.25 + 500 x $5 = $5,000, saving $5,000 of $10,000 (openai_batch_faq)', () => {
    const r = estimateEconomics({ ...base, latencyTolerance: 'batch' }, catalog, assumptions);
    const own = r.cheaperClosed.find((a) => a.model === 'gpt-4o' && a.tier === 'batch');
    expect(own?.monthlyCostUsd.toFixed()).toBe('5000');
    expect(own?.offer?.source).toBe('openai_batch_faq');
    expect(own?.vsCurrent?.monthlySavingsUsd.toFixed()).toBe('5000');
    expect(r.assumptions).toContainEqual(expect.objectContaining({ key: 'workload.latencyTolerance', value: 'batch', origin: 'request' }));
  });

  it('interactive (default): no batch or flex tier offered', () => {
    const r = estimateEconomics(base, catalog, assumptions);
    expect(r.cheaperClosed.every((a) => a.tier === 'standard')).toBe(true);
  });

  it('a catalog without offers (not wired) still prices standard alternatives', () => {
    const r = estimateEconomics({ ...base, latencyTolerance: 'batch' }, reference, assumptions);
    expect(r.cheaperClosed.every((a) => a.tier === 'standard')).toBe(true);
  });
});

describe('per-option crossings are first crossings (reference catalog, default assumptions)', () => {
  // Re-estimating at the reported volume t: self-host TCO <= $4 per 1M x t there, and > at t x 0.999
  // (a later-than-true crossing would pass the first check and fail the second).
  const at = (model: string, gpu: string, precision: EconomicsInput['precision'], t: number) =>
    estimateEconomics({ ...base, openModelIds: [model], gpu, precision, monthly: { inputTokens: 0.8 * t, outputTokens: 0.2 * t } }, reference).options[0]?.tcoUsd.toNumber();

  it.each(['llama-3.1-8b-instruct', 'llama-3.3-70b-instruct'])('%s: every crossing option is dearer than the API just below its crossing and not above it at the crossing', (model) => {
    const r = estimateEconomics({ ...base, openModelIds: [model], gpu: undefined, precision: undefined }, reference);
    const crossing = r.options.filter((o) => o.crossover?.vsCurrent?.status === 'crosses');
    expect(crossing.length).toBeGreaterThan(0);
    for (const o of crossing) {
      const t = o.crossover?.vsCurrent?.monthlyTokens as number;
      expect(at(model, o.gpuId, o.precision, t)).toBeLessThanOrEqual(4e-6 * t * (1 + 1e-12));
      expect(at(model, o.gpuId, o.precision, t * 0.999)).toBeGreaterThan(4e-6 * t * 0.999);
    }
  });
});

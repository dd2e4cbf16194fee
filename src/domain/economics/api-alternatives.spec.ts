import { API_OFFERS_JSON } from '../../catalog/reference-data.js';
import { Money } from '../money.js';
import { cheaperClosedAlternatives, managedOpenAlternatives, tierPrice, type ApiWorkload } from './api-alternatives.js';
import { readApiOffers } from './api-offers.js';
import type { AssumptionRecord } from './assumptions.js';
import { compareToCurrent, type Comparison } from './compare.js';
import type { ApiAlternative, CurrentCost } from './estimate-types.js';
import type { Catalog, ClosedModelPrice, ModelSpec } from './types.js';

const offers = readApiOffers(API_OFFERS_JSON);

// List prices (USD per 1M in / cached in / out) as in src/reference/economics.json closedModels, source litellm_main_mirror (2026-07-24).
const closed = (id: string, provider: string, input: number, cached: number, output: number): ClosedModelPrice => ({
  id,
  provider,
  inputPerMTok: new Money(input),
  cachedInputPerMTok: new Money(cached),
  outputPerMTok: new Money(output),
  longContext: null,
  contextTokens: 128000,
  source: 'litellm_main_mirror',
});
const catalog: Catalog = {
  models: [],
  gpus: [],
  throughput: [],
  managedOpenApis: [],
  closedModels: [
    closed('gpt-4o', 'openai', 2.5, 1.25, 10),
    closed('gpt-4.1', 'openai', 2, 0.5, 8),
    closed('o3', 'openai', 2, 0.5, 8),
    closed('claude-sonnet-4.5', 'anthropic', 3, 0.3, 15),
    closed('claude-haiku-4.5', 'anthropic', 1, 0.1, 5),
    closed('gemini-2.5-flash', 'google', 0.3, 0.03, 2.5),
  ],
};

const workload = (inputTokens: number, cachedInputTokens: number, outputTokens: number): ApiWorkload => ({
  volumes: { inputTokens, cachedInputTokens, outputTokens },
  monthlyTotal: inputTokens + outputTokens,
  avgInputPerRequest: 3000,
});
const today = (modelId: string, usd: number): CurrentCost => ({ modelId, monthlyCostUsd: new Money(usd), basis: 'list-price', listPriceCostUsd: new Money(usd), notes: [] });
const vsToday = (usd: number) => (alt: InstanceType<typeof Money>, mig: InstanceType<typeof Money>): Comparison => compareToCurrent(usd, alt, mig);
const find = (alts: ApiAlternative[], model: string, tier: string) => alts.find((a) => a.model === model && a.tier === tier);

describe('cheaperClosedAlternatives: batch and flex tiers', () => {
  // gpt-4o, 2B in + 500M out, no caching: 2,000 x $2.50 + 500 x $10 = $10,000/month today.
  const w = workload(2e9, 0, 5e8);
  const run = (latencyTolerance: 'interactive' | 'batch', records: AssumptionRecord[] = []) =>
    cheaperClosedAlternatives(catalog, today('gpt-4o', 10000), w, vsToday(10000), new Money(0), records, { latencyTolerance, offers });

  it('batch-tolerant gpt-4o gets gpt-4o itself on the Batch API at 50%: 2,000 x $1.25 + 500 x $5 = $5,000 (source openai_batch_faq)', () => {
    const records: AssumptionRecord[] = [];
    const alt = find(run('batch', records), 'gpt-4o', 'batch');
    expect(alt?.monthlyCostUsd.toFixed()).toBe('5000');
    expect(alt).toMatchObject({ isCurrentModel: true, source: 'litellm_main_mirror', asOf: '2026-07-24' });
    expect(alt?.offer).toMatchObject({ discountFraction: 0.5, source: 'openai_batch_faq' });
    expect(alt?.vsCurrent?.monthlySavingsUsd.toFixed()).toBe('5000');
    expect(records).toContainEqual(expect.objectContaining({ key: 'apiOffer.openai.batch', value: 0.5, sourceId: 'openai_batch_faq' }));
  });

  it('o3 gets batch and flex, each at 2,000 x $1 + 500 x $4 = $4,000 (flex: openai_flex_guide)', () => {
    const alts = run('batch');
    expect(find(alts, 'o3', 'batch')?.monthlyCostUsd.toFixed()).toBe('4000');
    expect(find(alts, 'o3', 'flex')?.monthlyCostUsd.toFixed()).toBe('4000');
    expect(find(alts, 'o3', 'flex')?.offer?.source).toBe('openai_flex_guide');
    expect(find(alts, 'gpt-4.1', 'flex')).toBeUndefined();
  });

  it('interactive workload: standard tier only, today\'s model not listed', () => {
    const alts = run('interactive');
    expect(new Set(alts.map((a) => a.tier))).toEqual(new Set(['standard']));
    expect(alts.find((a) => a.model === 'gpt-4o')).toBeUndefined();
    // gpt-4.1: 2,000 x $2 + 500 x $8 = $8,000 < $10,000.
    expect(find(alts, 'gpt-4.1', 'standard')?.monthlyCostUsd.toFixed()).toBe('8000');
  });

  it('cheapest first, and every alternative names its price source and date', () => {
    const alts = run('batch');
    const costs = alts.map((a) => a.monthlyCostUsd.toNumber());
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
    for (const a of alts) {
      expect(a.source).toBe('litellm_main_mirror');
      expect(a.asOf).toBe('2026-07-24');
      if (a.tier !== 'standard') expect(a.offer?.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});

describe('cheaperClosedAlternatives: prompt caching at the observed cache-hit rate', () => {
  // 1B input of which 400M cached (40% hit rate), 200M output.
  // Today on gpt-4o: 600 x $2.50 + 400 x $1.25 + 200 x $10 = 1,500 + 500 + 2,000 = $4,000.
  const w = workload(1e9, 4e8, 2e8);
  const alts = cheaperClosedAlternatives(catalog, today('gpt-4o', 4000), w, vsToday(4000), new Money(0), [], { latencyTolerance: 'batch', offers });

  it.each<[string, string, string, string]>([
    ['gpt-4.1 at 40% cached: 600 x $2 + 400 x $0.50 + 200 x $8 = 1,200 + 200 + 1,600 = $3,000', 'gpt-4.1', 'standard', '3000'],
    ['gemini-2.5-flash: 600 x $0.30 + 400 x $0.03 + 200 x $2.50 = 180 + 12 + 500 = $692', 'gemini-2.5-flash', 'standard', '692'],
    [
      'claude-haiku-4.5 from gpt-4o adds the 1.25x cache-write surcharge on the 600M uncached (upper bound): 600 x $1 + 400 x $0.10 + 200 x $5 = $1,640, + 600 x $1 x 0.25 = $150 → $1,790',
      'claude-haiku-4.5',
      'standard',
      '1790',
    ],
    [
      'claude-haiku-4.5 batch (discount covers cache reads and writes): 600 x $0.50 + 400 x $0.05 + 200 x $2.50 = $820, + 600 x $0.50 x 0.25 = $75 → $895',
      'claude-haiku-4.5',
      'batch',
      '895',
    ],
    [
      'gpt-4o batch, cached discount not stated so cached stays $1.25: 600 x $1.25 + 400 x $1.25 + 200 x $5 = 750 + 500 + 1,000 = $2,250',
      'gpt-4o',
      'batch',
      '2250',
    ],
  ])('%s', (_name, model, tier, usd) => {
    const alt = find(alts, model, tier);
    expect(alt?.monthlyCostUsd.toFixed()).toBe(usd);
    expect(alt?.notes.join('\n')).toMatch(/observed cache-hit rate 40%/);
  });

  it('the surcharge is said and sourced in the notes', () => {
    expect(find(alts, 'claude-haiku-4.5', 'standard')?.notes.join('\n')).toMatch(/1\.25 x input.*anthropic_pricing_docs.*\+\$150\/month, an upper bound/);
  });

  it('from claude-sonnet-4.5 (which bills writes too) the unobserved writes are left out of both: haiku = 600 x $1 + 400 x $0.10 + 200 x $5 = $1,640', () => {
    // Today on sonnet: 600 x $3 + 400 x $0.30 + 200 x $15 = 1,800 + 120 + 3,000 = $4,920.
    const fromSonnet = cheaperClosedAlternatives(catalog, today('claude-sonnet-4.5', 4920), w, vsToday(4920), new Money(0), [], { offers });
    const haiku = find(fromSonnet, 'claude-haiku-4.5', 'standard');
    expect(haiku?.monthlyCostUsd.toFixed()).toBe('1640');
    expect(haiku?.notes.join('\n')).toMatch(/left out here as in today's cost/);
  });
});

describe('tierPrice', () => {
  it('halves input, output and long-context prices; a model without a cached price bills cached input at the halved input price', () => {
    const p = tierPrice(
      { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: null, longContext: { thresholdTokens: 200000, inputPerMTok: 6, outputPerMTok: 22.5 } },
      { discountFraction: 0.5, cachedInputDiscounted: null },
    );
    expect([p.inputPerMTok, p.outputPerMTok, p.cachedInputPerMTok, p.longContext?.inputPerMTok, p.longContext?.outputPerMTok].map((v) => new Money(v as number).toFixed())).toEqual([
      '1.5',
      '7.5',
      '1.5',
      '3',
      '11.25',
    ]);
  });
});

describe('managedOpenAlternatives', () => {
  it('resolves each provider model to the catalog id, tier standard, with its date', () => {
    const model: ModelSpec = { id: 'llama-3.3-70b-instruct', paramsB: 70, kind: 'decoder', architecture: null, contextTokens: 131072, source: null };
    const c: Catalog = {
      ...catalog,
      managedOpenApis: [
        { provider: 'together_ai', model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', modelId: null, inputPerMTok: 0.88, outputPerMTok: 0.88, contextTokens: null, source: 'litellm_main_mirror' },
      ],
    };
    // 1B in + 200M out at $0.88 = 1,200 x $0.88 = $1,056.
    const [alt] = managedOpenAlternatives(c, [model], workload(1e9, 0, 2e8), () => null, new Money(0), [], offers);
    expect(alt).toMatchObject({ modelId: 'llama-3.3-70b-instruct', tier: 'standard', asOf: '2026-07-24' });
    expect(alt.monthlyCostUsd.toFixed()).toBe('1056');
  });
});

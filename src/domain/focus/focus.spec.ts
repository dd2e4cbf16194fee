import { Money } from '../money.js';
import { classQuantities, classRates, focusDateTime, focusDecimal, focusRows, parties, splitExact, type FocusSource, type RollupTokens } from './focus.js';

const ZERO_CLASSES = { cacheWrite1hTokens: 0, audioInputTokens: 0, imageInputTokens: 0, videoInputTokens: 0, cachedAudioInputTokens: 0, audioOutputTokens: 0 };
const tokens = (t: Partial<RollupTokens>): RollupTokens => ({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, ...ZERO_CLASSES, ...t });
// gpt-4o-like: input $2.50, cached $1.25, output $10 per 1M; reasoning billed as output.
const RATES = classRates({ inputPerMTok: '2.5', outputPerMTok: '10', cachedInputPerMTok: '1.25', cacheWritePerMTok: null, reasoningPerMTok: null });

function source(over: Partial<FocusSource> = {}): FocusSource {
  return {
    day: new Date('2026-11-03T00:00:00Z'),
    orgId: 'org-1',
    orgName: 'Acme',
    project: 'web',
    projectName: 'Web shop',
    workload: 'chat',
    environment: 'production',
    provider: 'openai',
    modelId: 'gpt-4o',
    serviceTier: 'default',
    requests: 3,
    unpricedRequests: 0,
    // 1,000 input of which 400 cached; 300 output of which 100 reasoning.
    tokens: tokens({ inputTokens: 1000, cachedInputTokens: 400, outputTokens: 300, reasoningTokens: 100 }),
    costUsd: '0.005',
    costBasis: 'computed',
    appliedRates: RATES,
    listRates: RATES,
    ...over,
  };
}

describe('classQuantities', () => {
  it('slices 1,000 input (400 cached, 50 cache writes of which 20 1h, 30 audio) and 300 output (100 reasoning, 40 audio) into disjoint classes summing to 1,300 tokens', () => {
    const q = classQuantities(
      tokens({ inputTokens: 1000, cachedInputTokens: 400, cacheWriteTokens: 50, cacheWrite1hTokens: 20, audioInputTokens: 30, cachedAudioInputTokens: 10, outputTokens: 300, reasoningTokens: 100, audioOutputTokens: 40 }),
    );
    expect(q).toEqual({
      input: 520, input_audio: 30, input_image: 0, input_video: 0, cached_input: 390, cached_input_audio: 10,
      cache_write_5m: 30, cache_write_1h: 20, output: 160, output_audio: 40, reasoning: 100,
    });
    expect(Object.values(q).reduce((a, b) => a + b, 0)).toBe(1300);
  });
});

describe('classRates', () => {
  it('falls back like cost.ts: cached/cache write -> input, 1h write -> cache write, audio -> its base class, reasoning -> output', () => {
    const r = classRates({ inputPerMTok: '3', outputPerMTok: '15', cachedInputPerMTok: '0.3', cacheWritePerMTok: '3.75', reasoningPerMTok: null, cacheWrite1hPerMTok: '6' });
    expect(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.toFixed()]))).toEqual({
      input: '3', input_audio: '3', input_image: '3', input_video: '3', cached_input: '0.3', cached_input_audio: '0.3',
      cache_write_5m: '3.75', cache_write_1h: '6', output: '15', output_audio: '15', reasoning: '15',
    });
  });
});

describe('splitExact', () => {
  const w = (key: string, n: number) => ({ key, weight: new Money(n) });
  it('splits $0.005 by weights 1500:500:2000:1000 into 0.0015 / 0.0005 / 0.002 / 0.001', () => {
    const s = splitExact('0.005', [w('a', 1500), w('b', 500), w('c', 2000), w('d', 1000)]);
    expect([...s.values()].map((d) => d.toFixed())).toEqual(['0.0015', '0.0005', '0.002', '0.001']);
  });
  it('splits $0.000000000007 (7e-12) by 3:1:4:2: 2e-12, 1e-12, 1e-12 rounded to 12 places, the largest (4) takes the remainder 3e-12; sum exact', () => {
    const s = splitExact('0.000000000007', [w('a', 3), w('b', 1), w('c', 4), w('d', 2)]);
    expect([...s.values()].map((d) => d.toFixed())).toEqual(['0.000000000002', '0.000000000001', '0.000000000003', '0.000000000001']);
    expect([...s.values()].reduce((a, b) => a.plus(b), new Money(0)).toFixed()).toBe('0.000000000007');
  });
  it('splits $0.00000000001 three ways equally: 3e-12 each and the first (tie) takes 4e-12', () => {
    const s = splitExact('0.00000000001', [w('a', 1), w('b', 1), w('c', 1)]);
    expect([...s.values()].map((d) => d.toFixed())).toEqual(['0.000000000004', '0.000000000003', '0.000000000003']);
  });
  it('splits $1 by 1:1:1 into 0.333333333333 / 0.333333333333 and the remainder 0.333333333334 on the first', () => {
    const s = splitExact('1', [w('a', 1), w('b', 1), w('c', 1)]);
    expect([...s.values()].map((d) => d.toFixed())).toEqual(['0.333333333334', '0.333333333333', '0.333333333333']);
  });
  it('with every weight 0 splits by the fallback weights (tokens): $0.9 over 100:200 tokens -> 0.3 / 0.6', () => {
    const s = splitExact('0.9', [{ key: 'a', weight: new Money(0), fallback: new Money(100) }, { key: 'b', weight: new Money(0), fallback: new Money(200) }]);
    expect([...s.values()].map((d) => d.toFixed())).toEqual(['0.3', '0.6']);
  });
});

describe('focusRows', () => {
  it('one row per class with tokens: 600 input $0.0015, 400 cached $0.0005, 200 output $0.002, 100 reasoning $0.001 = the rollup\'s $0.005', () => {
    const rows = focusRows(source());
    expect(rows.map((r) => [r.x_TokenClass, r.ConsumedQuantity, r.PricingQuantity, r.BilledCost, r.ListCost])).toEqual([
      ['input', '600', '0.0006', '0.0015', '0.0015'],
      ['cached_input', '400', '0.0004', '0.0005', '0.0005'],
      ['output', '200', '0.0002', '0.002', '0.002'],
      ['reasoning', '100', '0.0001', '0.001', '0.001'],
    ]);
    const sum = rows.reduce((a, r) => a.plus(r.BilledCost as string), new Money(0));
    expect(sum.toFixed()).toBe('0.005');
  });

  it('a 10% provider discount: billed $0.0045 split 0.00135 / 0.00045 / 0.0018 / 0.0009, list stays 0.0015 / 0.0005 / 0.002 / 0.001, contracted = effective = billed', () => {
    const rows = focusRows(source({ costUsd: '0.0045' }));
    expect(rows.map((r) => [r.BilledCost, r.ContractedCost, r.EffectiveCost, r.ListCost])).toEqual([
      ['0.00135', '0.00135', '0.00135', '0.0015'],
      ['0.00045', '0.00045', '0.00045', '0.0005'],
      ['0.0018', '0.0018', '0.0018', '0.002'],
      ['0.0009', '0.0009', '0.0009', '0.001'],
    ]);
  });

  it('an odd cost ($0.0050000000017): 0.3 share 0.00150000000051 -> 0.001500000001, 0.1 -> 0.0005, 0.2 -> 0.001 (12 dp), output (largest) takes 0.0020000000007; sum exact', () => {
    const rows = focusRows(source({ costUsd: '0.0050000000017' }));
    expect(rows.map((r) => r.BilledCost)).toEqual(['0.001500000001', '0.0005', '0.0020000000007', '0.001']);
    expect(rows.reduce((a, r) => a.plus(r.BilledCost as string), new Money(0)).toFixed()).toBe('0.0050000000017');
  });

  it('unpriced usage: costs 0 (never invented), list cost 0, x_Unpriced true, quantities still the real tokens', () => {
    const rows = focusRows(source({ costUsd: '0', unpricedRequests: 3, appliedRates: null, listRates: null }));
    expect(rows.map((r) => [r.ConsumedQuantity, r.BilledCost, r.ListCost, r.x_Unpriced])).toEqual([
      ['600', '0', '0', true],
      ['400', '0', '0', true],
      ['200', '0', '0', true],
      ['100', '0', '0', true],
    ]);
  });

  it('FOCUS fields: periods (start inclusive, end = start + 1 day), billing month, Usage, null ChargeClass, SKU ids, project as sub account, tags as a JSON object', () => {
    const r = focusRows(source({ serviceTier: 'batch', costUsd: '0.0025' }))[1];
    expect(r).toMatchObject({
      ChargePeriodStart: '2026-11-03T00:00:00Z',
      ChargePeriodEnd: '2026-11-04T00:00:00Z',
      BillingPeriodStart: '2026-11-01T00:00:00Z',
      BillingPeriodEnd: '2026-12-01T00:00:00Z',
      ChargeCategory: 'Usage',
      ChargeClass: null,
      BillingCurrency: 'USD',
      ServiceCategory: 'AI and Machine Learning',
      ProviderName: 'OpenAI',
      PublisherName: 'OpenAI',
      InvoiceIssuerName: 'OpenAI',
      SkuId: 'gpt-4o',
      SkuPriceId: 'gpt-4o:cached_input:batch',
      SubAccountId: 'web',
      SubAccountName: 'Web shop',
      PricingUnit: '1000000 Tokens',
      ConsumedUnit: 'Tokens',
      x_ServiceTier: 'batch',
      x_TokenClass: 'cached_input',
    });
    expect(JSON.parse(r.Tags as string)).toEqual({ workload: 'chat', environment: 'production', project: 'web' });
    expect(focusRows(source({ project: '' }))[0]).toMatchObject({ SubAccountId: null, SubAccountName: null });
  });

  it('no tokens and no cost: no row; a provider cost on zero tokens: one input row with quantity 0', () => {
    expect(focusRows(source({ tokens: tokens({}), costUsd: '0' }))).toEqual([]);
    const rows = focusRows(source({ tokens: tokens({}), costUsd: '0.02', costBasis: 'provider' }));
    expect(rows.map((r) => [r.x_TokenClass, r.ConsumedQuantity, r.BilledCost])).toEqual([['input', '0', '0.02']]);
  });
});

describe('formats', () => {
  it('date/time without fractional seconds; decimals plain (no exponent), e.g. 7e-12 -> 0.000000000007', () => {
    expect(focusDateTime(new Date('2026-01-31T00:00:00.000Z'))).toBe('2026-01-31T00:00:00Z');
    expect(focusDecimal(new Money('7e-12'))).toBe('0.000000000007');
    expect(focusDecimal(new Money('1500'))).toBe('1500');
  });
  it('parties: a Llama model on Together is published by Meta and invoiced by Together AI', () => {
    expect(parties('together', 'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo')).toEqual({ provider: 'Together AI', service: 'Together AI Inference', invoiceIssuer: 'Together AI', publisher: 'Meta' });
    expect(parties('anthropic', 'claude-sonnet-4.5').publisher).toBe('Anthropic');
  });
});

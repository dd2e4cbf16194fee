import { API_OFFERS_JSON } from '../../catalog/reference-data.js';
import { readApiOffers } from '../economics/api-offers.js';
import { priceEvent, type PriceEventInput, type PricedEvent } from './cost.js';
import type { ClassRates, PriceOverride, PriceVersion, ServiceTier } from './price.js';
import { serviceTierFromReported, serviceTierPricing } from './service-tier.js';
import type { CanonicalUsage } from './usage.js';

const AT = new Date('2026-01-15T12:00:00Z');
const T0 = new Date('2025-01-01T00:00:00Z');
const OFFERS = readApiOffers(API_OFFERS_JSON).tiers;

function version(patch: Partial<PriceVersion> = {}): PriceVersion {
  return {
    id: 'pv',
    modelId: 'm',
    provider: 'acme',
    inputPerMTok: '1',
    outputPerMTok: '4',
    cachedInputPerMTok: null,
    cacheWritePerMTok: null,
    reasoningPerMTok: null,
    tiers: [],
    effectiveFrom: T0,
    effectiveTo: null,
    source: 'test',
    ...patch,
  };
}

function usage(input: number, output: number, more: Partial<CanonicalUsage> = {}): CanonicalUsage {
  return { inputTokens: input, outputTokens: output, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, ...more };
}

function event(u: CanonicalUsage, patch: Partial<PriceEventInput> = {}): PriceEventInput {
  return { usage: u, requests: 1, at: AT, provider: 'acme', modelId: 'm', ...patch };
}

function priced(result: ReturnType<typeof priceEvent>): PricedEvent {
  if (!result.priced) throw new Error(`expected a price, got ${result.reason}: ${result.detail}`);
  return result;
}

function sumOfBreakdown(r: PricedEvent): string {
  return Object.values(r.breakdown)
    .reduce((a, x) => a.plus(x), r.costUsd.minus(r.costUsd))
    .toFixed();
}

describe('priceEvent: token classes priced apart (USD per 1M tokens, hand-worked)', () => {
  it.each<[string, Partial<PriceVersion> & ClassRates, CanonicalUsage, string]>([
    [
      'audio input: 6,000 text × $0.30 + 4,000 audio × $1.00 + 1,000 out × $2.50 = $0.0018 + $0.004 + $0.0025 = $0.0083',
      { inputPerMTok: '0.3', outputPerMTok: '2.5', inputAudioPerMTok: '1' },
      usage(10_000, 1_000, { audioInputTokens: 4_000 }),
      '0.0083',
    ],
    [
      'audio input without its own rate: 10,000 × $0.30 + 1,000 × $2.50 = $0.0055',
      { inputPerMTok: '0.3', outputPerMTok: '2.5' },
      usage(10_000, 1_000, { audioInputTokens: 4_000 }),
      '0.0055',
    ],
    [
      'cached audio: 1,000 fresh × $0.30 + 1,000 cached text × $0.075 + 1,000 cached audio × $0.25 = $0.000625',
      { inputPerMTok: '0.3', outputPerMTok: '2.5', cachedInputPerMTok: '0.075', cachedInputAudioPerMTok: '0.25' },
      usage(3_000, 0, { cachedInputTokens: 2_000, cachedAudioInputTokens: 1_000 }),
      '0.000625',
    ],
    [
      'cached audio without its own rate follows the cached rate: 1,000 × $0.30 + 2,000 × $0.075 = $0.00045',
      { inputPerMTok: '0.3', outputPerMTok: '2.5', cachedInputPerMTok: '0.075' },
      usage(3_000, 0, { cachedInputTokens: 2_000, cachedAudioInputTokens: 1_000 }),
      '0.00045',
    ],
    [
      '1h cache writes: 1,000 × $3 + 4,000 (5m) × $3.75 + 5,000 (1h) × $6 + 500 × $15 = $0.003 + $0.015 + $0.03 + $0.0075 = $0.0555',
      { inputPerMTok: '3', outputPerMTok: '15', cacheWritePerMTok: '3.75', cacheWrite1hPerMTok: '6' },
      usage(10_000, 500, { cacheWriteTokens: 9_000, cacheWrite1hTokens: 5_000 }),
      '0.0555',
    ],
    [
      '1h cache writes without a 1h rate: 9,000 × $3.75 + 1,000 × $3 + 500 × $15 = $0.04425',
      { inputPerMTok: '3', outputPerMTok: '15', cacheWritePerMTok: '3.75' },
      usage(10_000, 500, { cacheWriteTokens: 9_000, cacheWrite1hTokens: 5_000 }),
      '0.04425',
    ],
    [
      'audio output: 500 text × $10 + 1,500 audio × $80 = $0.005 + $0.12 = $0.125',
      { inputPerMTok: '2.5', outputPerMTok: '10', outputAudioPerMTok: '80' },
      usage(0, 2_000, { audioOutputTokens: 1_500 }),
      '0.125',
    ],
    [
      'image and video: 500 text × $1 + 1,000 image × $2 + 500 video × $3 = $0.0005 + $0.002 + $0.0015 = $0.004',
      { inputPerMTok: '1', outputPerMTok: '4', inputImagePerMTok: '2', inputVideoPerMTok: '3' },
      usage(2_000, 0, { imageInputTokens: 1_000, videoInputTokens: 500 }),
      '0.004',
    ],
    [
      'long-context tier scales the audio rate: 200,000 text × $2.50 + 100,000 audio × ($2.50 × 2.50/1.25 = $5) = $0.5 + $0.5 = $1',
      { inputPerMTok: '1.25', outputPerMTok: '10', inputAudioPerMTok: '2.5', tiers: [{ aboveInputTokens: 200_000, inputPerMTok: '2.5', outputPerMTok: '15' }] },
      usage(300_000, 0, { audioInputTokens: 100_000 }),
      '1',
    ],
    [
      "long-context tier's own audio rate wins: 200,000 × $2.50 + 100,000 × $4 = $0.9",
      {
        inputPerMTok: '1.25',
        outputPerMTok: '10',
        inputAudioPerMTok: '2.5',
        tiers: [{ aboveInputTokens: 200_000, inputPerMTok: '2.5', outputPerMTok: '15', inputAudioPerMTok: '4' }],
      },
      usage(300_000, 0, { audioInputTokens: 100_000 }),
      '0.9',
    ],
    [
      'long-context tier without a base 1h rate: 1h writes follow the tier cache-write rate 3.75 × 6/3 = 7.5; 300,000 × $7.50 = $2.25',
      { inputPerMTok: '3', outputPerMTok: '15', cacheWritePerMTok: '3.75', tiers: [{ aboveInputTokens: 200_000, inputPerMTok: '6', outputPerMTok: '22.5' }] },
      usage(300_000, 0, { cacheWriteTokens: 300_000, cacheWrite1hTokens: 100_000 }),
      '2.25',
    ],
    [
      'long-context tier scales the base 1h rate: 200,000 × $7.50 + 100,000 × ($6 × 6/3 = $12) = $1.5 + $1.2 = $2.7',
      { inputPerMTok: '3', outputPerMTok: '15', cacheWritePerMTok: '3.75', cacheWrite1hPerMTok: '6', tiers: [{ aboveInputTokens: 200_000, inputPerMTok: '6', outputPerMTok: '22.5' }] },
      usage(300_000, 0, { cacheWriteTokens: 300_000, cacheWrite1hTokens: 100_000 }),
      '2.7',
    ],
  ])('%s', (_name, patch, u, cost) => {
    const r = priced(priceEvent(event(u), [version(patch)], []));
    expect(r.costUsd.toFixed()).toBe(cost);
    expect(sumOfBreakdown(r)).toBe(cost);
  });

  it('breakdown names each class: 1h $0.03, 5m $0.015, fresh $0.003, output $0.0075', () => {
    const v = version({ inputPerMTok: '3', outputPerMTok: '15', cacheWritePerMTok: '3.75', cacheWrite1hPerMTok: '6' });
    const r = priced(priceEvent(event(usage(10_000, 500, { cacheWriteTokens: 9_000, cacheWrite1hTokens: 5_000 })), [v], []));
    expect(r.breakdown.cacheWrite1hUsd.toFixed()).toBe('0.03');
    expect(r.breakdown.cacheWriteUsd.toFixed()).toBe('0.015');
    expect(r.breakdown.inputUsd.toFixed()).toBe('0.003');
    expect(r.breakdown.outputUsd.toFixed()).toBe('0.0075');
    expect(r.rates.cacheWrite1hPerMTok.toFixed()).toBe('6');
  });

  it('a 20% discount scales the classes too: $0.0083 × 0.8 = $0.00664', () => {
    const disc: PriceOverride = { kind: 'discount', id: 'd', provider: 'acme', percent: '20', effectiveFrom: T0, effectiveTo: null };
    const v = version({ inputPerMTok: '0.3', outputPerMTok: '2.5', inputAudioPerMTok: '1' });
    expect(priced(priceEvent(event(usage(10_000, 1_000, { audioInputTokens: 4_000 })), [v], [disc])).costUsd.toFixed()).toBe('0.00664');
  });

  it.each<[string, CanonicalUsage, RegExp]>([
    ['1h writes 6 > writes 5', usage(10, 0, { cacheWriteTokens: 5, cacheWrite1hTokens: 6 }), /cacheWrite1hTokens exceed cacheWriteTokens/],
    ['audio 4 + image 4 > fresh 7', usage(10, 0, { cachedInputTokens: 3, audioInputTokens: 4, imageInputTokens: 4 }), /exceed the fresh input/],
    ['cached audio 4 > cached 3', usage(10, 0, { cachedInputTokens: 3, cachedAudioInputTokens: 4 }), /cachedAudioInputTokens exceed/],
    ['audio out 5 > output 8 - reasoning 4', usage(0, 8, { reasoningTokens: 4, audioOutputTokens: 5 }), /audioOutputTokens exceed/],
    ['audio -1', usage(10, 0, { audioInputTokens: -1 }), /audioInputTokens must be an integer/],
  ])('invalid_usage: %s', (_name, u, detail) => {
    const r = priceEvent(event(u), [version()], []);
    expect(r).toMatchObject({ priced: false, reason: 'invalid_usage' });
    expect(!r.priced && r.detail).toMatch(detail);
  });

  it('invalid_price: a non-numeric class rate is refused by name', () => {
    const r = priceEvent(event(usage(10, 0)), [version({ inputAudioPerMTok: 'abc' })], []);
    expect(r).toMatchObject({ priced: false, reason: 'invalid_price' });
    expect(!r.priced && r.detail).toMatch(/inputAudioPerMTok must be/);
  });

  it('events without class counts (stored before they existed) cost what they did: 10,000 × $0.30 + 1,000 × $2.50 = $0.0055', () => {
    const v = version({ inputPerMTok: '0.3', outputPerMTok: '2.5', inputAudioPerMTok: '1', cacheWrite1hPerMTok: '9' });
    expect(priced(priceEvent(event(usage(10_000, 1_000)), [v], [])).costUsd.toFixed()).toBe('0.0055');
  });
});

describe('priceEvent: service tiers from src/reference/api-offers.json', () => {
  const gpt4o = version({ id: 'gpt4o', modelId: 'gpt-4o', provider: 'openai', inputPerMTok: '2.5', cachedInputPerMTok: '1.25', outputPerMTok: '10' });
  const o3 = version({ id: 'o3', modelId: 'o3', provider: 'openai', inputPerMTok: '2', cachedInputPerMTok: '0.5', outputPerMTok: '8' });
  const sonnet = version({ id: 's', modelId: 'claude-sonnet-4-5', provider: 'anthropic', inputPerMTok: '3', cachedInputPerMTok: '0.3', cacheWritePerMTok: '3.75', outputPerMTok: '15' });
  // 10,000 in of which 4,000 cached, 1,000 out.
  const openaiUsage = usage(10_000, 1_000, { cachedInputTokens: 4_000 });
  const run = (v: PriceVersion, u: CanonicalUsage, tier: ServiceTier, overrides: PriceOverride[] = []) =>
    priced(priceEvent(event(u, { provider: v.provider, modelId: v.modelId, serviceTier: tier }), [v], overrides, OFFERS));

  it('gpt-4o default: 6,000 × $2.50 + 4,000 × $1.25 + 1,000 × $10 = $0.015 + $0.005 + $0.01 = $0.03', () => {
    const r = run(gpt4o, openaiUsage, 'default');
    expect(r.costUsd.toFixed()).toBe('0.03');
    expect(r.serviceTier).toMatchObject({ tier: 'default', priced: true, source: null, reason: null });
  });

  it('gpt-4o batch (50%, cached input not stated so kept): $0.0075 + $0.005 + $0.005 = $0.0175, source openai_batch_faq', () => {
    const r = run(gpt4o, openaiUsage, 'batch');
    expect(r.costUsd.toFixed()).toBe('0.0175');
    expect(r.breakdown.cachedInputUsd.toFixed()).toBe('0.005');
    expect(r.serviceTier).toMatchObject({ tier: 'batch', priced: true, source: 'openai_batch_faq', cachedInputDiscounted: false });
    expect(r.serviceTier.discountFraction.toFixed()).toBe('0.5');
  });

  it('o3 flex (50%, cached input discounted too): ($0.012 + $0.002 + $0.008) × 0.5 = $0.011', () => {
    const r = run(o3, openaiUsage, 'flex');
    expect(r.costUsd.toFixed()).toBe('0.011');
    expect(r.serviceTier).toMatchObject({ priced: true, source: 'openai_flex_guide', cachedInputDiscounted: true });
  });

  it('gpt-4o flex is not sourced (flex lists o3, o4-mini): standard $0.03, flagged', () => {
    const r = run(gpt4o, openaiUsage, 'flex');
    expect(r.costUsd.toFixed()).toBe('0.03');
    expect(r.serviceTier.priced).toBe(false);
    expect(r.serviceTier.reason).toMatch(/no sourced flex price for openai\/gpt-4o/);
  });

  it('priority has no sourced price anywhere: standard $0.03, flagged', () => {
    const r = run(gpt4o, openaiUsage, 'priority');
    expect(r.costUsd.toFixed()).toBe('0.03');
    expect(r.serviceTier).toMatchObject({ tier: 'priority', priced: false });
    expect(r.serviceTier.reason).toMatch(/priced at standard rates/);
  });

  it('anthropic batch discounts cache reads and writes: ($0.006 + $0.0018 + $0.0075 + $0.015) × 0.5 = $0.01515', () => {
    const r = run(sonnet, usage(10_000, 1_000, { cachedInputTokens: 6_000, cacheWriteTokens: 2_000 }), 'batch');
    expect(r.costUsd.toFixed()).toBe('0.01515');
    expect(r.serviceTier.source).toBe('anthropic_batch_docs');
  });

  it('a 10% org discount stacks on batch: $0.0175 × 0.9 = $0.01575', () => {
    const disc: PriceOverride = { kind: 'discount', id: 'd', provider: 'openai', percent: '10', effectiveFrom: T0, effectiveTo: null };
    expect(run(gpt4o, openaiUsage, 'batch', [disc]).costUsd.toFixed()).toBe('0.01575');
  });

  it('a custom price applies as is to batch ($1 / $4: 10,000 × $1 + 1,000 × $4 = $0.014) and says so', () => {
    const custom: PriceOverride = { ...version({ id: 'c', modelId: 'gpt-4o' }), kind: 'custom' };
    const r = run(gpt4o, openaiUsage, 'batch', [custom]);
    expect(r.costUsd.toFixed()).toBe('0.014');
    expect(r.serviceTier.priced).toBe(false);
    expect(r.serviceTier.reason).toMatch(/custom price/);
  });

  it('a provider the offers do not list is standard and flagged for batch (mistral)', () => {
    const t = serviceTierPricing('batch', 'mistral', 'mistral-large', OFFERS);
    expect(t).toMatchObject({ priced: false });
    expect(t.discountFraction.toFixed()).toBe('0');
  });

  it.each<[unknown, ServiceTier | null]>([
    ['default', 'default'],
    ['standard', 'default'],
    ['auto', 'default'],
    ['scale', 'default'],
    ['batch', 'batch'],
    ['flex', 'flex'],
    ['priority', 'priority'],
    ['turbo', null],
    ['PRIORITY', null],
    ['__proto__', null],
    [3, null],
  ])('provider value %p → %p', (v, tier) => {
    expect(serviceTierFromReported(v)).toBe(tier);
  });
});

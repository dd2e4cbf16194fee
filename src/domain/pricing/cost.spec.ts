import { referencePriceVersions } from '../../../test/builders/reference.js';
import { Money } from '../money.js';
import { priceEvent, type PriceEventInput, type PricedEvent } from './cost.js';
import { resolveCatalogModel } from './model-resolver.js';
import type { PriceOverride, PriceTier, PriceVersion } from './price.js';
import { normalizeUsage, type CanonicalUsage } from './usage.js';

const AT = new Date('2026-01-15T12:00:00Z');
const T0 = new Date('2025-01-01T00:00:00Z');

function usage(input: number, output: number, cached = 0, cacheWrite = 0, reasoning = 0): CanonicalUsage {
  return { inputTokens: input, outputTokens: output, cachedInputTokens: cached, cacheWriteTokens: cacheWrite, reasoningTokens: reasoning };
}

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

function event(u: CanonicalUsage, patch: Partial<PriceEventInput> = {}): PriceEventInput {
  return { usage: u, requests: 1, at: AT, provider: 'acme', modelId: 'm', ...patch };
}

function priced(result: ReturnType<typeof priceEvent>): PricedEvent {
  if (!result.priced) throw new Error(`expected a price, got ${result.reason}: ${result.detail}`);
  return result;
}

const discount = (percent: string, patch: Partial<PriceOverride> = {}): PriceOverride =>
  ({ kind: 'discount', id: `disc-${percent}`, provider: 'acme', percent, effectiveFrom: T0, effectiveTo: null, ...patch }) as PriceOverride;

describe('priceEvent: rejected inputs return error values', () => {
  it.each<[string, PriceEventInput, RegExp]>([
    ['requests 0', event(usage(10, 10), { requests: 0 }), /requests must be an integer >= 1/],
    ['requests 1.5', event(usage(10, 10), { requests: 1.5 }), /requests must be an integer >= 1/],
    ['cached 8 + write 3 > input 10', event(usage(10, 1, 8, 3)), /exceed inputTokens/],
    ['reasoning 5 > output 4', event(usage(10, 4, 0, 0, 5)), /reasoningTokens exceed outputTokens/],
    ['negative input -1', event(usage(-1, 4)), /inputTokens must be an integer/],
    ['NaN output', event(usage(1, Number.NaN)), /outputTokens must be an integer/],
    ['input above 10,000,000,000', event(usage(10_000_000_001, 0)), /inputTokens must be an integer from 0 to 10,000,000,000/],
  ])('invalid_usage: %s', (_name, input, detail) => {
    const r = priceEvent(input, [version()], []);
    expect(r).toMatchObject({ priced: false, reason: 'invalid_usage' });
    expect(!r.priced && r.detail).toMatch(detail);
  });

  it.each<[string, PriceVersion, PriceOverride[], RegExp]>([
    ['non-numeric input price "abc"', version({ inputPerMTok: 'abc' }), [], /inputPerMTok must be a finite non-negative/],
    ['negative output price -4', version({ outputPerMTok: '-4' }), [], /outputPerMTok must be/],
    ['NaN cached price', version({ cachedInputPerMTok: Number.NaN }), [], /cachedInputPerMTok must be/],
    ['tier threshold NaN', version({ tiers: [{ aboveInputTokens: Number.NaN, inputPerMTok: '2', outputPerMTok: '8' }] }), [], /tier threshold/],
    ['tier output price "x"', version({ tiers: [{ aboveInputTokens: 5, inputPerMTok: '2', outputPerMTok: 'x' }] }), [], /tier outputPerMTok/],
    ['discount 120%', version(), [discount('120')], /percent must be within 0\.\.100/],
    ['discount -5%', version(), [discount('-5')], /percent must be within 0\.\.100/],
  ])('invalid_price: %s', (_name, v, overrides, detail) => {
    const r = priceEvent(event(usage(10, 10)), [v], overrides);
    expect(r).toMatchObject({ priced: false, reason: 'invalid_price' });
    expect(!r.priced && r.detail).toMatch(detail);
  });

  it('an invalid discount is irrelevant when a custom price applies (discounts only touch catalog prices)', () => {
    const custom: PriceOverride = { ...version({ id: 'c' }), kind: 'custom' };
    expect(priced(priceEvent(event(usage(1_000_000, 0)), [version()], [custom, discount('120')])).costUsd.toFixed()).toBe('1');
  });
});

describe('priceEvent: rules behind the golden table', () => {
  it('breakdown of claude-sonnet-4.5 10,000 in (4,000 cached, 2,000 written) + 1,000 out: $0.012 + $0.0012 + $0.0075 + $0.015', () => {
    const v = version({ inputPerMTok: '3', outputPerMTok: '15', cachedInputPerMTok: '0.3', cacheWritePerMTok: '3.75' });
    const r = priced(priceEvent(event(usage(10_000, 1_000, 4_000, 2_000)), [v], []));
    const b = r.breakdown;
    expect([b.inputUsd, b.cachedInputUsd, b.cacheWriteUsd, b.outputUsd, b.reasoningUsd].map((d) => d.toFixed())).toEqual([
      '0.012',
      '0.0012',
      '0.0075',
      '0.015',
      '0',
    ]);
  });

  it('20% discount scales every breakdown line: $0.012 → $0.0096, $0.015 → $0.012', () => {
    const v = version({ inputPerMTok: '3', outputPerMTok: '15' });
    const r = priced(priceEvent(event(usage(4_000, 1_000)), [v], [discount('20')]));
    expect([r.breakdown.inputUsd.toFixed(), r.breakdown.outputUsd.toFixed(), r.costUsd.toFixed()]).toEqual(['0.0096', '0.012', '0.0216']);
  });

  it('tier rates derived from base: cached 0.3 × 6/3 = 0.6, write 3.75 × 6/3 = 7.5', () => {
    const tiers: PriceTier[] = [{ aboveInputTokens: 200_000, inputPerMTok: '6', outputPerMTok: '22.5' }];
    const v = version({ inputPerMTok: '3', outputPerMTok: '15', cachedInputPerMTok: '0.3', cacheWritePerMTok: '3.75', tiers });
    const r = priced(priceEvent(event(usage(300_000, 0)), [v], []));
    const { inputPerMTok, cachedInputPerMTok, cacheWritePerMTok, outputPerMTok, reasoningPerMTok } = r.rates;
    expect([inputPerMTok, cachedInputPerMTok, cacheWritePerMTok, outputPerMTok, reasoningPerMTok].map((d) => d?.toFixed() ?? null)).toEqual(['6', '0.6', '7.5', '22.5', null]);
  });

  it.each<[string, PriceVersion, CanonicalUsage, string, number | null]>([
    [
      'tier with its own cached rate 0.5: 300,000 in (100,000 cached): 200,000×6 + 100,000×0.5 = $1.25',
      version({ inputPerMTok: '3', cachedInputPerMTok: '0.3', tiers: [{ aboveInputTokens: 200_000, inputPerMTok: '6', outputPerMTok: '22.5', cachedInputPerMTok: '0.5' }] }),
      usage(300_000, 0, 100_000),
      '1.25',
      200_000,
    ],
    [
      'highest matching tier wins (tiers listed out of order): 600,000 in at >500k rate 3 = $1.8',
      version({
        tiers: [
          { aboveInputTokens: 500_000, inputPerMTok: '3', outputPerMTok: '12' },
          { aboveInputTokens: 100_000, inputPerMTok: '2', outputPerMTok: '8' },
        ],
      }),
      usage(600_000, 0),
      '1.8',
      500_000,
    ],
    [
      'lower tier only: 150,000 in at >100k rate 2 + 1,000 out at 8 = $0.308',
      version({
        tiers: [
          { aboveInputTokens: 500_000, inputPerMTok: '3', outputPerMTok: '12' },
          { aboveInputTokens: 100_000, inputPerMTok: '2', outputPerMTok: '8' },
        ],
      }),
      usage(150_000, 1_000),
      '0.308',
      100_000,
    ],
    [
      'tier scales a separate reasoning rate by output ratio 10 × 8/4 = 20: 200,000 in + 2,000 out (1,000 reasoning): 200,000×2 + 1,000×8 + 1,000×20 = $0.428',
      version({ reasoningPerMTok: '10', tiers: [{ aboveInputTokens: 100_000, inputPerMTok: '2', outputPerMTok: '8' }] }),
      usage(200_000, 2_000, 0, 0, 1_000),
      '0.428',
      100_000,
    ],
    [
      'free base (input 0): tier cached rate falls back to tier input 1: 20 in (10 cached): 10×1 + 10×1 = $0.00002',
      version({ inputPerMTok: '0', outputPerMTok: '0', tiers: [{ aboveInputTokens: 10, inputPerMTok: '1', outputPerMTok: '2' }] }),
      usage(20, 0, 10),
      '0.00002',
      10,
    ],
    [
      'Decimal prices work as well as strings: 1,000,000 in at 0.1 + 1,000,000 out at 0.2 = $0.3',
      version({ inputPerMTok: new Money('0.1'), outputPerMTok: new Money('0.2') }),
      usage(1_000_000, 1_000_000),
      '0.3',
      null,
    ],
  ])('%s', (_name, v, u, usd, tier) => {
    const r = priced(priceEvent(event(u), [v], []));
    expect(r.costUsd.toFixed()).toBe(usd);
    expect(r.tier).toBe(tier);
  });

  it('catalog rows for another model are ignored: unpriced', () => {
    expect(priceEvent(event(usage(1, 1)), [version({ modelId: 'other' })], [])).toMatchObject({ priced: false, reason: 'no_price' });
  });

  it('discount provider match ignores case: "OpenAI" event, "openai" discount 50% of $5 = $2.5', () => {
    const r = priced(priceEvent(event(usage(1_000_000, 1_000_000), { provider: 'OpenAI' }), [version()], [discount('50', { provider: 'openai' })]));
    expect(r.costUsd.toFixed()).toBe('2.5');
  });

  it('overlapping discounts do not stack: the latest effectiveFrom (10%) wins over 50%: $5 × 0.9 = $4.5', () => {
    const old = discount('50');
    const newer = discount('10', { effectiveFrom: new Date('2026-01-01T00:00:00Z') });
    const r = priced(priceEvent(event(usage(1_000_000, 1_000_000)), [version()], [newer, old]));
    expect([r.costUsd.toFixed(), r.appliedOverride]).toEqual(['4.5', 'disc-10']);
  });
});

describe('end to end: provider body → usage → model id → reference catalog → cost', () => {
  const versions = referencePriceVersions();
  const known = versions.map((v) => v.modelId);

  it.each<[string, string, string, unknown, string]>([
    [
      'Anthropic claude-sonnet-4-5-20250929, 188,107 in (188,086 written) + 393 out: 21×3 + 188,086×3.75 + 393×15 = $0.7112805',
      'anthropic',
      'claude-sonnet-4-5-20250929',
      { id: 'msg_1', type: 'message', usage: { input_tokens: 21, cache_creation_input_tokens: 188086, cache_read_input_tokens: 0, output_tokens: 393 } },
      '0.7112805',
    ],
    [
      'OpenAI o3-2025-04-16 chat, 2,006 in (1,920 cached) + 300 out (192 reasoning): 86×2 + 1,920×0.5 + 300×8 = $0.003532',
      'openai',
      'o3-2025-04-16',
      {
        object: 'chat.completion',
        usage: {
          prompt_tokens: 2006,
          completion_tokens: 300,
          total_tokens: 2306,
          prompt_tokens_details: { cached_tokens: 1920 },
          completion_tokens_details: { reasoning_tokens: 192 },
        },
      },
      '0.003532',
    ],
    [
      'Gemini models/gemini-2.5-pro, 12,034 in (10,240 cached) + 512 + 1,296 thoughts out: 1,794×1.25 + 10,240×0.125 + 1,808×10 = $0.0216025',
      'google',
      'models/gemini-2.5-pro',
      { usageMetadata: { promptTokenCount: 12034, candidatesTokenCount: 512, cachedContentTokenCount: 10240, thoughtsTokenCount: 1296, totalTokenCount: 13842 } },
      '0.0216025',
    ],
  ])('%s', (_name, provider, model, body, usd) => {
    const n = normalizeUsage(body);
    if (!n.ok) throw new Error(JSON.stringify(n.errors));
    const { modelId } = resolveCatalogModel(provider, model, known);
    const r = priced(
      priceEvent({ usage: n.usage, requests: 1, at: AT, provider, modelId }, versions.filter((v) => v.modelId === modelId && v.provider === provider), []),
    );
    expect(r.costUsd.toFixed()).toBe(usd);
  });
});

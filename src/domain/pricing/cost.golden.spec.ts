/*
 * Golden costs, worked by hand. Rates are USD per 1M tokens, so each term in a
 * test name is tokens × rate / 1,000,000. Catalog rows mirror
 * src/reference/economics.json (plus one hypothetical model with a separate
 * reasoning rate, and a gpt-5 price change at 2026-03-01T00:00:00Z).
 */
import { priceEvent } from './cost.js';
import type { PriceOverride, PriceTier, PriceVersion } from './price.js';
import type { CanonicalUsage } from './usage.js';

const T0 = '2025-01-01T00:00:00Z';
const CHANGE = '2026-03-01T00:00:00Z';
const AT = '2026-01-15T12:00:00Z';
const LONG_CONTEXT = (input: string, output: string): PriceTier[] => [{ aboveInputTokens: 200_000, inputPerMTok: input, outputPerMTok: output }];

function pv(
  id: string,
  modelId: string,
  provider: string,
  rates: [input: string, output: string, cached: string | null, cacheWrite: string | null, reasoning?: string | null],
  tiers: PriceTier[] = [],
  from = T0,
  to: string | null = null,
): PriceVersion {
  const [inputPerMTok, outputPerMTok, cachedInputPerMTok, cacheWritePerMTok, reasoningPerMTok = null] = rates;
  return {
    id,
    modelId,
    provider,
    inputPerMTok,
    outputPerMTok,
    cachedInputPerMTok,
    cacheWritePerMTok,
    reasoningPerMTok,
    tiers,
    effectiveFrom: new Date(from),
    effectiveTo: to === null ? null : new Date(to),
    source: 'golden',
  };
}

const CATALOG: PriceVersion[] = [
  pv('pv-gpt-4o', 'gpt-4o', 'openai', ['2.5', '10', '1.25', null]),
  pv('pv-gpt-4o-mini', 'gpt-4o-mini', 'openai', ['0.15', '0.6', '0.075', null]),
  pv('pv-o3', 'o3', 'openai', ['2', '8', '0.5', null]),
  pv('pv-gpt-5-old', 'gpt-5', 'openai', ['1.25', '10', '0.125', null], [], T0, CHANGE),
  pv('pv-gpt-5-new', 'gpt-5', 'openai', ['1', '8', '0.1', null], [], CHANGE),
  pv('pv-sonnet-4.5', 'claude-sonnet-4.5', 'anthropic', ['3', '15', '0.3', '3.75'], LONG_CONTEXT('6', '22.5')),
  pv('pv-haiku-4.5', 'claude-haiku-4.5', 'anthropic', ['1', '5', '0.1', '1.25']),
  pv('pv-gemini-2.5-pro', 'gemini-2.5-pro', 'google', ['1.25', '10', '0.125', null], LONG_CONTEXT('2.5', '15')),
  pv('pv-reasoner', 'reasoner-x', 'acme', ['1', '4', null, null, '10']),
  pv('pv-llama', 'llama-3.3-70b', 'together_ai', ['0.88', '0.88', null, null]),
];

const OPENAI_20: PriceOverride = {
  kind: 'discount',
  id: 'disc-openai-20',
  provider: 'openai',
  percent: '20',
  effectiveFrom: new Date(T0),
  effectiveTo: null,
};
const ANTHROPIC_20: PriceOverride = { ...OPENAI_20, id: 'disc-anthropic-20', provider: 'anthropic' };
const OPENAI_12_5: PriceOverride = { ...OPENAI_20, id: 'disc-openai-12.5', percent: '12.5' };
const OPENAI_EXPIRED: PriceOverride = { ...OPENAI_20, id: 'disc-openai-expired', effectiveTo: new Date('2025-12-31T00:00:00Z') };
const CUSTOM_GPT_4O: PriceOverride = {
  kind: 'custom',
  id: 'custom-gpt-4o',
  modelId: 'gpt-4o',
  inputPerMTok: '2',
  outputPerMTok: '8',
  cachedInputPerMTok: '0.5',
  cacheWritePerMTok: null,
  reasoningPerMTok: null,
  effectiveFrom: new Date(T0),
  effectiveTo: null,
};
const CUSTOM_GPT_4O_EXPIRED: PriceOverride = { ...CUSTOM_GPT_4O, id: 'custom-gpt-4o-expired', effectiveTo: new Date('2025-06-01T00:00:00Z') };
const CUSTOM_FINETUNE: PriceOverride = {
  ...CUSTOM_GPT_4O,
  id: 'custom-my-finetune',
  modelId: 'my-finetune',
  inputPerMTok: '3',
  outputPerMTok: '12',
  cachedInputPerMTok: null,
};

interface Golden {
  name: string;
  modelId: string;
  provider: string;
  /** [input, output, cached, cacheWrite, reasoning] in tokens; input and output include their subsets. */
  tokens: [number, number, number?, number?, number?];
  requests?: number;
  at?: string;
  overrides?: PriceOverride[];
  /** Exact USD, or null when the event must be unpriced. */
  usd: string | null;
  tier?: number | null;
  appliedOverride?: string | null;
  priceVersionId?: string;
}

const GOLDEN: Golden[] = [
  // plain input / output
  { name: 'gpt-4o 1,000,000 in + 1,000,000 out: 1M×2.5 + 1M×10 = $12.5', modelId: 'gpt-4o', provider: 'openai', tokens: [1_000_000, 1_000_000], usd: '12.5', tier: null, appliedOverride: null, priceVersionId: 'pv-gpt-4o' },
  { name: 'gpt-4o-mini 10,000 in + 2,000 out: 10,000×0.15 + 2,000×0.6 = $0.0027', modelId: 'gpt-4o-mini', provider: 'openai', tokens: [10_000, 2_000], usd: '0.0027' },
  { name: 'gpt-4o 1,234 in + 0 out: 1,234×2.5 = $0.003085', modelId: 'gpt-4o', provider: 'openai', tokens: [1_234, 0], usd: '0.003085' },
  { name: 'gpt-4o-mini 1 in + 0 out: 1×0.15 = $0.00000015', modelId: 'gpt-4o-mini', provider: 'openai', tokens: [1, 0], usd: '0.00000015' },
  // cached input
  { name: 'gpt-4o 1,000 in (200 cached) + 500 out: 800×2.5 + 200×1.25 + 500×10 = $0.00725', modelId: 'gpt-4o', provider: 'openai', tokens: [1_000, 500, 200], usd: '0.00725' },
  { name: 'gpt-4o 4,096 in (all 4,096 cached) + 100 out: 4,096×1.25 + 100×10 = $0.00612', modelId: 'gpt-4o', provider: 'openai', tokens: [4_096, 100, 4_096], usd: '0.00612' },
  { name: 'no cache rates (llama 0.88/0.88) 10,000 in (5,000 cached) + 1,000 out: cached at input rate 10,000×0.88 + 1,000×0.88 = $0.00968', modelId: 'llama-3.3-70b', provider: 'together_ai', tokens: [10_000, 1_000, 5_000], usd: '0.00968' },
  // Anthropic cache write / read
  { name: 'claude-sonnet-4.5 188,107 in (188,086 written) + 393 out: 21×3 + 188,086×3.75 + 393×15 = $0.7112805', modelId: 'claude-sonnet-4.5', provider: 'anthropic', tokens: [188_107, 393, 0, 188_086], usd: '0.7112805', tier: null },
  { name: 'claude-sonnet-4.5 188,107 in (188,086 cached) + 393 out: 21×3 + 188,086×0.3 + 393×15 = $0.0623838', modelId: 'claude-sonnet-4.5', provider: 'anthropic', tokens: [188_107, 393, 188_086], usd: '0.0623838' },
  { name: 'claude-sonnet-4.5 10,000 in (4,000 cached, 2,000 written) + 1,000 out: 4,000×3 + 4,000×0.3 + 2,000×3.75 + 1,000×15 = $0.0357', modelId: 'claude-sonnet-4.5', provider: 'anthropic', tokens: [10_000, 1_000, 4_000, 2_000], usd: '0.0357' },
  { name: 'claude-haiku-4.5 100,000 in (all written) + 0 out: 100,000×1.25 = $0.125', modelId: 'claude-haiku-4.5', provider: 'anthropic', tokens: [100_000, 0, 0, 100_000], usd: '0.125' },
  // reasoning
  { name: 'o3 2,000 in (1,000 cached) + 3,000 out (2,500 reasoning inside): 1,000×2 + 1,000×0.5 + 3,000×8 = $0.0265', modelId: 'o3', provider: 'openai', tokens: [2_000, 3_000, 1_000, 0, 2_500], usd: '0.0265' },
  { name: 'o3 1,000,000 in + 1,000,000 out (900,000 reasoning inside): 1M×2 + 1M×8 = $10', modelId: 'o3', provider: 'openai', tokens: [1_000_000, 1_000_000, 0, 0, 900_000], usd: '10' },
  { name: 'reasoning rate apart (1 / 4 / reasoning 10) 1,000 in + 3,000 out (2,000 reasoning): 1,000×1 + 1,000×4 + 2,000×10 = $0.025', modelId: 'reasoner-x', provider: 'acme', tokens: [1_000, 3_000, 0, 0, 2_000], usd: '0.025' },
  // long-context tiers
  { name: 'claude-sonnet-4.5 exactly 200,000 in + 1,000 out stays base: 200,000×3 + 1,000×15 = $0.615', modelId: 'claude-sonnet-4.5', provider: 'anthropic', tokens: [200_000, 1_000], usd: '0.615', tier: null },
  { name: 'claude-sonnet-4.5 200,001 in + 1,000 out, tier >200k: 200,001×6 + 1,000×22.5 = $1.222506', modelId: 'claude-sonnet-4.5', provider: 'anthropic', tokens: [200_001, 1_000], usd: '1.222506', tier: 200_000 },
  { name: 'claude-sonnet-4.5 tier, 300,000 in (100,000 cached, 50,000 written) + 2,000 out: 150,000×6 + 100,000×0.6 + 50,000×7.5 + 2,000×22.5 = $1.38', modelId: 'claude-sonnet-4.5', provider: 'anthropic', tokens: [300_000, 2_000, 100_000, 50_000], usd: '1.38', tier: 200_000 },
  { name: 'gemini-2.5-pro exactly 200,000 in + 10,000 out stays base: 200,000×1.25 + 10,000×10 = $0.35', modelId: 'gemini-2.5-pro', provider: 'google', tokens: [200_000, 10_000], usd: '0.35', tier: null },
  { name: 'gemini-2.5-pro 250,000 in + 10,000 out, tier >200k: 250,000×2.5 + 10,000×15 = $0.775', modelId: 'gemini-2.5-pro', provider: 'google', tokens: [250_000, 10_000], usd: '0.775', tier: 200_000 },
  { name: 'gemini-2.5-pro tier, 400,000 in (300,000 cached) + 5,000 out: 100,000×2.5 + 300,000×0.25 + 5,000×15 = $0.4', modelId: 'gemini-2.5-pro', provider: 'google', tokens: [400_000, 5_000, 300_000], usd: '0.4', tier: 200_000 },
  { name: 'gemini-2.5-pro 12,034 in (10,240 cached) + 1,808 out (1,296 thoughts): 1,794×1.25 + 10,240×0.125 + 1,808×10 = $0.0216025', modelId: 'gemini-2.5-pro', provider: 'google', tokens: [12_034, 1_808, 10_240, 0, 1_296], usd: '0.0216025' },
  // multi-request events: the tier is judged per request
  { name: 'claude-sonnet-4.5 2 requests, 300,000 in (150,000/request) + 2,000 out stays base: 300,000×3 + 2,000×15 = $0.93', modelId: 'claude-sonnet-4.5', provider: 'anthropic', tokens: [300_000, 2_000], requests: 2, usd: '0.93', tier: null },
  { name: 'claude-sonnet-4.5 2 requests, 400,000 in (exactly 200,000/request) + 2,000 out stays base: 400,000×3 + 2,000×15 = $1.23', modelId: 'claude-sonnet-4.5', provider: 'anthropic', tokens: [400_000, 2_000], requests: 2, usd: '1.23', tier: null },
  { name: 'claude-sonnet-4.5 2 requests, 400,002 in (200,001/request) + 2,000 out, tier: 400,002×6 + 2,000×22.5 = $2.445012', modelId: 'claude-sonnet-4.5', provider: 'anthropic', tokens: [400_002, 2_000], requests: 2, usd: '2.445012', tier: 200_000 },
  { name: 'claude-sonnet-4.5 3 requests, 600,001 in (200,000.33/request) + 0 out, tier: 600,001×6 = $3.600006', modelId: 'claude-sonnet-4.5', provider: 'anthropic', tokens: [600_001, 0], requests: 3, usd: '3.600006', tier: 200_000 },
  // provider discounts (catalog prices only)
  { name: 'openai 20% discount, gpt-4o 1,000 in (200 cached) + 500 out: $0.00725 × 0.8 = $0.0058', modelId: 'gpt-4o', provider: 'openai', tokens: [1_000, 500, 200], overrides: [OPENAI_20], usd: '0.0058', appliedOverride: 'disc-openai-20', priceVersionId: 'pv-gpt-4o' },
  { name: 'anthropic 20% discount, claude-sonnet-4.5 10,000 in (4,000 cached, 2,000 written) + 1,000 out: $0.0357 × 0.8 = $0.02856', modelId: 'claude-sonnet-4.5', provider: 'anthropic', tokens: [10_000, 1_000, 4_000, 2_000], overrides: [ANTHROPIC_20], usd: '0.02856', appliedOverride: 'disc-anthropic-20' },
  { name: 'anthropic discount leaves openai alone, gpt-4o 1,000 in (200 cached) + 500 out = $0.00725', modelId: 'gpt-4o', provider: 'openai', tokens: [1_000, 500, 200], overrides: [ANTHROPIC_20], usd: '0.00725', appliedOverride: null },
  { name: 'openai 12.5% discount, gpt-4o 1M in + 1M out: $12.5 × 0.875 = $10.9375', modelId: 'gpt-4o', provider: 'openai', tokens: [1_000_000, 1_000_000], overrides: [OPENAI_12_5], usd: '10.9375' },
  { name: 'discount that ended 2025-12-31 is not applied on 2026-01-15: gpt-4o 1M in + 1M out = $12.5', modelId: 'gpt-4o', provider: 'openai', tokens: [1_000_000, 1_000_000], overrides: [OPENAI_EXPIRED], usd: '12.5', appliedOverride: null },
  // custom prices
  { name: 'custom gpt-4o 2 / 8 / 0.5, 1,000 in (200 cached) + 500 out: 800×2 + 200×0.5 + 500×8 = $0.0057', modelId: 'gpt-4o', provider: 'openai', tokens: [1_000, 500, 200], overrides: [CUSTOM_GPT_4O], usd: '0.0057', appliedOverride: 'custom-gpt-4o', priceVersionId: 'custom-gpt-4o' },
  { name: 'custom + openai 20% discount: custom is already negotiated, no discount = $0.0057', modelId: 'gpt-4o', provider: 'openai', tokens: [1_000, 500, 200], overrides: [OPENAI_20, CUSTOM_GPT_4O], usd: '0.0057', appliedOverride: 'custom-gpt-4o', priceVersionId: 'custom-gpt-4o' },
  { name: 'custom gpt-4o does not touch gpt-4o-mini; discount applies: (10,000×0.15 + 2,000×0.6) × 0.8 = $0.00216', modelId: 'gpt-4o-mini', provider: 'openai', tokens: [10_000, 2_000], overrides: [CUSTOM_GPT_4O, OPENAI_20], usd: '0.00216', appliedOverride: 'disc-openai-20', priceVersionId: 'pv-gpt-4o-mini' },
  { name: 'custom price that ended 2025-06-01 falls back to catalog: gpt-4o 1M in + 1M out = $12.5', modelId: 'gpt-4o', provider: 'openai', tokens: [1_000_000, 1_000_000], overrides: [CUSTOM_GPT_4O_EXPIRED], usd: '12.5', appliedOverride: null, priceVersionId: 'pv-gpt-4o' },
  { name: 'custom price for a model the catalog lacks (my-finetune 3 / 12), 1,000 in + 1,000 out: 1,000×3 + 1,000×12 = $0.015', modelId: 'my-finetune', provider: 'openai', tokens: [1_000, 1_000], overrides: [CUSTOM_FINETUNE], usd: '0.015', priceVersionId: 'custom-my-finetune' },
  // unpriced is never $0
  { name: 'my-finetune with no price and no custom price → unpriced, not $0', modelId: 'my-finetune', provider: 'openai', tokens: [1_000, 1_000], usd: null },
  { name: 'gpt-4o 1 ms before its first price (2024-12-31T23:59:59.999Z) → unpriced', modelId: 'gpt-4o', provider: 'openai', tokens: [1_000, 1_000], at: '2024-12-31T23:59:59.999Z', usd: null },
  { name: 'unpriced even with a provider discount in force', modelId: 'my-finetune', provider: 'openai', tokens: [1_000, 1_000], overrides: [OPENAI_20], usd: null },
  // effective-date boundary
  { name: 'gpt-5 price change at 2026-03-01T00:00:00Z, 1 ms before: 1M×1.25 + 100,000×10 = $2.25', modelId: 'gpt-5', provider: 'openai', tokens: [1_000_000, 100_000], at: '2026-02-28T23:59:59.999Z', usd: '2.25', priceVersionId: 'pv-gpt-5-old' },
  { name: 'gpt-5 price change at 2026-03-01T00:00:00Z, exactly at: 1M×1 + 100,000×8 = $1.8', modelId: 'gpt-5', provider: 'openai', tokens: [1_000_000, 100_000], at: CHANGE, usd: '1.8', priceVersionId: 'pv-gpt-5-new' },
  // zero and huge
  { name: 'gpt-4o 0 in + 0 out = $0 (priced)', modelId: 'gpt-4o', provider: 'openai', tokens: [0, 0], usd: '0', priceVersionId: 'pv-gpt-4o' },
  { name: 'gpt-4o 10,000,000,000 in (4,000,000,000 cached) + 10,000,000,000 out: 6e9×2.5 + 4e9×1.25 + 1e10×10 = $120000', modelId: 'gpt-4o', provider: 'openai', tokens: [10_000_000_000, 10_000_000_000, 4_000_000_000], usd: '120000' },
  { name: 'gpt-4o-mini 9,999,999,999 in + 9,999,999,999 out: 9,999,999,999×0.15 + 9,999,999,999×0.6 = $7499.99999925', modelId: 'gpt-4o-mini', provider: 'openai', tokens: [9_999_999_999, 9_999_999_999], usd: '7499.99999925' },
  { name: 'claude-sonnet-4.5 10,000,000,000 in (all written), one request, tier: 1e10×7.5 = $75000', modelId: 'claude-sonnet-4.5', provider: 'anthropic', tokens: [10_000_000_000, 0, 0, 10_000_000_000], usd: '75000', tier: 200_000 },
];

function usageOf([input, output, cached = 0, cacheWrite = 0, reasoning = 0]: Golden['tokens']): CanonicalUsage {
  return { inputTokens: input, outputTokens: output, cachedInputTokens: cached, cacheWriteTokens: cacheWrite, reasoningTokens: reasoning };
}

describe('priceEvent golden costs', () => {
  it('has at least 30 hand-worked cases', () => {
    expect(GOLDEN.length).toBeGreaterThanOrEqual(30);
  });

  it.each(GOLDEN.map((g) => [g.name, g] as const))('%s', (_name, g) => {
    const result = priceEvent(
      { usage: usageOf(g.tokens), requests: g.requests ?? 1, at: new Date(g.at ?? AT), provider: g.provider, modelId: g.modelId },
      CATALOG.filter((v) => v.modelId === g.modelId),
      g.overrides ?? [],
    );
    if (g.usd === null) {
      expect(result).toMatchObject({ priced: false, reason: 'no_price' });
      return;
    }
    if (!result.priced) throw new Error(`expected a price, got ${result.reason}: ${result.detail}`);
    expect(result.costUsd.toFixed()).toBe(g.usd);
    const b = result.breakdown;
    expect(b.inputUsd.plus(b.cachedInputUsd).plus(b.cacheWriteUsd).plus(b.outputUsd).plus(b.reasoningUsd).equals(result.costUsd)).toBe(true);
    if (g.tier !== undefined) expect(result.tier).toBe(g.tier);
    if (g.appliedOverride !== undefined) expect(result.appliedOverride).toBe(g.appliedOverride);
    if (g.priceVersionId !== undefined) expect(result.priceVersionId).toBe(g.priceVersionId);
  });
});

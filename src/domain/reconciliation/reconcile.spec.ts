import { Money } from '../money.js';
import { aggregate, reconcileCells, summarize, type BilledAmount, type Cell, type TierTokens } from './reconcile.js';
import { classOfCostLine, classRates, tierFactor, type RateSource, type TierDiscount } from './rates.js';

const DISCOUNTS: TierDiscount[] = [{ tier: 'batch', discountFraction: 0.5, models: null, cachedInputDiscounted: null }];
const tokens = (t: Partial<Record<keyof TierTokens, number>>): TierTokens => ({ inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 0, ...t });
// gpt-4o: $2.50 input, $1.25 cached, $10 output per 1M; claude-sonnet-4.5: $3 input, $0.30 cached, $3.75 5m writes, $15 output.
const GPT_4O: RateSource = { id: 'v-gpt-4o', inputPerMTok: '2.5', outputPerMTok: '10', cachedInputPerMTok: '1.25', cacheWritePerMTok: null };
const SONNET: RateSource = { id: 'v-sonnet', inputPerMTok: '3', outputPerMTok: '15', cachedInputPerMTok: '0.3', cacheWritePerMTok: '3.75' };

function cell(o: {
  day?: string;
  model?: string;
  provider?: string;
  price?: RateSource | null;
  costUsd: string;
  metered?: Record<string, TierTokens>;
  unpricedTokens?: number;
  billed?: BilledAmount[];
  billedTokens?: Record<string, TierTokens>;
}): Cell {
  const provider = o.provider ?? 'openai';
  return {
    key: { provider, day: o.day ?? '2026-11-10', model: o.model ?? 'gpt-4o' },
    day: o.day ?? '2026-11-10',
    metered: { costUsd: o.costUsd, requests: 10, unpricedTokens: o.unpricedTokens ?? 0, byTier: o.metered ?? {} },
    billed: { amounts: o.billed ?? [], byTier: o.billedTokens ?? {} },
    catalog: o.price === null ? null : { rates: classRates(o.price ?? GPT_4O, { provider, avgInputPerRequest: 1000 }), source: (o.price ?? GPT_4O).id },
    tierFactor: (tier, cls) => tierFactor(DISCOUNTS, o.model ?? 'gpt-4o', tier, cls),
  };
}

function row(cells: Cell[]) {
  const r = reconcileCells(cells, (c) => `${c.key.provider} ${c.key.model}`);
  return summarize({}, r);
}

const amount = (cls: BilledAmount['cls'], usd: string, tier = 'default', label?: string): BilledAmount => ({ cls, usd, tier, ...(label ? { label } : {}) });

describe('reconciliation causes (hand-worked)', () => {
  it('matching usage and prices: 1M input + 100k output of gpt-4o metered $3.50, billed $3.50: delta 0, nothing to explain', () => {
    const r = row([cell({ costUsd: '3.5', metered: { default: tokens({ inputTokens: 1e6, outputTokens: 1e5 }) }, billed: [amount('input', '2.5'), amount('output', '1')], billedTokens: { default: tokens({ inputTokens: 1e6, outputTokens: 1e5 }) } })]);
    expect(r).toMatchObject({ deltaUsd: '0', explanations: [], unexplainedUsd: '0', coverage: 1 });
  });

  it('service_tier: metered at standard $3.50, billed at batch $1.75 (half price): -1.75 explained by the tier', () => {
    const r = row([cell({ costUsd: '3.5', metered: { default: tokens({ inputTokens: 1e6, outputTokens: 1e5 }) }, billed: [amount('input', '1.25', 'batch'), amount('output', '0.5', 'batch')], billedTokens: { batch: tokens({ inputTokens: 1e6, outputTokens: 1e5 }) } })]);
    expect(r.deltaUsd).toBe('-1.75');
    expect(r.explanations).toEqual([{ cause: 'service_tier', estimatedUsd: '-1.75', detail: 'billed at batch 100%; metered at default 100%' }]);
    expect(r.unexplainedUsd).toBe('0');
  });

  it('service_tier without a known price (priority) is not guessed: the whole delta stays unexplained', () => {
    const r = row([cell({ costUsd: '3.5', metered: { default: tokens({ inputTokens: 1e6, outputTokens: 1e5 }) }, billed: [amount('input', '4.375', 'priority'), amount('output', '1.75', 'priority')], billedTokens: { priority: tokens({ inputTokens: 1e6, outputTokens: 1e5 }) } })]);
    expect(r.deltaUsd).toBe('2.625');
    expect(r.explanations).toEqual([]);
    expect(r.unexplainedUsd).toBe('2.625');
  });

  it('cache_write_ttl: 200k sonnet writes billed as 1h ($6/1M) but metered as 5m ($3.75/1M): 200k x $2.25/1M = 0.45', () => {
    // metered: 1M fresh input x $3 + 200k writes x $3.75 = 3.00 + 0.75 = 3.75; billed: 3.00 + 200k x $6 = 4.20.
    const r = row([cell({ provider: 'anthropic', model: 'claude-sonnet-4.5', price: SONNET, costUsd: '3.75', metered: { default: tokens({ inputTokens: 1.2e6, cacheWriteTokens: 2e5 }) }, billed: [amount('input', '3'), amount('cacheWrite1h', '1.2')], billedTokens: { default: tokens({ inputTokens: 1.2e6, cacheWriteTokens: 2e5, cacheWrite1hTokens: 2e5 }) } })]);
    expect(r.deltaUsd).toBe('0.45');
    expect(r.explanations).toEqual([expect.objectContaining({ cause: 'cache_write_ttl', estimatedUsd: '0.45' })]);
    expect(r.unexplainedUsd).toBe('0');
  });

  it('price_mismatch: 2M gpt-4o input billed at $2.75/1M vs catalog $2.50/1M: 2M x $0.25/1M = 0.50, both prices in the detail', () => {
    const r = row([cell({ costUsd: '5', metered: { default: tokens({ inputTokens: 2e6 }) }, billed: [amount('input', '5.5')], billedTokens: { default: tokens({ inputTokens: 2e6 }) } })]);
    expect(r.explanations).toEqual([{ cause: 'price_mismatch', estimatedUsd: '0.5', detail: 'input: billed $2.75/1M vs catalog $2.5/1M (v-gpt-4o) for 2000000 tokens' }]);
    expect(r.unexplainedUsd).toBe('0');
  });

  it('not_instrumented: a model billed $0.40 and never metered is explained by its billed amount', () => {
    const r = row([cell({ model: 'gpt-4.1', costUsd: '0', billed: [amount('input', '0.4')], billedTokens: { default: tokens({ inputTokens: 2e5 }) } })]);
    expect(r).toMatchObject({ deltaUsd: '0.4', coverage: 0, unexplainedUsd: '0' });
    expect(r.explanations[0]).toMatchObject({ cause: 'not_instrumented', estimatedUsd: '0.4' });
  });

  it('not_instrumented, partly: 1M gpt-4o input billed ($2.50), 800k metered ($2.00): 200k x $2.50/1M = 0.50, coverage 0.8', () => {
    const r = row([cell({ costUsd: '2', metered: { default: tokens({ inputTokens: 8e5 }) }, billed: [amount('input', '2.5')], billedTokens: { default: tokens({ inputTokens: 1e6 }) } })]);
    expect(r).toMatchObject({ deltaUsd: '0.5', coverage: 0.8, unexplainedUsd: '0' });
    expect(r.explanations).toEqual([expect.objectContaining({ cause: 'not_instrumented', estimatedUsd: '0.5' })]);
  });

  it('not_instrumented: a $0.12 web-search line is billed, never metered', () => {
    const r = row([cell({ costUsd: '2.5', metered: { default: tokens({ inputTokens: 1e6 }) }, billed: [amount('input', '2.5'), amount(null, '0.12', 'default', 'web_search')], billedTokens: { default: tokens({ inputTokens: 1e6 }) } })]);
    expect(r.explanations).toEqual([{ cause: 'not_instrumented', estimatedUsd: '0.12', detail: 'billed web_search (not token usage, never metered)' }]);
    expect(r.unexplainedUsd).toBe('0');
  });

  it('unpriced_model: 500k tokens of a model without a price metered at $0, billed $0.80: 0.80', () => {
    const r = row([cell({ model: 'zeta-1', price: null, costUsd: '0', unpricedTokens: 5e5, metered: { default: tokens({ inputTokens: 4e5, outputTokens: 1e5 }) }, billed: [amount('unclassified', '0.8')], billedTokens: { default: tokens({ inputTokens: 4e5, outputTokens: 1e5 }) } })]);
    expect(r.explanations).toEqual([expect.objectContaining({ cause: 'unpriced_model', estimatedUsd: '0.8' })]);
    expect(r.unexplainedUsd).toBe('0');
  });

  it('timing: 1M gpt-4o input metered at 23:59 on the 10th ($2.50) billed on the 11th: -2.50 and +2.50, and 0 over both days', () => {
    const cells = [
      cell({ day: '2026-11-10', costUsd: '2.5', metered: { default: tokens({ inputTokens: 1e6 }) } }),
      cell({ day: '2026-11-11', costUsd: '0', billed: [amount('input', '2.5')], billedTokens: { default: tokens({ inputTokens: 1e6 }) } }),
    ];
    const rows = aggregate(reconcileCells(cells, () => 'one'), (k) => ({ day: k.day! }));
    expect(rows.map((r) => [r.key.day, r.deltaUsd, r.explanations.map((e) => `${e.cause} ${e.estimatedUsd}`), r.unexplainedUsd])).toEqual([
      ['2026-11-10', '-2.5', ['timing -2.5'], '0'],
      ['2026-11-11', '2.5', ['timing 2.5'], '0'],
    ]);
    const both = aggregate(reconcileCells(cells, () => 'one'), () => ({}));
    expect(both[0]).toMatchObject({ deltaUsd: '0', explanations: [], unexplainedUsd: '0' });
  });

  it('timing needs neighbouring days: a gap of a day leaves an over-metered $2.50 unexplained and the billed day not instrumented', () => {
    const cells = [
      cell({ day: '2026-11-10', costUsd: '2.5', metered: { default: tokens({ inputTokens: 1e6 }) } }),
      cell({ day: '2026-11-12', costUsd: '0', billed: [amount('input', '2.5')], billedTokens: { default: tokens({ inputTokens: 1e6 }) } }),
    ];
    const rows = aggregate(reconcileCells(cells, () => 'one'), (k) => ({ day: k.day! }));
    expect(rows[0]).toMatchObject({ deltaUsd: '-2.5', explanations: [], unexplainedUsd: '-2.5' });
    expect(rows[1]).toMatchObject({ deltaUsd: '2.5', unexplainedUsd: '0' });
    expect(rows[1]!.explanations[0]!.cause).toBe('not_instrumented');
  });

  it('timing pairs only days the provider reported: usage metered today (not billed yet) is not taken for the $12 a batch project billed yesterday', () => {
    // The 11th was synced: 80M billed tokens never metered ($12). The 12th is today: metered, no line billed yet.
    const cells = [
      cell({ day: '2026-11-11', model: 'gpt-4o-mini', costUsd: '0', billed: [amount('input', '12')], billedTokens: { default: tokens({ inputTokens: 8e7 }) } }),
      cell({ day: '2026-11-12', model: 'gpt-4o-mini', costUsd: '6', metered: { default: tokens({ inputTokens: 4e7 }) } }),
    ];
    const reported = (_p: string, day: string) => day === '2026-11-11';
    const rows = aggregate(reconcileCells(cells, () => 'one', reported), (k) => ({ day: k.day! }));
    expect(rows.map((r) => [r.key.day, r.explanations.map((e) => `${e.cause} ${e.estimatedUsd}`), r.unexplainedUsd])).toEqual([
      ['2026-11-11', ['not_instrumented 12'], '0'],
      ['2026-11-12', [], '-6'],
    ]);
  });

  it('no plug: billed $3.00 for 1M tokens with no class on the lines vs metered $2.50: the average-price mismatch 0.50 is explained, over-metering is not', () => {
    // 1.2M metered, 1M billed: 200k over-metered tokens ($0.50 at catalog) have no cause and stay visible.
    const r = row([cell({ costUsd: '3', metered: { default: tokens({ inputTokens: 1.2e6 }) }, billed: [amount('unclassified', '3')], billedTokens: { default: tokens({ inputTokens: 1e6 }) } })]);
    expect(r.deltaUsd).toBe('0');
    expect(r.explanations).toEqual([expect.objectContaining({ cause: 'price_mismatch', estimatedUsd: '0.5' })]);
    expect(r.unexplainedUsd).toBe('-0.5');
    expect(r.coverage).toBe(1.2);
  });

  it('several causes in one cell add up: batch tier (-1.25) and a 200k coverage gap billed at batch $1.25/1M (+0.25)', () => {
    // metered 1M input at default $2.50; billed 1.2M input at batch: 1.2M x $1.25 = $1.50. delta -1.00.
    const r = row([cell({ costUsd: '2.5', metered: { default: tokens({ inputTokens: 1e6 }) }, billed: [amount('input', '1.5', 'batch')], billedTokens: { batch: tokens({ inputTokens: 1.2e6 }) } })]);
    expect(r.deltaUsd).toBe('-1');
    expect(r.explanations.map((e) => [e.cause, e.estimatedUsd])).toEqual([['not_instrumented', '0.25'], ['service_tier', '-1.25']]);
    expect(r.unexplainedUsd).toBe('0');
  });
});

describe('catalog rates for reconciliation', () => {
  it('sonnet 1h writes: $6/1M (2 x $3 input) when the catalog has no 1h rate; a 10% discount makes input $2.70', () => {
    expect(classRates(SONNET, { provider: 'anthropic', avgInputPerRequest: 1000 }).cacheWrite1h.toFixed()).toBe('6');
    expect(classRates({ ...SONNET, cacheWrite1hPerMTok: '6.5' }, { provider: 'anthropic', avgInputPerRequest: 1000 }).cacheWrite1h.toFixed()).toBe('6.5');
    expect(classRates(SONNET, { provider: 'anthropic', avgInputPerRequest: 1000, discountPercent: 10 }).input.toFixed()).toBe('2.7');
  });

  it('long context: above 200k input per request sonnet input is $6/1M and 5m writes scale to $7.50/1M', () => {
    const p = { ...SONNET, tiers: [{ aboveInputTokens: 200000, inputPerMTok: '6', outputPerMTok: '22.5' }] };
    const r = classRates(p, { provider: 'anthropic', avgInputPerRequest: 250000 });
    expect([r.input.toFixed(), r.cacheWrite5m.toFixed(), r.output.toFixed()]).toEqual(['6', '7.5', '22.5']);
  });

  it('long-context and org prices: sonnet metered $4.20 for 1M input (part of it above 200k per request, catalog $3.00 at base), billed $4.20: no price_mismatch', () => {
    const r = row([cell({ model: 'claude-sonnet-4.5', provider: 'anthropic', price: SONNET, costUsd: '4.2', metered: { default: tokens({ inputTokens: 1e6 }) }, billed: [amount('input', '4.2')], billedTokens: { default: tokens({ inputTokens: 1e6 }) } })]);
    expect(r).toMatchObject({ deltaUsd: '0', explanations: [], unexplainedUsd: '0' });
  });

  it('price_mismatch is judged against the catalog as metered: metered $2.25 (a 10% org discount on $2.50), billed $2.50 for 1M gpt-4o input: +0.25, named with the scale', () => {
    const r = row([cell({ costUsd: '2.25', metered: { default: tokens({ inputTokens: 1e6 }) }, billed: [amount('input', '2.5')], billedTokens: { default: tokens({ inputTokens: 1e6 }) } })]);
    expect(r.deltaUsd).toBe('0.25');
    expect(r.explanations).toEqual([{ cause: 'price_mismatch', estimatedUsd: '0.25', detail: expect.stringContaining('catalog x 0.9 as metered') }]);
    expect(r.unexplainedUsd).toBe('0');
  });

  it('tier factors: batch 0.5 (cached input kept at 1 when not stated), default 1, priority unknown (null)', () => {
    expect(tierFactor(DISCOUNTS, 'gpt-4o', 'batch', 'input')!.toFixed()).toBe('0.5');
    expect(tierFactor(DISCOUNTS, 'gpt-4o', 'batch', 'cached')!.toFixed()).toBe('1');
    expect(tierFactor(DISCOUNTS, 'gpt-4o', 'default', 'output')!.toFixed()).toBe('1');
    expect(tierFactor(DISCOUNTS, 'gpt-4o', 'priority', 'input')).toBeNull();
    expect(new Money(1).toFixed()).toBe('1');
  });
});

describe('cost line classes', () => {
  it.each([
    ['tokens', 'input', 'input'],
    ['tokens', 'cache_read', 'cached'],
    ['tokens', 'cache_write_5m', 'cacheWrite5m'],
    ['tokens', 'cache_write_1h', 'cacheWrite1h'],
    ['', 'output', 'output'],
    ['tokens', 'input_audio', 'unclassified'],
    ['tokens', '', 'unclassified'],
    ['web_search', '', null],
    ['code_execution', '', null],
  ])('cost type %p, token type %p: %p', (costType, tokenType, cls) => {
    expect(classOfCostLine(costType, tokenType)).toBe(cls);
  });
});

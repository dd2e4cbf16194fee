import { Money } from '../money.js';
import { findCrossover, formatTokens } from './crossover.js';

const api = (usdPerMTok: number) => (t: number) => new Money(t).mul(usdPerMTok).div(1e6);

describe('findCrossover', () => {
  it.each<[string, (t: number) => number, number, number]>([
    ['flat $5,000/month self-host vs $2/1M API → 5,000 / 2e-6 = 2.5B tokens/month', () => 5000, 2, 2.5e9],
    ['$1,000 per started 1B tokens vs $1.5/1M → 1,000 / 1.5e-6 = 666.7M tokens/month (inside the first step)', (t) => 1000 * Math.ceil(t / 1e9), 1.5, 1000 / 1.5e-6],
    ['$3,000 + $1,000 per started 1B vs $4/1M: 1 step $4,000 → 1B exactly', (t) => 3000 + 1000 * Math.ceil(t / 1e9), 4, 1e9],
  ])('%s', (_name, self, usdPerMTok, expected) => {
    const r = findCrossover({
      apiCostAt: api(usdPerMTok),
      selfHostAt: (t) => ({ costUsd: new Money(self(t)), option: 'x' }),
    });
    expect(r.monthlyTokens).not.toBeNull();
    expect((r.monthlyTokens as number) / expected).toBeCloseTo(1, 6);
    if (r.monthlyTokens !== null) expect(r.selfHostCostUsd.lte(r.apiCostUsd)).toBe(true);
  });

  it('picks the option cheapest at the crossing: B ($3k up to 1B, then $9k) never wins; A ($8k flat) crosses at $8k / $2 per 1M = 4B', () => {
    const r = findCrossover<string>({
      apiCostAt: api(2),
      selfHostAt: (t) => {
        const a = 8000;
        const b = t <= 1e9 ? 3000 : 9000;
        return a <= b ? { costUsd: new Money(a), option: 'A' } : { costUsd: new Money(b), option: 'B' };
      },
    });
    expect(r.monthlyTokens !== null && r.option).toBe('A');
    expect((r.monthlyTokens as number) / 4e9).toBeCloseTo(1, 6);
  });

  it.each<[string, number, RegExp]>([
    ['$1B/month self-host vs $1/1M: API reaches only $10M at 10T → never crosses below 10T tokens/month', 1e9, /never crosses below 10T tokens\/month/],
    ['$0.50/month self-host vs $1/1M: API is already $1 at 1M → self-host always cheaper in range', 0.5, /self-host always cheaper in range/],
  ])('%s', (_name, flat, reason) => {
    const r = findCrossover({ apiCostAt: api(1), selfHostAt: () => ({ costUsd: new Money(flat), option: 'x' }) });
    expect(r.monthlyTokens).toBeNull();
    if (r.monthlyTokens === null) expect(r.reason).toMatch(reason);
  });

  it('no feasible self-host option anywhere → reason says so', () => {
    const r = findCrossover({ apiCostAt: api(1), selfHostAt: () => null });
    expect(r.monthlyTokens).toBeNull();
    if (r.monthlyTokens === null) expect(r.reason).toMatch(/no feasible self-host option/);
  });

  it('custom range 1k-1M tokens: flat $1 vs $2/1M crosses at 500k', () => {
    const r = findCrossover({ apiCostAt: api(2), selfHostAt: () => ({ costUsd: new Money(1), option: 'x' }), minTokens: 1e3, maxTokens: 1e6 });
    expect((r.monthlyTokens as number) / 5e5).toBeCloseTo(1, 6);
  });
});

describe('formatTokens', () => {
  it.each<[number, string]>([
    [1e13, '10T'],
    [2.5e9, '2.5B'],
    [1e6, '1M'],
    [1500, '1.5k'],
    [12, '12'],
  ])('%d → %s', (n, s) => {
    expect(formatTokens(n)).toBe(s);
  });
});

import { Money } from '../money.js';
import { earliestCrossover, findCrossover, formatTokens, type CrossoverResult } from './crossover.js';

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
    expect(r.status).toBe('never_below_max');
    if (r.monthlyTokens === null) expect(r.reason).toMatch(/no feasible self-host option/);
  });

  it('custom range 1k-1M tokens: flat $1 vs $2/1M crosses at 500k', () => {
    const r = findCrossover({ apiCostAt: api(2), selfHostAt: () => ({ costUsd: new Money(1), option: 'x' }), minTokens: 1e3, maxTokens: 1e6 });
    expect((r.monthlyTokens as number) / 5e5).toBeCloseTo(1, 6);
  });
});

describe('findCrossover status', () => {
  const flat = (usd: number) => () => ({ costUsd: new Money(usd), option: 'x' });

  it.each<[string, number, number, string, number | null]>([
    ['$5,000 flat vs $2/1M crosses at 2.5B', 5000, 2, 'crosses', 2.5e9],
    ['$0.50 flat vs $1/1M: $1 at 1M already above $0.50 → always_cheaper, no volume', 0.5, 1, 'always_cheaper', null],
    ['$1B flat vs $1/1M: $10M at 10T still below → never_below_max, no volume', 1e9, 1, 'never_below_max', null],
  ])('%s', (_name, self, usdPerMTok, status, tokens) => {
    for (const selfHostNonDecreasing of [false, true]) {
      const r = findCrossover({ apiCostAt: api(usdPerMTok), selfHostAt: flat(self), selfHostNonDecreasing });
      expect(r.status).toBe(status);
      expect(r.searchedTokens).toEqual({ min: 1e6, max: 1e13 });
      if (tokens === null) expect(r.monthlyTokens).toBeNull();
      else expect((r.monthlyTokens as number) / tokens).toBeCloseTo(1, 6);
    }
  });

  it('invalid range → unavailable, not "never"', () => {
    const r = findCrossover({ apiCostAt: api(1), selfHostAt: flat(1), minTokens: 10, maxTokens: 5 });
    expect(r.status).toBe('unavailable');
    expect(r.searchedTokens).toBeNull();
  });

  // Fixed people cost + one $2,000 replica per started 500M tokens/month vs $10 per 1M (1e-5 $/token):
  // 1 replica ($9,500) needs 950M > 500M; 2 ($11,500) need 1.15B > 1B; 3 ($13,500) need 1.35B <= 1.5B → 1.35B.
  // Not monotone: at 1.5B+ (4 replicas, $15,500 vs $15,000) self-host is dearer again.
  const stepped = (t: number) => ({ costUsd: new Money(7500 + 2000 * Math.ceil(t / 5e8)), option: Math.ceil(t / 5e8) });

  it.each([false, true])('$7,500 people + $2,000 per replica (one per 500M) vs $10/1M crosses at 1.35B with 3 replicas (skip-ahead %s)', (selfHostNonDecreasing) => {
    const r = findCrossover({ apiCostAt: api(10), selfHostAt: stepped, selfHostNonDecreasing });
    expect(r.status).toBe('crosses');
    if (r.status !== 'crosses') return;
    expect(r.monthlyTokens / 1.35e9).toBeCloseTo(1, 6);
    expect(r.option).toBe(3);
    expect(r.selfHostCostUsd.toNumber()).toBe(13500);
  });

  it('skip-ahead for a non-decreasing self-host cost probes far fewer points for the same answer', () => {
    const count = (selfHostNonDecreasing: boolean) => {
      let probes = 0;
      const r = findCrossover({ apiCostAt: api(10), selfHostAt: (t) => (probes++, stepped(t)), selfHostNonDecreasing });
      return { probes, tokens: r.monthlyTokens };
    };
    const slow = count(false);
    const fast = count(true);
    expect(fast.tokens).toBe(slow.tokens);
    // Full scan: 1M → 1.35B is ~126 grid points (3.13 decades x 40) + bisection; skipping: a handful + bisection.
    expect(slow.probes).toBeGreaterThan(120);
    expect(fast.probes).toBeLessThan(slow.probes / 2);
  });
});

describe('earliestCrossover (cheapest option = the first option to cross)', () => {
  const range = { min: 1e6, max: 1e13 };
  const crosses = (t: number, cost: number, option: string): CrossoverResult<string> => ({
    status: 'crosses',
    monthlyTokens: t,
    apiCostUsd: new Money(cost),
    selfHostCostUsd: new Money(cost),
    option,
    reason: null,
    searchedTokens: range,
  });
  const never: CrossoverResult<string> = { status: 'never_below_max', monthlyTokens: null, reason: 'never crosses below 10T tokens/month', searchedTokens: range };
  const infeasible: CrossoverResult<string> = { status: 'never_below_max', monthlyTokens: null, reason: 'no feasible self-host option up to 10T tokens/month', searchedTokens: range };
  const always: CrossoverResult<string> = { status: 'always_cheaper', monthlyTokens: null, reason: 'self-host always cheaper in range (already at 1M tokens/month)', searchedTokens: range };

  it.each<[string, CrossoverResult<string>[], string, number | null, string | null]>([
    ['A crosses at 4B, B at 2.5B → 2.5B (B)', [crosses(4e9, 8000, 'A'), crosses(2.5e9, 5000, 'B'), never], 'crosses', 2.5e9, 'B'],
    ['one option always cheaper wins over any crossing', [crosses(2.5e9, 5000, 'B'), always], 'always_cheaper', null, null],
    ['none crosses → never_below_max, "never crosses" preferred over "no feasible"', [infeasible, never], 'never_below_max', null, null],
  ])('%s', (_name, results, status, tokens, option) => {
    const r = earliestCrossover(results, range);
    expect(r.status).toBe(status);
    expect(r.monthlyTokens).toBe(tokens);
    if (r.status === 'crosses') expect(r.option).toBe(option);
    if (r.status === 'never_below_max') expect(r.reason).toMatch(/never crosses/);
  });

  it('no options → unavailable', () => {
    expect(earliestCrossover([], range).status).toBe('unavailable');
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

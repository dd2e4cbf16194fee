import { Money } from '../money.js';
import { runSensitivity } from './sensitivity.js';

// Today $10,000 x volume; self-host flat $4,000 x GPU price; migration $12,000.
const evaluate = (v: number, p: number) => ({
  currentUsd: new Money(10000).mul(v),
  best: { optionId: 'opt', tcoUsd: new Money(4000).mul(p) },
});

describe('runSensitivity', () => {
  const rows = runSensitivity(evaluate, '12000');

  it.each<[string, string, string, number]>([
    ['base: $10,000 - $4,000 = $6,000/month → $12,000 / $6,000 = 2 months', 'base', '6000', 2],
    ['volume x0.5: $5,000 - $4,000 = $1,000 → 12 months', 'volume x0.5', '1000', 12],
    ['volume x2: $20,000 - $4,000 = $16,000 → 0.75 months', 'volume x2', '16000', 0.75],
    ['volume x5: $50,000 - $4,000 = $46,000 → 0.2609 months', 'volume x5', '46000', 12000 / 46000],
    ['gpu price x0.5: $10,000 - $2,000 = $8,000 → 1.5 months', 'gpu price x0.5', '8000', 1.5],
    ['gpu price x1.5: $10,000 - $6,000 = $4,000 → 3 months', 'gpu price x1.5', '4000', 3],
  ])('%s', (_name, scenario, savings, months) => {
    const row = rows.find((r) => r.scenario === scenario);
    expect(row?.monthlySavingsUsd?.toFixed()).toBe(savings);
    expect(row?.breakEvenMonths).toBeCloseTo(months, 9);
  });

  it('6 rows by default: base + 3 volume factors + 2 price factors', () => {
    expect(rows.map((r) => r.scenario)).toEqual(['base', 'volume x0.5', 'volume x2', 'volume x5', 'gpu price x0.5', 'gpu price x1.5']);
  });

  it('volume x0.3: $3,000 - $4,000 = -$1,000 → break-even null with a reason', () => {
    const [, row] = runSensitivity(evaluate, '12000', { volume: [0.3], gpuPrice: [] });
    expect(row?.monthlySavingsUsd?.toFixed()).toBe('-1000');
    expect(row?.breakEvenMonths).toBeNull();
    expect(row?.breakEvenReason).toMatch(/never pays back/);
  });

  it.each<[string, boolean, RegExp]>([
    ['no current cost', true, /no current cost/],
    ['no feasible self-host', false, /no feasible self-host/],
  ])('null savings when %s', (_name, noCurrent, reason) => {
    const [row] = runSensitivity(
      () => (noCurrent ? { currentUsd: null, best: { optionId: 'o', tcoUsd: new Money(1) } } : { currentUsd: new Money(1), best: null }),
      '0',
      { volume: [], gpuPrice: [] },
    );
    expect(row?.monthlySavingsUsd).toBeNull();
    expect(row?.breakEvenReason).toMatch(reason);
  });
});

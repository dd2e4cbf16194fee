import { apiMonthlyCost, breakEvenMonths, compareToCurrent, migrationCost } from './compare.js';
import type { ApiPrice, TokenVolumes } from './types.js';

const gpt4o: ApiPrice = { inputPerMTok: '2.5', outputPerMTok: '10', cachedInputPerMTok: '1.25' };
const sonnet4: ApiPrice = {
  inputPerMTok: '3',
  outputPerMTok: '15',
  cachedInputPerMTok: '0.3',
  longContext: { thresholdTokens: 200_000, inputPerMTok: '6', outputPerMTok: '22.5' },
};
const together70b: ApiPrice = { inputPerMTok: '0.88', outputPerMTok: '0.88' };

describe('apiMonthlyCost', () => {
  it.each<[string, TokenVolumes, ApiPrice, number | undefined, string]>([
    ['gpt-4o: 80M uncached x $2.5 + 20M cached x $1.25 + 20M out x $10 = $425', { inputTokens: 100e6, cachedInputTokens: 20e6, outputTokens: 20e6 }, gpt4o, undefined, '425'],
    ['gpt-4o: 2B in x $2.5 + 500M out x $10 = $10,000', { inputTokens: 2e9, cachedInputTokens: 0, outputTokens: 5e8 }, gpt4o, undefined, '10000'],
    ['claude-sonnet-4 standard: 100M x $3 + 10M x $15 = $450', { inputTokens: 100e6, cachedInputTokens: 0, outputTokens: 10e6 }, sonnet4, 50_000, '450'],
    ['claude-sonnet-4 with 250k-token prompts > 200k: 100M x $6 + 10M x $22.5 = $825', { inputTokens: 100e6, cachedInputTokens: 0, outputTokens: 10e6 }, sonnet4, 250_000, '825'],
    ['managed open with no cached price: 120M (cached billed as input) x $0.88 = $105.60', { inputTokens: 100e6, cachedInputTokens: 20e6, outputTokens: 20e6 }, together70b, undefined, '105.6'],
    ['cached 150M > input 100M is clamped: 100M x $1.25 + 20M x $10 = $325', { inputTokens: 100e6, cachedInputTokens: 150e6, outputTokens: 20e6 }, gpt4o, undefined, '325'],
    ['1,234 input tokens x $2.5/1M = $0.003085 exactly', { inputTokens: 1234, cachedInputTokens: 0, outputTokens: 0 }, gpt4o, undefined, '0.003085'],
  ])('%s', (_name, v, price, avgIn, usd) => {
    expect(apiMonthlyCost(v, price, { avgInputTokensPerRequest: avgIn }).costUsd.toFixed()).toBe(usd);
  });

  it('says when cached tokens had no discount', () => {
    const c = apiMonthlyCost({ inputTokens: 100, cachedInputTokens: 10, outputTokens: 0 }, together70b);
    expect(c.notes.join(' ')).toMatch(/billed at the input price/);
  });
});

describe('migrationCost', () => {
  it.each<[string, boolean, { evaluation: number; integration: number; fineTuning: number }, number, string]>([
    ['2 + 2 weeks x $15,000 / (52/12) = 4 x $3,461.54 = $13,846.15', false, { evaluation: 2, integration: 2, fineTuning: 4 }, 4, '13846.15'],
    ['2 + 2 + 4 fine-tuning weeks = 8 x $3,461.54 = $27,692.31', true, { evaluation: 2, integration: 2, fineTuning: 4 }, 8, '27692.31'],
    ['0 weeks = $0', false, { evaluation: 0, integration: 0, fineTuning: 4 }, 0, '0'],
  ])('%s', (_name, ft, weeks, total, usd) => {
    const m = migrationCost(weeks, ft, '15000');
    expect(m.weeks).toBe(total);
    expect(m.costUsd.toDecimalPlaces(2).toFixed()).toBe(usd);
  });
});

describe('breakEvenMonths', () => {
  it.each<[string, string, string, number | null, RegExp | null]>([
    ['$13,846.15 / $5,000 savings = 2.77 months', '13846.15', '5000', 2.76923, null],
    ['$13,846.15 / $9,545 savings = 1.4506 months', '13846.15', '9545', 1.45062, null],
    ['$0 migration, $100 savings = 0 months', '0', '100', 0, null],
    ['savings $0 → null: never pays back', '13846.15', '0', null, /never pays back/],
    ['savings -$1,000 → null: costs more per month', '13846.15', '-1000', null, /costs more/],
  ])('%s', (_name, mig, savings, months, reason) => {
    const r = breakEvenMonths(mig, savings);
    if (months === null) {
      expect(r.months).toBeNull();
      expect(r.reason).toMatch(reason as RegExp);
    } else {
      expect(r.months).toBeCloseTo(months, 4);
    }
  });
});

describe('compareToCurrent', () => {
  it('today $10,000 vs $455 alternative: saves $9,545/month (95.45%), pays back $13,846.15 in 1.45 months', () => {
    const c = compareToCurrent('10000', '455', '13846.15');
    expect(c.monthlySavingsUsd.toFixed()).toBe('9545');
    expect(c.savingsFraction).toBeCloseTo(0.9545, 9);
    expect(c.breakEvenMonths).toBeCloseTo(1.4506, 4);
  });

  it('today $10,000 vs $24,523.60 self-host: -$14,523.60/month, break-even null', () => {
    const c = compareToCurrent('10000', '24523.6', '13846.15');
    expect(c.monthlySavingsUsd.toFixed()).toBe('-14523.6');
    expect(c.breakEvenMonths).toBeNull();
    expect(c.breakEvenReason).toMatch(/never pays back/);
  });
});

import { monthlyGrowth } from './planner.service.js';

import { DAY_MS as DAY } from '../domain/time.js';
const to = new Date('2026-11-28T13:00:00Z');
const series = (perDay: (d: number) => number) =>
  Array.from({ length: 29 }, (_, i) => {
    const t = Date.UTC(2026, 10, 28) - (28 - i) * DAY;
    return { date: new Date(t).toISOString().slice(0, 10), inputTokens: perDay(i), outputTokens: 0 };
  });

describe('monthlyGrowth (planner profile)', () => {
  it.each([
    ['flat 1M/day → 0%', () => 1e6, 0],
    ['+10%/month compounding daily → 10%', (d: number) => 1e6 * Math.pow(1.1, d / 30.4375), 0.1],
    ['weekends at 20% of weekdays, flat otherwise → 0% (each half holds every weekday twice)', (d: number) => (d % 7 < 2 ? 2e5 : 1e6), 0],
    ['a 10x launch in the last two weeks → capped at +100%', (d: number) => (d >= 14 ? 1e7 : 1e6), 1],
    ['halving every two weeks → floored at -50%', (d: number) => (d >= 14 ? 1e5 : 1e6), -0.5],
  ])('%s', (_name, perDay, expected) => {
    expect(monthlyGrowth(series(perDay), to)).toBeCloseTo(expected, 2);
  });

  it('the partial current day is left out: a half day today does not read as a decline', () => {
    const s = series(() => 1e6);
    s[s.length - 1].inputTokens = 5e5;
    expect(monthlyGrowth(s, to)).toBeCloseTo(0, 6);
  });

  it('no earlier volume → 0 (unknown), never infinity', () => {
    expect(monthlyGrowth(series((d) => (d >= 14 ? 1e6 : 0)), to)).toBe(0);
  });
});

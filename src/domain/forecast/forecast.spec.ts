import { mulberry32 } from '../random.js';
import { DAY_MS } from '../time.js';
import { forecastSpend, type DailyCost } from './forecast.js';

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** `days` daily rows from `start` (YYYY-MM-DD) with cost f(t, date). */
function daily(start: string, days: number, f: (t: number, date: Date) => number): DailyCost[] {
  const s = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: days }, (_, t) => ({ date: iso(s + t * DAY_MS), costUsd: f(t, new Date(s + t * DAY_MS)).toFixed(6) }));
}

/** Sum of f over the calendar month `month` (YYYY-MM), t counted from `start`. */
function monthTruth(start: string, month: string, f: (t: number, date: Date) => number): number {
  const s = Date.parse(`${start}T00:00:00Z`);
  const m0 = Date.parse(`${month}-01T00:00:00Z`);
  const d = new Date(m0);
  const m1 = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  let sum = 0;
  for (let ms = m0; ms < m1; ms += DAY_MS) sum += f((ms - s) / DAY_MS, new Date(ms));
  return sum;
}

/** Standard normal (Box-Muller) from a uniform PRNG. */
function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

const growth10 = (t: number) => 100 * 1.1 ** (t / 30.4375);

describe('forecastSpend: trend', () => {
  const r = forecastSpend(daily('2025-01-01', 181, growth10), { months: 3 });

  it('$100/day growing 10%/month for 181 days (2025-01-01..06-30): monthly growth recovered as 10% ± 0.5 pts', () => {
    expect(r.method).toBe('log-linear-trend x day-of-week');
    expect(r.monthlyGrowthRate).toBeGreaterThan(0.095);
    expect(r.monthlyGrowthRate).toBeLessThan(0.105);
  });

  it.each<[string, number]>([
    ['2025-07', 0],
    ['2025-08', 1],
    ['2025-09', 2],
  ])('10%%/month compound: %s expected within 5%% of the true sum', (month, i) => {
    const m = r.months[i];
    expect(m?.month).toBe(month);
    const truth = monthTruth('2025-01-01', month, growth10);
    expect(Math.abs((m?.expectedUsd.toNumber() as number) / truth - 1)).toBeLessThan(0.05);
  });

  it('exact exponential: backtest MAPE on the last 28 days < 1%, 181 history days', () => {
    expect(r.backtest.mape).not.toBeNull();
    expect(r.backtest.mape as number).toBeLessThan(0.01);
    expect(r.historyDays).toBe(181);
  });

  it('shrinking 5%/month: 100 x 0.95^(t/30.4375) recovered as -5% ± 0.5 pts', () => {
    const f = forecastSpend(daily('2025-01-01', 120, (t) => 100 * 0.95 ** (t / 30.4375)));
    expect(f.monthlyGrowthRate).toBeGreaterThan(-0.055);
    expect(f.monthlyGrowthRate).toBeLessThan(-0.045);
  });
});

describe('forecastSpend: flat series', () => {
  const r = forecastSpend(daily('2025-01-01', 120, () => 100), { months: 3 });

  it.each<[string, number, string]>([
    ['2025-05 (31 days x $100) = $3,100', 0, '3100'],
    ['2025-06 (30 days x $100) = $3,000', 1, '3000'],
    ['2025-07 (31 days x $100) = $3,100', 2, '3100'],
  ])('flat $100/day → %s, p10 = p90 = expected (zero residuals)', (_name, i, usd) => {
    const m = r.months[i];
    expect(m?.expectedUsd.toFixed()).toBe(usd);
    expect(m?.p10Usd.toFixed()).toBe(usd);
    expect(m?.p90Usd.toFixed()).toBe(usd);
  });

  it('flat: growth 0%, weekday factors all 1, backtest MAPE 0', () => {
    expect(r.monthlyGrowthRate).toBeCloseTo(0, 9);
    r.dayOfWeekFactors.forEach((f) => expect(f).toBeCloseTo(1, 9));
    expect(r.backtest.mape).toBeCloseTo(0, 9);
  });

  it('partial month: history 2025-01-01..03-15 at $100/day → March = $1,500 observed + 16 x $100 = $3,100', () => {
    const f = forecastSpend(daily('2025-01-01', 74, () => 100), { months: 1 });
    expect(f.months[0]).toMatchObject({ month: '2025-03', forecastDays: 16 });
    expect(f.months[0]?.actualToDateUsd.toFixed()).toBe('1500');
    expect(f.months[0]?.expectedUsd.toFixed()).toBe('3100');
  });
});

describe('forecastSpend: weekly seasonality', () => {
  // Weekdays $100, weekends $40: weekly mean 580/7 = 82.857 → factors 1.2069 and 0.4828.
  const pattern = (_t: number, d: Date) => (d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 40 : 100);
  const r = forecastSpend(daily('2025-01-01', 140, pattern), { months: 2 });

  it.each<[string, number, number]>([
    ['Sunday 40 / 82.857 = 0.4828', 0, 40 / (580 / 7)],
    ['Monday 100 / 82.857 = 1.2069', 1, 100 / (580 / 7)],
    ['Wednesday 1.2069', 3, 100 / (580 / 7)],
    ['Saturday 0.4828', 6, 40 / (580 / 7)],
  ])('weekday factor %s', (_name, dow, factor) => {
    expect(r.dayOfWeekFactors[dow]).toBeCloseTo(factor, 2);
  });

  it.each<[string, number, string]>([
    ['2025-06: 21 weekdays x $100 + 9 weekend days x $40 = $2,460', 1, '2460'],
  ])('pattern carried forward: %s', (_name, i, usd) => {
    expect(Number(r.months[i]?.expectedUsd.toFixed())).toBeCloseTo(Number(usd), 0);
  });

  it('B2B with $0 weekends and 10%/month weekday growth: weekend factors 0, no NaN, growth ≈ 10%', () => {
    const f = (t: number, d: Date) => (d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 0 : growth10(t));
    const res = forecastSpend(daily('2025-01-01', 150, f), { months: 2 });
    expect(res.dayOfWeekFactors[0]).toBe(0);
    expect(res.dayOfWeekFactors[6]).toBe(0);
    expect(res.monthlyGrowthRate).toBeGreaterThan(0.095);
    expect(res.monthlyGrowthRate).toBeLessThan(0.105);
    const truth = monthTruth('2025-01-01', res.months[0]?.month as string, f);
    expect(Math.abs((res.months[0]?.expectedUsd.toNumber() as number) / truth - 1)).toBeLessThan(0.05);
  });
});

describe('forecastSpend: noise and band', () => {
  // Lognormal daily noise sigma 0.3 (mean-corrected) around $100/day x 5%/month; 151 days (to 2025-05-31),
  // then June-August forecast; 30 seeds x 3 months.
  const sigma = 0.3;
  const level = (t: number) => 100 * 1.05 ** (t / 30.4375);
  const runs = Array.from({ length: 30 }, (_, seed) => {
    const u = mulberry32(seed + 1);
    const all = Array.from({ length: 151 + 100 }, (_, t) => level(t) * Math.exp(sigma * normal(u) - (sigma * sigma) / 2));
    const history = daily('2025-01-01', 151, (t) => all[t] as number);
    const f = forecastSpend(history, { months: 3 });
    const truths = f.months.map((m) => monthTruth('2025-01-01', m.month, (t) => all[t] as number));
    return { f, truths };
  });

  it('p10-p90 band contains the realised monthly total in 70-95% of 90 month-checks (nominal 80%; observed 78/90)', () => {
    let inside = 0;
    let total = 0;
    for (const { f, truths } of runs) {
      f.months.forEach((m, i) => {
        const truth = truths[i] as number;
        total++;
        if (m.p10Usd.toNumber() <= truth && truth <= m.p90Usd.toNumber()) inside++;
      });
    }
    expect(total).toBe(90);
    expect(inside / total).toBeGreaterThanOrEqual(0.7);
    // Not a blanket band either: a calibrated p10-p90 must miss about 1 month in 5.
    expect(inside / total).toBeLessThanOrEqual(0.95);
  });

  it('band widens with horizon (month 3 p90/p10 > month 1) but stays useful (June p90/p10 < 1.8)', () => {
    for (const { f } of runs) {
      const w = f.months.map((m) => m.p90Usd.toNumber() / m.p10Usd.toNumber());
      expect(w[2] as number).toBeGreaterThan(w[0] as number);
      expect(w[0] as number).toBeLessThan(1.8);
    }
  });

  it('June expected within 15% of truth in >= 85% of seeds (≈8% sd: 5.5% month noise + 5.5% extrapolation); backtest MAPE (weekly totals, ~11% weekly noise) < 30%', () => {
    const close = runs.filter(({ f, truths }) => Math.abs((f.months[0]?.expectedUsd.toNumber() as number) / (truths[0] as number) - 1) < 0.15);
    expect(close.length / runs.length).toBeGreaterThanOrEqual(0.85);
    for (const { f } of runs) expect(f.backtest.mape as number).toBeLessThan(0.3);
  });

  it('a single forecast day gets the daily spread, not the weekly one: history to 2025-05-30, May p90/p10 of the forecast part > 1.3', () => {
    const u = mulberry32(99);
    const f = forecastSpend(daily('2025-01-01', 150, () => 100 * Math.exp(0.3 * normal(u) - 0.045)), { months: 1 });
    const m = f.months[0];
    const part = (x: number) => x - (m?.actualToDateUsd.toNumber() as number);
    expect(m?.forecastDays).toBe(1);
    expect(part(m?.p90Usd.toNumber() as number) / part(m?.p10Usd.toNumber() as number)).toBeGreaterThan(1.3);
  });

  it('one $10,000 spike day in a flat $100/day history barely moves the trend (Theil–Sen): growth within ±2%/month', () => {
    const f = forecastSpend(daily('2025-01-01', 120, (t) => (t === 100 ? 10_000 : 100)));
    expect(Math.abs(f.monthlyGrowthRate)).toBeLessThan(0.02);
  });
});

describe('forecastSpend: short history, zeros and bad rows', () => {
  it.each<[string, number, string]>([
    ['10 days of $50 → flat-mean, no weekday factors', 10, 'flat-mean'],
    ['15 days of $50 → flat-mean x day-of-week (2+ of each weekday)', 15, 'flat-mean x day-of-week'],
    ['21 days of $50 → log-linear trend (3 complete weeks)', 21, 'log-linear-trend x day-of-week'],
  ])('%s', (_name, days, method) => {
    const f = forecastSpend(daily('2025-03-01', days, () => 50), { months: 1 });
    expect(f.method).toBe(method);
    expect(f.backtest.mape).toBeNull();
    expect(f.backtest.reason).toMatch(/< 56 days/);
  });

  it('10 days of $50 from 2025-03-01 → March = $500 observed + 21 x $50 = $1,550', () => {
    const f = forecastSpend(daily('2025-03-01', 10, () => 50), { months: 1 });
    expect(f.months[0]?.expectedUsd.toFixed()).toBe('1550');
  });

  it('55 days → backtest null ("55 days < 56"); 56 days → MAPE 0 on a flat series', () => {
    expect(forecastSpend(daily('2025-01-01', 55, () => 10)).backtest.reason).toMatch(/55 days < 56/);
    expect(forecastSpend(daily('2025-01-01', 56, () => 10)).backtest.mape).toBeCloseTo(0, 9);
  });

  it('all-zero history → $0 forecast with a $0 band, backtest null (no spend in holdout)', () => {
    const f = forecastSpend(daily('2025-01-01', 60, () => 0), { months: 2 });
    expect(f.method).toBe('all-zero');
    expect(f.months.map((m) => [m.expectedUsd.toFixed(), m.p10Usd.toFixed(), m.p90Usd.toFixed()])).toEqual([
      ['0', '0', '0'],
      ['0', '0', '0'],
    ]);
    expect(f.backtest.reason).toMatch(/no spend/);
  });

  it('30 days of $0 then 63 days of $100 (late start, ends 2025-04-03) → April = $300 observed + 27 x $100 = $3,000', () => {
    const f = forecastSpend(daily('2025-01-01', 93, (t) => (t < 30 ? 0 : 100)), { months: 1 });
    expect(f.months[0]?.forecastDays).toBe(27);
    expect(f.months[0]?.expectedUsd.toNumber()).toBeCloseTo(3000, 0);
    f.dayOfWeekFactors.forEach((x) => expect(x).toBeCloseTo(1, 9));
  });

  it('20% of days randomly $0 around $100: forecast finite and positive, within 15% of 80 x days', () => {
    const u = mulberry32(7);
    const f = forecastSpend(daily('2025-01-01', 120, () => (u() < 0.2 ? 0 : 100)), { months: 1 });
    const m = f.months[0];
    const forecastPart = (m?.expectedUsd.toNumber() as number) - (m?.actualToDateUsd.toNumber() as number);
    expect(Number.isFinite(forecastPart)).toBe(true);
    expect(Math.abs(forecastPart / (80 * (m?.forecastDays as number)) - 1)).toBeLessThan(0.15);
  });

  it('missing 2025-01-10 is filled with $0 and reported; a bad date and a bad amount are skipped', () => {
    const rows = daily('2025-01-01', 30, () => 10).filter((r) => r.date !== '2025-01-10');
    const f = forecastSpend([...rows, { date: '2025-02-30', costUsd: '5' }, { date: '2025-01-05', costUsd: 'abc' }]);
    expect(f.historyDays).toBe(30);
    expect(f.issues.join(' ')).toMatch(/filled 1 missing day/);
    expect(f.issues.filter((i) => /skipped/.test(i))).toHaveLength(2);
  });

  it('duplicate dates are summed: two $5 rows on 2025-01-01 + 20 x $10 → flat $10/day', () => {
    const rows = [{ date: '2025-01-01', costUsd: '5' }, ...daily('2025-01-01', 21, () => 10).slice(1), { date: '2025-01-01', costUsd: '5' }];
    const f = forecastSpend(rows, { months: 1 });
    expect(f.months[0]?.actualToDateUsd.toFixed()).toBe('210');
  });

  it.each<[string, number | undefined, number]>([
    ['default horizon = 3 months', undefined, 3],
    ['months 12 → 12', 12, 12],
    ['months 20 → clamped to 12', 20, 12],
    ['months 0 → clamped to 1', 0, 1],
  ])('%s', (_name, months, count) => {
    expect(forecastSpend(daily('2025-01-01', 30, () => 1), { months }).months).toHaveLength(count);
  });

  it('empty series → no months, method none, reason', () => {
    const f = forecastSpend([]);
    expect(f.months).toHaveLength(0);
    expect(f.method).toBe('none');
    expect(f.issues).toContain('no usable history');
  });

  it('December history rolls into next year: last day 2025-12-31 → 2026-01, 2026-02', () => {
    const f = forecastSpend(daily('2025-11-01', 61, () => 10), { months: 2 });
    expect(f.months.map((m) => [m.month, m.expectedUsd.toFixed()])).toEqual([
      ['2026-01', '310'],
      ['2026-02', '280'],
    ]);
  });
});

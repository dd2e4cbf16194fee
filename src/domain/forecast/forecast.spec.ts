import { mulberry32 } from '../random.js';
import { DAY_MS } from '../time.js';
import { DAMPING_PER_MONTH, GROWTH_CAP, forecastSpend, type DailyCost, type DailyUsage } from './forecast.js';

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
    expect(r.method).toBe('damped-log-linear-trend x day-of-week');
    expect(r.monthlyGrowthRate).toBeGreaterThan(0.095);
    expect(r.monthlyGrowthRate).toBeLessThan(0.105);
  });

  it.each<[string, number]>([
    ['2025-07', 0],
    ['2025-08', 1],
    ['2025-09', 2],
    // Damped (0.9/month) since issue 11: month 3 is ~3% under the undamped truth (0.9698 of it), still within 5%.
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

  it('p10-p90 band contains the realised monthly total in 70-95% of 90 month-checks (nominal 80%; observed 81/90 with the band from the rolling-origin backtest)', () => {
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

  it('band widens with horizon (month 3 p90/p10 > month 1) but stays useful (June p90/p10 < 2; widest of 30 seeds 1.83, whose backtest saw larger extrapolation errors)', () => {
    for (const { f } of runs) {
      const w = f.months.map((m) => m.p90Usd.toNumber() / m.p10Usd.toNumber());
      expect(w[2] as number).toBeGreaterThan(w[0] as number);
      expect(w[0] as number).toBeLessThan(2);
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
    ['21 days of $50 → damped log-linear trend (3 complete weeks)', 21, 'damped-log-linear-trend x day-of-week'],
  ])('%s', (_name, days, method) => {
    const f = forecastSpend(daily('2025-03-01', days, () => 50), { months: 1 });
    expect(f.method).toBe(method);
    expect(f.backtest.mape).toBeNull();
    // The rolling-origin backtest needs 28 days to fit + 1 week ahead + 3 more weekly origins = 56 days for its first horizon.
    expect(f.backtest.reason).toMatch(new RegExp(`history of ${days} days gives 0 scored origin\\(s\\) for a 1-week horizon; 4 needed \\(56\\+ days`));
    expect(f.backtest.band).toBe('in-sample-residuals');
  });

  it('10 days of $50 from 2025-03-01 → March = $500 observed + 21 x $50 = $1,550', () => {
    const f = forecastSpend(daily('2025-03-01', 10, () => 50), { months: 1 });
    expect(f.months[0]?.expectedUsd.toFixed()).toBe('1550');
  });

  it('55 days → 3 one-week origins (55 − 7 = 48, 41, 34 ≥ 28), backtest null; 56 days → 4 origins (49, 42, 35, 28), MAPE 0 on a flat series', () => {
    expect(forecastSpend(daily('2025-01-01', 55, () => 10)).backtest.reason).toMatch(/55 days gives 3 scored origin\(s\) for a 1-week horizon/);
    const f = forecastSpend(daily('2025-01-01', 56, () => 10));
    expect(f.backtest.mape).toBeCloseTo(0, 9);
    expect(f.backtest.holdoutDays).toBe(7);
    expect(f.backtest.horizons.map((h) => [h.weeks, h.origins])).toEqual([[1, 4]]);
  });

  it('all-zero history → $0 forecast with a $0 band, backtest null (no actual volume at any origin)', () => {
    const f = forecastSpend(daily('2025-01-01', 60, () => 0), { months: 2 });
    expect(f.method).toBe('all-zero');
    expect(f.months.map((m) => [m.expectedUsd.toFixed(), m.p10Usd.toFixed(), m.p90Usd.toFixed()])).toEqual([
      ['0', '0', '0'],
      ['0', '0', '0'],
    ]);
    expect(f.backtest.reason).toMatch(/had no actual volume/);
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

/** `days` rows from `start` with tokens f(t) and cost tokens x usdPerMTok(t) / 1e6. */
function usage(start: string, days: number, tokens: (t: number) => number, usdPerMTok: (t: number) => number): DailyUsage[] {
  const s = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: days }, (_, t) => ({
    date: iso(s + t * DAY_MS),
    inputTokens: Math.round(tokens(t) * 0.8),
    outputTokens: Math.round(tokens(t)) - Math.round(tokens(t) * 0.8),
    costUsd: ((Math.round(tokens(t)) * usdPerMTok(t)) / 1e6).toFixed(6),
  }));
}

describe('forecastSpend: volume x price in force (issue 11)', () => {
  // 1M tokens/day from 2025-01-01 for 60 days (to 2025-03-01); $100/M until day 39, $50/M from day 40 (2025-02-10).
  const rows = usage('2025-01-01', 60, () => 1_000_000, (t) => (t < 40 ? 100 : 50));
  const r = forecastSpend(rows, { months: 3 });

  it('price cut of 50% on day 40 of 60: price in force = $50/M (last 7 days 2025-02-23..03-01: $350 / 7M tokens), volume flat, growth 0', () => {
    expect(r.volumeBasis).toBe('tokens');
    expect(r.priceInForce).toMatchObject({ usdPerMillionTokens: '50', from: '2025-02-23', to: '2025-03-01', days: 7, tokens: 7_000_000, costUsd: '350', inputShare: 0.8 });
    expect(r.monthlyGrowthRate).toBeCloseTo(0, 9);
  });

  it.each<[string, number, string, number]>([
    ['2025-03: $50 actual (Mar 1) + 30 days x 1M x $50/M = $1,550', 0, '1550', 30],
    ['2025-04: 30 x $50 = $1,500 (flat at the new price, not a trend down)', 1, '1500', 30],
    ['2025-05: 31 x $50 = $1,550', 2, '1550', 31],
  ])('%s', (_n, i, usd, days) => {
    expect(r.months[i]?.expectedUsd.toFixed()).toBe(usd);
    expect(r.months[i]?.forecastDays).toBe(days);
    expect(r.months[i]?.volume.forecastTokens).toBeCloseTo(days * 1_000_000, 0);
  });

  it('the same spend without token counts is forecast on spend and reads the cut as shrinking (what issue 11 found): growth < -10%/month', () => {
    const spendOnly = rows.map(({ date, costUsd }) => ({ date, costUsd }));
    const f = forecastSpend(spendOnly, { months: 3 });
    expect(f.volumeBasis).toBe('spend');
    expect(f.monthlyGrowthRate).toBeLessThan(-0.1);
  });

  it('actuals stay actual: March actual to date = $50 exactly, the $100/M days before the cut are not repriced', () => {
    expect(r.months[0]?.actualToDateUsd.toFixed()).toBe('50');
    expect(r.actualMonths.map((m) => [m.month, m.actualUsd.toFixed(), m.actualTokens])).toEqual([
      // January 31 x $100; February: 9 x $100 (Feb 1-9) + 19 x $50 (Feb 10-28) = $1,850.
      ['2025-01', '3100', 31_000_000],
      ['2025-02', '1850', 28_000_000],
    ]);
  });
});

describe('forecastSpend: damped, capped growth (issue 11)', () => {
  const g10 = forecastSpend(usage('2025-01-01', 181, (t) => 1e6 * 1.1 ** (t / 30.4375), () => 10), { months: 12 });

  it('states its damping (0.9/month, with its source) and cap (-25%..+25%/month, 1/3x..3x over the horizon)', () => {
    expect(DAMPING_PER_MONTH).toBe(0.9);
    expect(g10.damping.perMonth).toBe(0.9);
    expect(g10.damping.source.url).toMatch(/^https:\/\//);
    expect(g10.growthCap).toMatchObject({ maxMonthlyRate: 0.25, minMonthlyRate: -0.25, maxHorizonFactor: 3, monthlyCapApplied: false });
    expect(g10.method).toBe('damped-log-linear-trend x day-of-week');
    expect(g10.methodDescription).toMatch(/damped by 0.9\/month/);
  });

  it('10%/month compounding: month 12 (2026-06) volume = 1.1^(sum of damped months) ≈ 1.886x the level at asOf, not 1.1^12 = 3.14x', () => {
    // Daily damping phi_d = 0.9^(1/30.4375); h days ahead the log growth is b x phi_d (1 - phi_d^h) / (1 - phi_d), b = ln 1.1 / 30.4375.
    // June 2026 is 336..365 days after 2025-06-30; at its middle (h = 350.5): phi_d^h = 0.9^(350.5/30.4375) = 0.2972,
    // phi_d / (1 - phi_d) = 288.4, so log growth = 0.0031313 x 288.4 x 0.7028 = 0.6347 → e^0.6347 = 1.886
    // (monthly-step check: 1.1^(0.9 + 0.9^2 + ... + 0.9^12) = 1.1^6.458 = 1.851).
    expect(g10.monthlyGrowthRate).toBeCloseTo(0.1, 3);
    const m12 = g10.months[11];
    expect(m12?.month).toBe('2026-06');
    expect(m12?.volumeGrowthFactor).toBeGreaterThan(1.87);
    expect(m12?.volumeGrowthFactor).toBeLessThan(1.9);
    expect(m12?.volumeGrowthFactor).toBeLessThan(GROWTH_CAP.maxHorizonFactor);
    // Month-on-month growth decays: month 2 / month 1 ≈ 1.1^0.9 = 1.09, month 12 / month 11 ≈ 1.1^(0.9^11.5) ≈ 1.03.
    const f = g10.months.map((m) => m.volumeGrowthFactor);
    expect((f[1] as number) / (f[0] as number)).toBeGreaterThan((f[11] as number) / (f[10] as number));
  });

  it('50%/month growth: capped to +25%/month, then the horizon cap holds month 12 at exactly 3x (undamped: 1.5^12 = 130x)', () => {
    // Capped b = ln 1.25 / 30.4375 = 0.007331/day; uncapped-horizon log growth reaches ln 3 = 1.0986 when
    // 0.007331 x 288.4 x (1 - phi_d^h) = 1.0986 → phi_d^h = 0.4804 → h = 212 days, so all of month 12 sits at 3x.
    const f = forecastSpend(usage('2025-01-01', 120, (t) => 1e6 * 1.5 ** (t / 30.4375), () => 10), { months: 12 });
    expect(f.growthCap.monthlyCapApplied).toBe(true);
    expect(f.growthCap.fittedMonthlyRate).toBeCloseTo(0.5, 2);
    expect(f.monthlyGrowthRate).toBeCloseTo(0.25, 9);
    expect(f.months[11]?.volumeGrowthFactor).toBeCloseTo(3, 9);
  });
});

describe('forecastSpend: asOf — days before it are actuals (issue 11)', () => {
  // $10/day (1,000 tokens at $10,000/M) on 2026-11-01..11-28, nothing after.
  const rows = usage('2026-11-01', 28, () => 1000, () => 10_000);

  it('asOf 2026-12-01 (last event Nov 28): November is all actual ($280 over 30 days, Nov 29-30 are $0), the forecast starts with December (31 days)', () => {
    const f = forecastSpend(rows, { months: 2, asOf: '2026-12-01' });
    expect(f.asOfDate).toBe('2026-12-01');
    expect(f.historyDays).toBe(30);
    expect(f.actualMonths.map((m) => [m.month, m.actualUsd.toFixed(), m.observedDays])).toEqual([['2026-11', '280', 30]]);
    expect(f.months.map((m) => [m.month, m.forecastDays, m.actualToDateUsd.toFixed()])).toEqual([
      ['2026-12', 31, '0'],
      ['2027-01', 31, '0'],
    ]);
  });

  it('a request time 2026-12-01T05:49Z is floored to its day: same as asOf 2026-12-01', () => {
    const f = forecastSpend(rows, { months: 1, asOf: new Date('2026-12-01T05:49:55Z') });
    expect(f.months[0]).toMatchObject({ month: '2026-12', forecastDays: 31 });
  });

  it('asOf 2026-11-30: November has 1 forecast day (Nov 30); Nov 29 counts as a $0 actual, so actual to date = 28 x $10 = $280', () => {
    const f = forecastSpend(rows, { months: 1, asOf: '2026-11-30' });
    expect(f.months[0]).toMatchObject({ month: '2026-11', forecastDays: 1 });
    expect(f.months[0]?.actualToDateUsd.toFixed()).toBe('280');
  });

  it('without asOf the forecast starts the day after the last row (2026-11-29: 2 forecast days), as before', () => {
    expect(forecastSpend(rows, { months: 1 }).months[0]).toMatchObject({ month: '2026-11', forecastDays: 2 });
  });

  it('rows on or after asOf are ignored and reported', () => {
    const f = forecastSpend(rows, { months: 1, asOf: '2026-11-20' });
    expect(f.issues).toContain('9 day(s) on or after asOf ignored');
    expect(f.months[0]?.actualToDateUsd.toFixed()).toBe('190');
  });
});

describe('forecastSpend: rolling-origin backtest and calibrated band (issue 11)', () => {
  // 1M tokens/day, each week (aligned to 2025-01-06, a Monday, so the history ends on a week boundary) x a lognormal
  // weekly factor of sd 10% (exp(0.1 z - 0.005)). 98 days = 14 weeks. A flat forecast misses a week by about |0.1 z|:
  // 1-week MAPE ≈ 0.1 x E|z| = 0.1 x 0.80 = 8%; a 4-week total averages 4 weeks (sd 10% / 2 = 5%), so its error is smaller.
  const weeklyNoise = (seed: number, weeks: number) => {
    const u = mulberry32(seed);
    return Array.from({ length: weeks }, () => Math.exp(0.1 * normal(u) - 0.005));
  };
  const run = (seed: number) => {
    const w = weeklyNoise(seed, 14 + 6);
    const tokens = (t: number) => 1e6 * (w[Math.floor(t / 7)] as number);
    const f = forecastSpend(usage('2025-01-06', 98, tokens, () => 10), { months: 1 });
    // 2025-04-14 (asOf) .. 04-30: the month's forecast part, priced at $10/M.
    let truth = 0;
    for (let t = 98; t < 98 + 17; t++) truth += (tokens(t) * 10) / 1e6;
    return { f, truth };
  };
  const { f } = run(1);

  it('98 days: 1-week horizon from 10 origins (day 91 back to 28), 4-week from 7 (70 back to 28); 12-week omitted (needs 133+ days)', () => {
    expect(f.backtest.metric).toBe('MAPE');
    expect(f.backtest.horizons.map((h) => [h.weeks, h.origins, h.targetDays])).toEqual([
      [1, 10, 7],
      [4, 7, 28],
    ]);
    expect(f.backtest.omitted).toHaveLength(1);
    expect(f.backtest.omitted[0]?.weeks).toBe(12);
    expect(f.backtest.omitted[0]?.reason).toMatch(/98 days gives 0 scored origin\(s\) for a 12-week horizon; 4 needed \(133\+ days/);
    expect(f.backtest.band).toBe('backtest');
  });

  it('1-week MAPE ≈ 8% (between 4% and 14%); the 4-week one (the `mape` field, 28 days scored) is under 15% but not lower here', () => {
    // Seed 1: 8.3% at 1 week, 9.9% at 4 weeks. Longer leads do not average the noise away for free: each origin's trend,
    // fitted on 4-10 noisy weeks, carries a slope error that 4 weeks of extrapolation expose. That is what the backtest is for.
    const [h1, h4] = f.backtest.horizons;
    expect(h1?.error).toBeGreaterThan(0.04);
    expect(h1?.error).toBeLessThan(0.14);
    expect(h4?.error).toBeLessThan(0.15);
    expect(f.backtest.mape).toBe(h4?.error);
    expect(f.backtest.holdoutDays).toBe(28);
  });

  it('1-week band p10 < 1 < p90, about as wide as the noise: ln(p90/p10) ≈ 2 x 1.2816 x 0.1 = 0.256 (0.2..0.6: sd estimated from 10 origins, plus level error)', () => {
    const h1 = f.backtest.horizons[0];
    const p10 = h1?.actualOverForecast.p10 as number;
    const p90 = h1?.actualOverForecast.p90 as number;
    expect(p10).toBeLessThan(1);
    expect(p90).toBeGreaterThan(1);
    expect(Math.log(p90 / p10)).toBeGreaterThan(0.2);
    expect(Math.log(p90 / p10)).toBeLessThan(0.6);
  });

  it('the band holds the realised rest of April in 65-95% of 40 seeds (nominal 80%)', () => {
    let inside = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { f: g, truth } = run(seed);
      const m = g.months[0];
      const actual = m?.actualToDateUsd.toNumber() as number;
      if ((m?.p10Usd.toNumber() as number) - actual <= truth + 0.01 && truth - 0.01 <= (m?.p90Usd.toNumber() as number) - actual) inside++;
    }
    expect(inside / 40).toBeGreaterThanOrEqual(0.65);
    expect(inside / 40).toBeLessThanOrEqual(0.95);
  });
});

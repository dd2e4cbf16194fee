import { mulberry32 } from '../random.js';
import { DAY_MS } from '../time.js';
import { baselineFor, checkDay, type DailySpend } from './anomaly.js';

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** `days` rows from `start` (YYYY-MM-DD), cost f(date). */
function series(start: string, days: number, f: (date: Date, t: number) => number): DailySpend[] {
  const s = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: days }, (_, t) => ({ date: iso(s + t * DAY_MS), costUsd: f(new Date(s + t * DAY_MS), t).toFixed(6) }));
}
const weekend = (d: Date) => d.getUTCDay() === 0 || d.getUTCDay() === 6;
/** Weekdays $100, weekends $40. */
const weekly = (d: Date) => (weekend(d) ? 40 : 100);

// 2026-10-05 is a Monday; 56 days later, 2026-11-30, is a Monday too; 2026-12-02 a Wednesday.
describe('anomaly baseline (median/MAD x weekday factor, wider of it and the forecast band)', () => {
  const history = series('2026-10-05', 58, weekly); // through Tuesday 2026-12-01

  it('weekdays $100 / weekends $40 for 8 weeks: a Wednesday is expected at $100, range $90-$110 (MAD 0, 10% floor)', () => {
    // Each week's mean is 580/7; a weekday's ratio 100/(580/7) = 1.2069, a weekend's 0.4828; they average 1.
    // Deseasonalised every day is 580/7 = 82.857 USD: level 82.857, MAD 0; expected 82.857 x 1.2069 = 100.
    // Half-width max(4 x 1.4826 x 0 x f, 10% x 100) = 10. The forecast fits the same weeks exactly: band [100, 100].
    const b = baselineFor(history, '2026-12-02')!;
    expect(b.expected.toDecimalPlaces(6).toNumber()).toBe(100);
    expect(b.mad.toDecimalPlaces(6).toNumber()).toBe(0);
    expect(b.lower.toDecimalPlaces(6).toNumber()).toBe(90);
    expect(b.upper.toDecimalPlaces(6).toNumber()).toBe(110);
    expect(b.forecast.expected.toNumber()).toBeCloseTo(100, 6);
    expect(b.historyDays).toBe(56); // only the last 8 weeks are read
  });

  it('a Saturday of the same series is expected at $40, range $36-$44', () => {
    const b = baselineFor(series('2026-10-05', 61, weekly), '2026-12-05')!;
    expect(b.expected.toDecimalPlaces(6).toNumber()).toBe(40);
    expect([b.lower.toDecimalPlaces(6).toNumber(), b.upper.toDecimalPlaces(6).toNumber()]).toEqual([36, 44]);
  });

  it('one clear spike ($300 on a $100 Wednesday) is flagged once: that day above, the following week normal', () => {
    const withSpike = series('2026-10-05', 58 + 8, (d) => (iso(d.getTime()) === '2026-12-02' ? 300 : weekly(d)));
    const flagged = [];
    for (let t = 56; t < 66; t++) {
      const day = iso(Date.parse('2026-10-05T00:00:00Z') + t * DAY_MS);
      const row = withSpike.find((r) => r.date === day)!;
      const c = checkDay(withSpike, day, row.costUsd, false);
      if (c.verdict === 'anomaly') flagged.push({ day, direction: c.direction, expected: c.baseline.expected.toDecimalPlaces(2).toNumber() });
    }
    expect(flagged).toEqual([{ day: '2026-12-02', direction: 'above', expected: 100 }]);
  });

  it('normal weekly swings (weekdays $1,000, weekends $400, +/-15% noise) over 8 weeks and 4 more: nothing flagged', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const u = mulberry32(seed);
      const s = series('2026-09-07', 84, (d) => (weekend(d) ? 400 : 1000) * (0.85 + 0.3 * u()));
      for (let t = 56; t < 84; t++) {
        const c = checkDay(s, s[t]!.date, s[t]!.costUsd, false);
        expect(c.verdict).toBe('normal');
      }
    }
  });

  it('a flat $1,000/day with a 1% move ($1,010) is normal: the floor keeps the range at $900-$1,100', () => {
    const s = series('2026-10-05', 56, () => 1000);
    const c = checkDay(s, '2026-11-30', '1010', false);
    expect(c.verdict).toBe('normal');
    if (c.verdict !== 'normal') return;
    expect([c.baseline.lower.toNumber(), c.baseline.upper.toNumber()]).toEqual([900, 1100]);
  });

  it('a small workload ($5/day) jumping to $40 is outside its range but moves $35 < $50: normal; with minimumUsd 20 it is flagged', () => {
    const s = series('2026-10-05', 56, () => 5);
    expect(checkDay(s, '2026-11-30', '40', false)).toEqual({ verdict: 'no-verdict', reason: 'under the 50 USD minimum move on every day' });
    expect(checkDay(s, '2026-11-30', '40', false, { minimumUsd: '20' })).toMatchObject({ verdict: 'anomaly', direction: 'above' });
  });

  it('a small workload that once spent $60 in a day is still checked: $5/day jumping to $100 moves $95, above', () => {
    // Median 5, MAD 0 (the one $60 day is an outlier the median ignores): range 4.50-5.50.
    const s = series('2026-10-05', 56, (_d, t) => (t === 20 ? 60 : 5));
    const c = checkDay(s, '2026-11-30', '100', false);
    expect(c).toMatchObject({ verdict: 'anomaly', direction: 'above' });
    if (c.verdict === 'anomaly') expect([c.baseline.expected.toDecimalPlaces(6).toNumber(), c.baseline.robust.lower.toDecimalPlaces(6).toNumber(), c.baseline.robust.upper.toDecimalPlaces(6).toNumber()]).toEqual([5, 4.5, 5.5]);
  });

  it('below: a $1,000 weekday that spends $0 is flagged below once complete, never while the day runs', () => {
    const s = series('2026-10-05', 56, (d) => (weekend(d) ? 400 : 1000));
    expect(checkDay(s, '2026-11-30', '0', false)).toMatchObject({ verdict: 'anomaly', direction: 'below' });
    expect(checkDay(s, '2026-11-30', '0', true).verdict).toBe('normal');
  });

  it('intraday: $150 so far on a $100 Wednesday (upper $110) is already above, partial day', () => {
    // Move $50 >= the $50 minimum.
    expect(checkDay(history, '2026-12-02', '150', true)).toMatchObject({ verdict: 'anomaly', direction: 'above' });
    expect(checkDay(history, '2026-12-02', '105', true).verdict).toBe('normal');
  });

  it('fewer than 14 days of history: no verdict, whatever the spend', () => {
    const s = series('2026-11-18', 13, () => 100);
    expect(checkDay(s, '2026-12-01', '100000', false)).toEqual({ verdict: 'no-verdict', reason: 'fewer than 14 days of history' });
    expect(checkDay([], '2026-12-01', '100000', false).verdict).toBe('no-verdict');
  });

  it('steady growth (+25%/month) is followed by the forecast band: the latest days are not flagged', () => {
    const s = series('2026-09-07', 84, (d, t) => (weekend(d) ? 400 : 1000) * 1.25 ** (t / 30.4375));
    for (let t = 56; t < 84; t++) expect(checkDay(s, s[t]!.date, s[t]!.costUsd, false).verdict).toBe('normal');
  });
});

import { monthSpan, nanoToUsd, scopeMatches, toNanoUsd, windowSpan, type BudgetScopeRule } from './rules.js';

const iso = (s: { start: Date; end: Date; period: string }) => ({ start: s.start.toISOString(), end: s.end.toISOString(), period: s.period });

describe('budget windows', () => {
  it.each([
    // Los Angeles: 05:00Z on 1 Dec is 21:00 on 30 Nov (UTC-8), so November, which began 1 Nov 00:00 PDT (UTC-7) = 07:00Z.
    ['America/Los_Angeles', '2026-12-01T05:00:00Z', { start: '2026-11-01T07:00:00.000Z', end: '2026-12-01T08:00:00.000Z', period: '2026-11' }],
    // 08:00Z on 1 Dec is midnight there: December (ends at midnight 1 Jan, 08:00Z).
    ['America/Los_Angeles', '2026-12-01T08:00:00Z', { start: '2026-12-01T08:00:00.000Z', end: '2027-01-01T08:00:00.000Z', period: '2026-12' }],
    ['UTC', '2026-11-30T23:59:59Z', { start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z', period: '2026-11' }],
    // Kolkata (+05:30): midnight 1 Dec is 18:30Z on 30 Nov; the month starts at the hour holding it, 18:00Z.
    ['Asia/Kolkata', '2026-11-30T18:10:00Z', { start: '2026-11-30T18:00:00.000Z', end: '2026-12-31T18:00:00.000Z', period: '2026-12' }],
    ['Asia/Kolkata', '2026-11-30T17:59:00Z', { start: '2026-10-31T18:00:00.000Z', end: '2026-11-30T18:00:00.000Z', period: '2026-11' }],
    // Year end, east of UTC: 31 Dec 16:00Z is 1 Jan 01:00 in Tokyo (+9).
    ['Asia/Tokyo', '2026-12-31T16:00:00Z', { start: '2026-12-31T15:00:00.000Z', end: '2027-01-31T15:00:00.000Z', period: '2027-01' }],
  ])('month in %s at %s', (tz, at, expected) => {
    expect(iso(monthSpan(new Date(at), tz))).toEqual(expected);
  });

  it('rolling windows end with the current hour: 24h at 10:20 covers yesterday 11:00 to today 11:00, alert period the UTC day', () => {
    expect(iso(windowSpan('24h', new Date('2026-12-01T10:20:00Z'), 'Asia/Kolkata'))).toEqual({ start: '2026-11-30T11:00:00.000Z', end: '2026-12-01T11:00:00.000Z', period: '2026-12-01' });
    expect(iso(windowSpan('7d', new Date('2026-12-01T00:00:00Z'), 'UTC'))).toEqual({ start: '2026-11-24T01:00:00.000Z', end: '2026-12-01T01:00:00.000Z', period: '2026-12-01' });
    expect(windowSpan('30d', new Date('2026-12-01T00:30:00Z'), 'UTC').end.getTime() - windowSpan('30d', new Date('2026-12-01T00:30:00Z'), 'UTC').start.getTime()).toBe(720 * 3_600_000);
  });
});

describe('scope matching', () => {
  const none: BudgetScopeRule = { project: null, workload: null, provider: null, customer: null, tagKey: null, tagValue: null };
  it('an org-wide budget matches everything; each named field must be named alike', () => {
    expect(scopeMatches(none, {})).toBe(true);
    expect(scopeMatches({ ...none, workload: 'chat' }, { workload: 'chat', customer: 'acme' })).toBe(true);
    expect(scopeMatches({ ...none, workload: 'chat' }, {})).toBe(false);
    expect(scopeMatches({ ...none, workload: 'chat' }, { workload: 'search' })).toBe(false);
    expect(scopeMatches({ ...none, customer: 'acme' }, { customer: 'acme' })).toBe(true);
    expect(scopeMatches({ ...none, customer: 'acme' }, { customer: null })).toBe(false);
    expect(scopeMatches({ ...none, tagKey: 'team', tagValue: 'growth' }, { tags: { team: 'growth', env: 'x' } })).toBe(true);
    expect(scopeMatches({ ...none, tagKey: 'team', tagValue: 'growth' }, { tags: { team: 'support' } })).toBe(false);
    // An inherited property is not a tag.
    expect(scopeMatches({ ...none, tagKey: 'constructor', tagValue: 'x' }, { tags: {} })).toBe(false);
  });
});

describe('nano-dollars', () => {
  it.each([
    ['2.5', 2_500_000_000n],
    ['0.000000001', 1n],
    ['0.0000000005', 1n], // half up at the 9th decimal
    ['0.000000000499999', 0n],
    ['12.345678901234', 12_345_678_901n],
    ['7', 7_000_000_000n],
  ])('%s USD = %s nano-dollars', (usd, nano) => {
    expect(toNanoUsd(usd)).toBe(nano);
  });
  it('round-trips to a decimal string and refuses non-decimals', () => {
    expect(nanoToUsd(7_500_000_000n)).toBe('7.5');
    expect(nanoToUsd(-1n)).toBe('-0.000000001');
    expect(nanoToUsd(0n)).toBe('0');
    expect(toNanoUsd('1e3')).toBeNull();
  });
});

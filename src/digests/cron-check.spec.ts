import { checkDigestCron } from './cron-check.js';

const from = new Date('2026-12-01T00:00:00Z');

describe('checkDigestCron: a digest rebuilds the plan and sends webhooks, so its schedule is bounded', () => {
  it.each([
    // 200 Mondays include the spring DST change in Paris, when the week is an hour short: 604,800 - 3,600 s.
    ['0 8 * * 1', 'Mondays 08:00 Paris: 601,200 s at the shortest', 601_200],
    ['30 */6 * * *', 'every 6 hours: 21,600 s', 21_600],
    ['0 * * * *', 'hourly: 3,600 s, the default floor', 3_600],
  ])('%s is accepted (%s)', (cron, _why, gap) => {
    expect(checkDigestCron(cron, 'Europe/Paris', 3600, from)).toEqual({ ok: true, minGapSeconds: gap });
  });

  it.each([
    ['* * * * * *', 'every second', 1],
    ['*/3 * * * * *', 'every 3 seconds', 3],
    ['*/5 * * * *', 'every 5 minutes', 300],
    ['0,30 8 * * *', 'twice at 08:00 and 08:30', 1800],
  ])('%s is refused (%s)', (cron, _why, gap) => {
    expect(checkDigestCron(cron, 'UTC', 3600, from)).toEqual({ ok: false, reason: `cron fires every ${gap} s at times; digests may run at most once every 3600 s` });
  });

  it('a cron that does not parse is refused with the parser’s reason, before anything is saved', () => {
    const r = checkDigestCron('61 * * * *', 'UTC', 3600, from);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^cron does not parse: .*61/);
  });

  it('an operator may lower the floor (tests run a digest every 3 s)', () => {
    expect(checkDigestCron('*/3 * * * * *', 'UTC', 1, from)).toEqual({ ok: true, minGapSeconds: 3 });
  });
});

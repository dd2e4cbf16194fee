import { exemptFromShedding, InflightLimiter } from './admission.js';

describe('InflightLimiter', () => {
  it('admits up to its limit, refuses the next at once, and admits again after a leave', () => {
    const l = new InflightLimiter(2);
    expect([l.tryEnter(), l.tryEnter(), l.tryEnter()]).toEqual([true, true, false]);
    l.leave();
    expect(l.tryEnter()).toBe(true);
    expect(l.stats).toEqual({ inflight: 2, refused: 1 });
  });

  it('never counts below zero (a stray leave cannot raise the limit)', () => {
    const l = new InflightLimiter(1);
    l.leave();
    expect([l.tryEnter(), l.tryEnter()]).toEqual([true, false]);
  });

  it('health and metrics are exempt, API routes are not', () => {
    expect(['/health', '/health/ready', '/metrics'].map(exemptFromShedding)).toEqual([true, true, true]);
    expect(['/v1/events', '/healthz', '/v1/health'].map(exemptFromShedding)).toEqual([false, false, false]);
  });
});

import { LeasedCounters, type LeaseAnswer } from './rate-lease.js';

/** An in-memory stand-in for the Redis counters (INCRBY with a one-minute expiry), recording each call. */
function fakeRedis(now: () => number) {
  const counters = new Map<string, { count: number; ends: number }>();
  const calls: { key: string; amount: number }[] = [];
  const take = async (key: string, amount: number): Promise<LeaseAnswer> => {
    calls.push({ key, amount });
    await Promise.resolve();
    let c = counters.get(key);
    if (!c || c.ends <= now()) c = { count: 0, ends: now() + 60_000 };
    c.count += amount;
    counters.set(key, c);
    return { count: c.count, ttlMs: c.ends - now() };
  };
  return { take, calls, counters };
}

describe('LeasedCounters', () => {
  it('counts a small limit exactly: one INCR per request, the 6th of 5 refused', async () => {
    let t = 0;
    const redis = fakeRedis(() => t);
    const c = new LeasedCounters(redis.take, () => t);
    const counts = [];
    for (let i = 0; i < 7; i++) counts.push((await c.hit('k', 5)).count);
    expect(counts).toEqual([1, 2, 3, 4, 5, 6, 6]);
    // Once the 5th used up the window, the 6th and 7th are refused locally, without asking Redis again.
    expect(redis.calls.map((x) => x.amount)).toEqual([1, 1, 1, 1, 1]);
  });

  it('takes shares of 1% of a large limit: 1,000 requests under a 60,000 limit cost 2 round trips', async () => {
    let t = 0;
    const redis = fakeRedis(() => t);
    const c = new LeasedCounters(redis.take, () => t);
    for (let i = 0; i < 1_000; i++) expect((await c.hit('k', 60_000)).count).toBe(i + 1);
    expect(redis.calls.map((x) => x.amount)).toEqual([600, 600]);
  });

  it('two processes together never let more than the limit through in a window', async () => {
    let t = 0;
    const redis = fakeRedis(() => t);
    const a = new LeasedCounters(redis.take, () => t);
    const b = new LeasedCounters(redis.take, () => t);
    let allowed = 0;
    for (let i = 0; i < 1_500; i++) {
      const r = await (i % 3 ? a : b).hit('k', 1_000);
      if (r.count <= 1_000) allowed++;
    }
    // Unspent shares may refuse a few early (at most one share of 10 per process), never admit more.
    expect(allowed).toBeLessThanOrEqual(1_000);
    expect(allowed).toBeGreaterThanOrEqual(1_000 - 2 * 10);
  });

  it('concurrent requests that find the share spent wait for one lease', async () => {
    let t = 0;
    const redis = fakeRedis(() => t);
    const c = new LeasedCounters(redis.take, () => t);
    const answers = await Promise.all(Array.from({ length: 50 }, () => c.hit('k', 10_000)));
    expect(answers.map((a) => a.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // 50 requests, shares of 100: one lease.
    expect(redis.calls).toHaveLength(1);
  });

  it('starts over when the window turns, and reports the time left in it', async () => {
    let t = 0;
    const redis = fakeRedis(() => t);
    const c = new LeasedCounters(redis.take, () => t);
    for (let i = 0; i < 6; i++) await c.hit('k', 5);
    t = 30_000;
    expect(await c.hit('k', 5)).toEqual({ count: 6, ttlMs: 30_000 });
    t = 60_001;
    expect((await c.hit('k', 5)).count).toBe(1);
  });

  it('a Redis failure reaches the caller (the guard lets the request through) and the next request asks again', async () => {
    let fail = true;
    const c = new LeasedCounters(async () => {
      if (fail) throw new Error('redis down');
      return { count: 1, ttlMs: 60_000 };
    });
    await expect(c.hit('k', 5)).rejects.toThrow('redis down');
    fail = false;
    expect((await c.hit('k', 5)).count).toBe(1);
  });
});

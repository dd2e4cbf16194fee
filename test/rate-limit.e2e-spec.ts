import { bootApp, type TestApp } from './support/app.js';
import { createOrg } from './support/factories.js';

describe('rate limits (Redis-backed, per key and per IP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp({ RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_IP_PER_MINUTE: '1000', RATE_LIMIT_DECIDE_PER_MINUTE: '8' });
  });
  afterAll(async () => t.close());

  it('the 6th request of a key within a minute is 429 with Retry-After; another key is unaffected', async () => {
    const a = await createOrg(t, 'A');
    const b = await createOrg(t, 'B');
    for (let i = 0; i < 5; i++) await t.http.get('/v1/members').set(a.keyAuth).expect(200);
    const res = await t.http.get('/v1/members').set(a.keyAuth).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(res.body.error.code).toBe('rate_limited');
    await t.http.get('/v1/members').set(b.keyAuth).expect(200);
  });

  it('a second app instance sharing the Redis prefix shares the counters', async () => {
    const org = await createOrg(t);
    const other = await bootApp({ RATE_LIMIT_PER_MINUTE: '5', REDIS_PREFIX: t.config.redis.prefix });
    try {
      for (let i = 0; i < 3; i++) await t.http.get('/v1/members').set(org.keyAuth).expect(200);
      for (let i = 0; i < 2; i++) await other.http.get('/v1/members').set(org.keyAuth).expect(200);
      await other.http.get('/v1/members').set(org.keyAuth).expect(429);
    } finally {
      await other.close();
    }
  });

  it('the budget decision has its own limit and counters: a key past its general limit still decides, up to the decide limit', async () => {
    const org = await createOrg(t);
    for (let i = 0; i < 5; i++) await t.http.get('/v1/members').set(org.keyAuth).expect(200);
    await t.http.get('/v1/members').set(org.keyAuth).expect(429);
    for (let i = 0; i < 8; i++) {
      const res = await t.http.get('/v1/budgets/decision?workload=chat').set(org.keyAuth).expect(200);
      expect(res.headers['x-ratelimit-limit']).toBe('8');
    }
    const refused = await t.http.get('/v1/budgets/decision?workload=chat').set(org.keyAuth).expect(429);
    expect(refused.body.error.message).toContain('8 requests per minute');
  });
});

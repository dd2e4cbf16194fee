import { bootApp, type TestApp } from '../support/app.js';

describe('health probes under load and with parts down', () => {
  it('liveness and readiness are never rate limited: after the per-IP limit is spent, /v1 answers 429 and /health still 200', async () => {
    const t = await bootApp({ RATE_LIMIT_IP_PER_MINUTE: '3' });
    try {
      for (let i = 0; i < 3; i++) await t.http.post('/v1/login').send({ email: 'x@example.test', password: 'nope-nope-nope' });
      await t.http.post('/v1/login').send({ email: 'x@example.test', password: 'nope-nope-nope' }).expect(429);
      for (let i = 0; i < 10; i++) {
        await t.http.get('/health').expect(200);
        await t.http.get('/health/ready').expect(200);
      }
    } finally {
      await t.close();
    }
  });

  it('readiness names the part that is down but not its error text (hosts, ports, versions)', async () => {
    const t = await bootApp({ ROLE: 'api', REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const res = await t.http.get('/health/ready').expect(503);
      expect(res.body.error.details).toEqual({ postgres: { status: 'up' }, redis: { status: 'down', message: 'unreachable' } });
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:1\b/);
    } finally {
      await t.close();
    }
  });
});

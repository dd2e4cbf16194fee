import { randomBytes } from 'node:crypto';
import { bootApp, type TestApp } from './support/app.js';
import { createOrg } from './support/factories.js';
import { waitFor } from './support/wait.js';

/**
 * The two roles production runs (docker-compose: api and worker) as two apps
 * sharing one database and one Redis prefix: the worker serves no route but
 * health and metrics, and the api's events are rolled up by the worker alone.
 */
describe('roles', () => {
  let api: TestApp;
  let worker: TestApp;
  beforeAll(async () => {
    api = await bootApp({ ROLE: 'api' });
    worker = await bootApp({ ROLE: 'worker', REDIS_PREFIX: api.config.redis.prefix });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('the worker answers health and metrics, and no API, docs or dashboard route', async () => {
    await worker.http.get('/health').expect(200);
    expect((await worker.http.get('/metrics').expect(200)).text).toContain('crossover_queue_jobs');
    for (const path of ['/v1/plan', '/v1/workloads', '/v1/reports/summary', '/docs/json', '/app/']) await worker.http.get(path).expect(404);
    await worker.http.post('/v1/signup').send({ orgName: 'x', email: 'x@example.test', password: 'long-enough-password' }).expect(404);
    await worker.http.post('/v1/events').send({}).expect(404);
  });

  it('events posted to the api role are rolled up by the worker role', async () => {
    const org = await createOrg(api);
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000);
    const event = { id: randomBytes(6).toString('hex'), timestamp: hour.toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'roles', usage: { inputTokens: 1_000_000, outputTokens: 100_000 } };
    expect((await api.http.post('/v1/events').set(org.keyAuth).send(event).expect(200)).body.accepted).toBe(1);
    const to = new Date(hour.getTime() + 3_600_000).toISOString();
    // gpt-4o: $2.50 / 1M input + $10 / 1M output = $3.50.
    const totals = await waitFor(async () => {
      const r = await api.http.get(`/v1/reports/spend?from=${hour.toISOString()}&to=${to}`).set(org.keyAuth).expect(200);
      return r.body.totals.costUsd !== '0' ? r.body.totals : null;
    }, 20_000);
    expect(totals.costUsd).toBe('3.5');
    expect(totals.requests).toBe(1);
  });
});

import { bootApp, type TestApp } from './support/app.js';
import { createOrg } from './support/factories.js';

describe('GET /metrics (Prometheus)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(async () => t.close());

  it('exposes HTTP latency by route and status, events by outcome, queue depth and rollup lag', async () => {
    const org = await createOrg(t);
    const e = { id: 'm-1', timestamp: new Date(Date.now() - 60_000).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'm', usage: { inputTokens: 1, outputTokens: 1 } };
    await t.http.post('/v1/events').set(org.keyAuth).send({ events: [e, e, { ...e, id: 'm-2', usage: { inputTokens: -1 } }] }).expect(200);
    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(/crossover_http_request_duration_seconds_count\{method="POST",route="\/v1\/events",status="200"\} [1-9]/);
    expect(res.text).toMatch(/crossover_events_total\{status="accepted"\} 1/);
    expect(res.text).toMatch(/crossover_events_total\{status="duplicate"\} 1/);
    expect(res.text).toMatch(/crossover_events_total\{status="rejected"\} 1/);
    expect(res.text).toMatch(/crossover_queue_jobs\{queue="metering",state="(waiting|delayed|active|failed)"\}/);
    expect(res.text).toMatch(/crossover_rollup_lag_seconds \d/);
  });
});

describe('GET /metrics is not public', () => {
  it('with METRICS_TOKEN set: 404 without it or with a wrong one, 200 with Bearer <token>', async () => {
    const t = await bootApp({ METRICS_TOKEN: 'scrape-token-0123456789' });
    try {
      await t.http.get('/metrics').expect(404);
      await t.http.get('/metrics').set('authorization', 'Bearer scrape-token-wrong').expect(404);
      const ok = await t.http.get('/metrics').set('authorization', 'Bearer scrape-token-0123456789').expect(200);
      expect(ok.text).toMatch(/crossover_rollup_lag_seconds/);
    } finally {
      await t.close();
    }
  });

  it('in production without a token it is not served at all', async () => {
    const t = await bootApp({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), CONNECTOR_ENCRYPTION_KEY: `k1:${Buffer.alloc(32, 5).toString('base64')}` });
    try {
      await t.http.get('/metrics').expect(404);
    } finally {
      await t.close();
    }
  });
});

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

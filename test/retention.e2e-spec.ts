import { randomBytes } from 'node:crypto';
import { bootApp, type TestApp } from './support/app.js';
import { createOrg, type TestOrg } from './support/factories.js';
import { waitFor } from './support/wait.js';

let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t.close());

const DAY = 86_400_000;
const ev = (daysAgo: number) => ({
  id: `r-${randomBytes(6).toString('hex')}`,
  timestamp: new Date(Date.now() - daysAgo * DAY).toISOString(),
  provider: 'openai',
  model: 'gpt-4o',
  workload: 'kept',
  usage: { inputTokens: 1_000_000, outputTokens: 0 },
});
const range = `from=${new Date(Date.now() - 200 * DAY).toISOString()}&to=${new Date().toISOString()}`;
const totals = async (org: TestOrg) => (await t.http.get(`/v1/reports/spend?${range}`).set(org.keyAuth).expect(200)).body.totals;

describe('data retention', () => {
  it('drops raw events older than the org setting while reports keep their totals; late events before the horizon are refused', async () => {
    const org = await createOrg(t);
    await t.http.post('/v1/events').set(org.keyAuth).send({ events: [ev(120), ev(90), ev(45), ev(10), ev(1)] }).expect(200);
    const before = await waitFor(async () => {
      const tot = await totals(org);
      return tot.requests === 5 ? tot : null;
    });
    expect(before.costUsd).toBe('12.5');

    await t.http.put('/v1/settings/retention').set(org.auth).send({ days: 30 }).expect(200);
    const { QueueService } = await import('../src/infra/queue/queue.service.js');
    await t.app.get(QueueService).enqueue('maintenance', 'retention', { orgId: org.orgId }, { jobId: `retention-test-${org.orgId}` });
    const setting = await waitFor(async () => {
      const r = await t.http.get('/v1/settings/retention').set(org.keyAuth).expect(200);
      return r.body.retainedFrom ? r.body : null;
    });
    expect(setting.days).toBe(30);
    await waitFor(async () => ((await t.http.get('/v1/events?limit=10').set(org.keyAuth)).body.data.length === 2 ? true : null));

    expect(await totals(org)).toEqual(before);
    const late = await t.http.post('/v1/events').set(org.keyAuth).send({ events: [ev(60)] }).expect(200);
    expect(late.body.results[0]).toMatchObject({ status: 'rejected', errors: [{ field: 'events[0].timestamp', message: expect.stringMatching(/retention/) }] });
    await t.http.put('/v1/settings/retention').set(org.auth).send({ days: 3 }).expect(400);
  });
});

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { bootApp, type TestApp } from '../support/app.js';
import { createOrg } from '../support/factories.js';
import { TEST_DATABASE_URL } from '../support/env.js';
import { waitFor } from '../support/wait.js';

/**
 * "Past capacity, requests are refused fast with 503 and Retry-After, never held for tens of seconds."
 * Capacity here is two requests in flight; two ingest batches are held in flight for real (a row lock their
 * transaction waits on), and what arrives meanwhile must be refused at once, with health still answering.
 */
let t: TestApp;
let holder: pg.Client;
beforeAll(async () => {
  t = await bootApp({ MAX_INFLIGHT_REQUESTS: '2' });
  holder = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await holder.connect();
});
afterAll(async () => {
  await holder.end();
  await t.close();
});

describe('Load shedding', () => {
  it('beyond the in-flight limit a request gets 503 + Retry-After at once; held batches still land; capacity comes back', async () => {
    const org = await createOrg(t);
    const hour = new Date(Math.floor((Date.now() - 2 * 3_600_000) / 3_600_000) * 3_600_000);
    const event = () => ({ id: randomBytes(6).toString('hex'), timestamp: new Date(hour.getTime() + 60_000).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'chat', usage: { inputTokens: 1_000, outputTokens: 0 } });
    // A dirty mark of the batches' hour, inserted in a transaction this test keeps open: their own marks wait
    // for it. Never committed, so the app's sweeper cannot roll it up and delete it first.
    await holder.query('BEGIN');
    await holder.query(`INSERT INTO dirty_buckets (org_id, hour, marked_at) VALUES ($1, $2, now())`, [org.orgId, hour]);
    let held: Promise<{ status: number; body: { accepted: number } }>[] = [];
    try {
      held = [0, 1].map(() => t.http.post('/v1/events').set(org.keyAuth).send({ events: [event()] }).then((r) => r));
      // Both batches wait inside their transaction (on the held row, or on each other's rows): the server
      // itself reports two requests in flight.
      await waitFor(async () => {
        const m = await t.http.get('/metrics').expect(200);
        return /^crossover_http_inflight_requests 2$/m.test(m.text) || null;
      }, 15_000);

      const refused = await t.http.post('/v1/events').set(org.keyAuth).send({ events: [event()] });
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.body.error).toMatchObject({ code: 'overloaded' });
      expect((await t.http.get('/v1/reports/spend').set(org.keyAuth)).status).toBe(503);
      await t.http.get('/health').expect(200);
      expect((await t.http.get('/metrics').expect(200)).text).toMatch(/^crossover_http_shed_requests 2$/m);
    } finally {
      await holder.query('ROLLBACK');
    }
    const results = await Promise.all(held);
    expect(results.map((r) => [r.status, r.body.accepted])).toEqual([
      [200, 1],
      [200, 1],
    ]);
    // The two slots are free again.
    await t.http.post('/v1/events').set(org.keyAuth).send({ events: [event()] }).expect(200);
    await t.http.get('/v1/reports/spend').set(org.keyAuth).expect(200);
  });
});

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { bootApp, type TestApp } from '../support/app.js';
import { createOrg } from '../support/factories.js';
import { TEST_DATABASE_URL } from '../support/env.js';
import { waitFor } from '../support/wait.js';
import { RetentionService } from '../../src/retention/retention.service.js';

/**
 * "A batch committed during a retention purge can be reported accepted and then dropped." The interleaving
 * is forced with a real row lock: the batch is held just before its commit while the purge starts. The purge
 * must wait for it (the horizon moves under a lock that in-flight batches share), then roll its hour up
 * before deleting raw events, so the event acknowledged as accepted is counted.
 */
const DAY = 86_400_000;
let t: TestApp;
let admin: pg.Client;
let holder: pg.Client;

beforeAll(async () => {
  t = await bootApp();
  admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  holder = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await Promise.all([admin.connect(), holder.connect()]);
});
afterAll(async () => {
  await Promise.all([admin.end(), holder.end()]);
  await t.close();
});

/** True once a backend runs a statement matching `like` and waits on a lock. */
async function waitingOnLock(like: string): Promise<boolean> {
  const r = await admin.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`, [like]);
  return (r.rowCount ?? 0) > 0;
}

describe('Retention purge racing an ingest batch', () => {
  it('an old event whose batch commits while the purge starts is either refused or counted, never accepted and lost', async () => {
    const org = await createOrg(t);
    await t.http.put('/v1/settings/retention').set(org.auth).send({ days: 30 }).expect(200);
    const hour = new Date(Math.floor((Date.now() - 40 * DAY) / 3_600_000) * 3_600_000);
    const window = `from=${hour.toISOString()}&to=${new Date(hour.getTime() + 3_600_000).toISOString()}&granularity=hour`;

    // The hour's dirty mark, inserted by this test in a transaction it keeps open: the batch will stop on it
    // (its own mark waits for ours), uncommitted. Never committed, the mark is invisible to the app's sweeper,
    // which could otherwise roll the hour up and delete a committed mark before the test locked it.
    await holder.query('BEGIN');
    await holder.query(`INSERT INTO dirty_buckets (org_id, hour, marked_at) VALUES ($1, $2, now())`, [org.orgId, hour]);
    let purge: Promise<unknown> | undefined;
    try {
      const event = { id: `late-${randomBytes(6).toString('hex')}`, timestamp: new Date(hour.getTime() + 60_000).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'late', usage: { inputTokens: 1_000_000, outputTokens: 0 } };
      const batch = t.http.post('/v1/events').set(org.keyAuth).send({ events: [event] }).then((r) => r);
      // The batch's one statement (horizon, rows, dirty marks; see EventsRepository.insertBatch) blocks on our mark.
      // pg_stat_activity keeps the first 1 kB of a statement: the match is on its opening CTE (the org id is a
      // parameter or inlined, depending on whether the batch registers a new workload).
      await waitFor(async () => (await waitingOnLock('%WITH horizon AS (SELECT retained_from FROM org_settings WHERE org_id = % FOR KEY SHARE)%')) || null, 15_000);

      purge = t.app.get(RetentionService).purge(org.orgId, 30);
      // The purge must wait for the batch in flight before it moves the horizon.
      await waitFor(async () => (await waitingOnLock('%FROM org_settings WHERE org_id = $1 FOR UPDATE%')) || null, 15_000);
      await holder.query('ROLLBACK');

      const res = await batch;
      const result = await purge;
      expect(res.status).toBe(200);
      expect(result).toMatchObject({ cutoff: expect.any(String) });
      const { accepted, rejected } = res.body as { accepted: number; rejected: number };
      expect(accepted + rejected).toBe(1);
      // Accepted means counted: its hour was rolled up before the raw event was purged.
      const report = await t.http.get(`/v1/reports/spend?${window}`).set(org.keyAuth).expect(200);
      expect(report.body.totals.requests).toBe(accepted);
      expect(report.body.totals.costUsd).toBe(accepted ? '2.5' : '0');
      const raw = await admin.query(`SELECT count(*)::int AS n FROM usage_events WHERE org_id = $1`, [org.orgId]);
      expect(raw.rows[0].n).toBe(0);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await purge?.catch(() => undefined);
    }
  });

  it('after the purge, an event behind the horizon is refused with the reason and nothing else in its batch is lost', async () => {
    const org = await createOrg(t);
    await t.http.put('/v1/settings/retention').set(org.auth).send({ days: 30 }).expect(200);
    await t.app.get(RetentionService).purge(org.orgId, 30);
    const old = { id: `old-${randomBytes(6).toString('hex')}`, timestamp: new Date(Date.now() - 40 * DAY).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'late', usage: { inputTokens: 10, outputTokens: 0 } };
    const fresh = { ...old, id: `new-${randomBytes(6).toString('hex')}`, timestamp: new Date(Date.now() - 60_000).toISOString() };
    const res = await t.http.post('/v1/events').set(org.keyAuth).send({ events: [old, fresh] }).expect(200);
    expect(res.body.accepted).toBe(1);
    expect(res.body.results[0].status).toBe('rejected');
    expect(res.body.results[0].errors[0]).toMatchObject({ field: 'events[0].timestamp', message: expect.stringMatching(/purged by retention/) });
  });
});

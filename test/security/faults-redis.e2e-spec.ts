import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { redisOptionsFromUrl } from '../../src/infra/queue/redis-connection.js';
import { bootApp, type TestApp } from '../support/app.js';
import { startRedisServer, type RedisServer } from '../support/clusters.js';
import { createKey, createOrg, type TestOrg } from '../support/factories.js';
import { waitFor } from '../support/wait.js';
import { TEST_DATABASE_URL } from '../support/env.js';

/**
 * Redis of this test's own, killed and restarted empty, or flushed while
 * running: every job scheduler is gone. Usage events live in PostgreSQL (the
 * dirty hour is marked in the ingest transaction), so ingest carries on
 * while Redis is down; the worker re-upserts its schedulers every
 * SCHEDULE_RECONCILE_SECONDS, so sweeping resumes and rollups converge with
 * no restart.
 */

// gpt-4o: $2.50 per 1M input tokens, $10 per 1M output tokens → $3.50 per event of 1M in + 100k out.
const USD_PER_EVENT = 3.5;
const CLIENT_TIMEOUT_MS = 20_000;
const HOUR = 3_600_000;

let redis: RedisServer;
let t: TestApp | undefined;

beforeAll(async () => {
  redis = await startRedisServer();
  t = await bootApp({ REDIS_URL: redis.url, ROLE: 'all', SCHEDULE_RECONCILE_SECONDS: '1' });
}, 60_000);

afterAll(async () => {
  try {
    await redis?.start().catch(() => undefined);
    await t?.close();
  } finally {
    await redis?.destroy();
  }
}, 60_000);

/** Ids of the metering queue's job schedulers, read straight from Redis with the app's prefix. */
async function meteringSchedulers(queue = 'metering'): Promise<string[]> {
  const q = new Queue(queue, { prefix: t!.config.redis.prefix, connection: { ...redisOptionsFromUrl(redis.url), maxRetriesPerRequest: 1, enableOfflineQueue: false } });
  try {
    return (await q.getJobSchedulers()).map((s) => s.key ?? s.id ?? '');
  } finally {
    await q.close().catch(() => undefined);
  }
}

function events(n: number) {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    id: `redis-fault-${randomBytes(6).toString('hex')}`,
    timestamp: new Date(now - (i % 3) * HOUR - 60_000).toISOString(),
    provider: 'openai',
    model: 'gpt-4o',
    workload: 'faults',
    usage: { inputTokens: 1_000_000, outputTokens: 100_000 },
  }));
}

async function converged(org: TestOrg, expectedEvents: number) {
  const from = new Date(Date.now() - 2 * 24 * HOUR).toISOString();
  const to = new Date(Date.now() + HOUR).toISOString();
  let last: unknown;
  return waitFor(async () => {
    const res = await t!.http.get(`/v1/reports/spend?from=${from}&to=${to}`).set(org.keyAuth).expect(200);
    last = res.body.totals;
    return res.body.totals.requests === expectedEvents && Number(res.body.totals.costUsd) === expectedEvents * USD_PER_EVENT;
  }, 30_000, 250).catch((e: Error) => {
    throw new Error(`${e.message}; last totals ${JSON.stringify(last)}, expected ${expectedEvents} events and $${expectedEvents * USD_PER_EVENT}`);
  });
}

describe('Redis killed, restarted empty, or flushed', () => {
  it('ingest keeps answering 200 with Redis down (events and dirty hours are in PostgreSQL); after an empty restart the sweep scheduler comes back and rollups converge', async () => {
    await waitFor(async () => (await meteringSchedulers()).includes('metering-sweep'), 15_000, 200);
    const org = await createOrg(t!, 'Faults Redis');
    const ingest = (await createKey(t!, org, ['ingest'])).auth;
    const before = events(6);
    expect((await t!.http.post('/v1/events').set(ingest).send({ events: before }).timeout(CLIENT_TIMEOUT_MS).expect(200)).body.accepted).toBe(6);

    await redis.kill();
    // Ingest does not need Redis: the rate limiter fails open and the rollup nudge is left to the sweeper.
    const during = events(9);
    const res = await t!.http.post('/v1/events').set(ingest).send({ events: during }).timeout(CLIENT_TIMEOUT_MS);
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(9);
    // A route that needs the queue answers 503 + Retry-After, naming the part without its error text.
    const jobs = await t!.http.get('/v1/admin/jobs').set(org.keyAuth).timeout(CLIENT_TIMEOUT_MS);
    expect(jobs.status).toBe(503);
    expect(jobs.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(jobs.body.error).toMatchObject({ code: 'unavailable', details: { dependency: 'redis' } });
    expect(JSON.stringify(jobs.body)).not.toMatch(/enableOfflineQueue|Stream|127\.0\.0\.1/);
    // Starting a re-pricing run needs the queue: 503, and the run it recorded says failed instead of staying pending for ever.
    const reprice = await t!.http.post('/v1/catalog/reprice').set(org.keyAuth).send({ from: '2026-05-01T00:00:00Z', to: '2026-07-01T00:00:00Z', dryRun: false }).timeout(CLIENT_TIMEOUT_MS);
    expect(reprice.status).toBe(503);
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      const runs = await db.query(`SELECT status FROM reprice_runs WHERE org_id = $1`, [org.orgId]);
      expect(runs.rows.map((r) => r.status)).toEqual(['failed']);
    } finally {
      await db.end();
    }
    // A digest schedule changed meanwhile is saved (200), and scheduled once the queue is back.
    const schedule = { cron: '0 9 * * 2', timezone: 'Europe/Paris', enabled: true };
    await t!.http.put('/v1/digests/schedule').set(org.auth).send(schedule).timeout(CLIENT_TIMEOUT_MS).expect(200);
    expect((await t!.http.get('/v1/digests/schedule').set(org.auth).expect(200)).body).toMatchObject(schedule);

    // A new, empty Redis on the same port: no scheduler survives...
    await redis.start();
    // ...until the worker's reconciliation puts it back, without a restart.
    await waitFor(async () => (await meteringSchedulers()).includes('metering-sweep'), 15_000, 200);
    await waitFor(async () => (await meteringSchedulers('digests')).includes(`digest-${org.orgId}`), 15_000, 200);
    // The hours marked while Redis was down are swept and rolled up: every event counted once.
    await converged(org, before.length + during.length);
  }, 60_000);

  it('FLUSHALL on a running Redis: the sweep scheduler comes back and new usage is rolled up', async () => {
    const org = await createOrg(t!, 'Faults Flush');
    await waitFor(async () => (await meteringSchedulers()).includes('metering-sweep'), 15_000, 200);
    const admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      await admin.flushall();
      // The flush really removed it (otherwise the test below proves nothing).
      expect(await meteringSchedulers()).not.toContain('metering-sweep');
    } finally {
      admin.disconnect();
    }
    const ingest = (await createKey(t!, org, ['ingest'])).auth;
    const after = events(4);
    expect((await t!.http.post('/v1/events').set(ingest).send({ events: after }).timeout(CLIENT_TIMEOUT_MS).expect(200)).body.accepted).toBe(4);
    await waitFor(async () => (await meteringSchedulers()).includes('metering-sweep'), 15_000, 200);
    await converged(org, after.length);
  }, 60_000);
});

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { verifySignature } from '../../src/common/standard-webhooks.js';
import { QueueService } from '../../src/infra/queue/queue.service.js';
import { deliveryJobId, MAX_DELIVERY_ATTEMPTS, REQUEUE_EVERY_MS, REQUEUE_GRACE_MS, REQUEUE_PER_ORG, WebhooksService } from '../../src/webhooks/webhooks.service.js';
import { bootApp, type TestApp } from '../support/app.js';
import { createSuiteDatabase, type SuiteDatabase } from '../support/database.js';
import { createOrg, type TestOrg } from '../support/factories.js';
import { startReceiver } from '../support/receiver.js';
import { waitFor } from '../support/wait.js';

/*
 * The outbox sweep spans every org of its database, and each test app has a Redis prefix of its own, so
 * job ids dedupe only within one app. On the run's shared database another suite's worker would re-queue
 * this suite's aged deliveries (or this suite's sweeps theirs) into a second prefix and send them twice.
 * This suite therefore gets a database of its own, built from the same migrations.
 */
let suiteDb: SuiteDatabase;
let dbUrl: string;

async function createSuiteDb(): Promise<void> {
  suiteDb = await createSuiteDatabase();
  dbUrl = suiteDb.url;
}

async function dropSuiteDb(): Promise<void> {
  await suiteDb?.drop();
}

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  try {
    return (await db.query<T>(text, params)).rows;
  } finally {
    await db.end();
  }
}

/** A port on 127.0.0.1 where nothing listens: a Redis that cannot be reached. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

// The worker: role `all`, working Redis. Once its sweep scheduler is seen registered, it is removed (and not
// reconciled back within the suite), so each test's sweep is the only one and its claims are deterministic.
let t: TestApp;
let registered: unknown;
beforeAll(async () => {
  await createSuiteDb();
  t = await bootApp({ DATABASE_URL: dbUrl, SCHEDULE_RECONCILE_SECONDS: '3600' });
  const queue = t.app.get(QueueService).queue('webhooks');
  registered = await waitFor(() => queue.getJobScheduler('webhooks-requeue'));
  await queue.removeJobScheduler('webhooks-requeue');
  await waitFor(async () => (await queue.getJobs(['waiting', 'active', 'delayed'])).every((j) => j.name !== 'requeue'));
}, 60_000);
afterAll(async () => {
  await t?.close();
  await dropSuiteDb();
});

interface DeliveryView {
  id: string;
  messageId: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
}

async function deliveriesOf(app: TestApp, org: TestOrg, hookId: string): Promise<DeliveryView[]> {
  return (await app.http.get(`/v1/webhooks/${hookId}/deliveries`).set(org.auth).expect(200)).body.data;
}

/** Moves a delivery's last touch back beyond the sweep's grace period: what waiting that long would do. */
async function age(deliveryId: string): Promise<void> {
  await sql(`UPDATE webhook_deliveries SET updated_at = now() - $2 * interval '1 millisecond' - interval '1 minute' WHERE id = $1`, [deliveryId, REQUEUE_GRACE_MS]);
}

describe('webhook deliveries are an outbox: at-least-once, re-queued by a sweep', () => {
  it('the worker registers the requeue sweep as a job scheduler', () => {
    expect(registered).toMatchObject({ name: 'requeue', every: REQUEUE_EVERY_MS });
  });

  it('a digest built while Redis is unreachable is still recorded (201), then delivered exactly once after a worker runs the requeue sweep', async () => {
    const receiver = await startReceiver();
    const offline = await bootApp({ ROLE: 'api', DATABASE_URL: dbUrl, REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    try {
      const org = await createOrg(t, 'Outbox');
      const hook = await t.http.post('/v1/webhooks').set(org.auth).send({ url: receiver.url, events: ['digest.created'] }).expect(201);
      // The producer cannot reach Redis: the digest and its delivery are committed, the enqueue fails, the caller does not.
      const digest = await offline.http.post('/v1/digests').set(org.auth).expect(201);
      const [pending] = await deliveriesOf(offline, org, hook.body.id);
      expect(pending).toMatchObject({ status: 'pending', attempts: 0, messageId: `digest-${digest.body.id}` });
      expect(await t.app.get(QueueService).queue('webhooks').getJob(deliveryJobId(pending!.id))).toBeFalsy();

      // After the grace period, the sweep job (what the scheduler runs) re-queues it on the working Redis.
      await age(pending!.id);
      await t.app.get(QueueService).enqueue('webhooks', 'requeue', { orgId: '*' });
      const delivered = await waitFor(async () => (await deliveriesOf(t, org, hook.body.id)).find((d) => d.status === 'delivered'), 20_000);
      // attempts counts every send started; nothing sends a delivery that is no longer pending, so 1 means exactly once.
      expect(delivered).toMatchObject({ id: pending!.id, attempts: 1, lastStatusCode: 200 });
      expect(receiver.received).toHaveLength(1);
      const [got] = receiver.received;
      expect(got!.headers['webhook-id']).toBe(`digest-${digest.body.id}`);
      expect(verifySignature(hook.body.secret, got!.headers, Buffer.from(got!.body))).toBeNull();
      expect(JSON.parse(got!.body)).toMatchObject({ type: 'digest.created', data: { digestId: digest.body.id } });

      // A duplicate job for a delivered delivery (a late re-queue, a retry after a crash) sends nothing.
      expect(await t.app.get(WebhooksService).deliver(org.orgId, pending!.id)).toEqual({ status: 0 });
      expect(receiver.received).toHaveLength(1);
      expect((await deliveriesOf(t, org, hook.body.id))[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    } finally {
      await offline.close();
      await receiver.close();
    }
  });

  it('a pending delivery whose job is still queued is not queued again by the sweep, and is sent once', async () => {
    const receiver = await startReceiver();
    // A producer without a worker: its delivery job waits in the queue until a worker with the same prefix starts.
    const prefix = `cxtest-${process.env.CROSSOVER_TEST_RUN_ID}-${randomBytes(4).toString('hex')}`;
    const producer = await bootApp({ ROLE: 'api', DATABASE_URL: dbUrl, REDIS_PREFIX: prefix });
    let worker: TestApp | undefined;
    try {
      const org = await createOrg(t, 'Queued');
      const hook = await t.http.post('/v1/webhooks').set(org.auth).send({ url: receiver.url, events: ['digest.created'] }).expect(201);
      await producer.http.post('/v1/digests').set(org.auth).expect(201);
      const [pending] = await deliveriesOf(producer, org, hook.body.id);
      const queue = producer.app.get(QueueService).queue('webhooks');
      expect(await (await queue.getJob(deliveryJobId(pending!.id)))?.getState()).toBe('waiting');

      // The sweep sees the delivery (untouched past the grace period) and finds its job still waiting.
      await age(pending!.id);
      const swept = await producer.app.get(WebhooksService).requeue();
      expect(swept).toMatchObject({ claimed: 1, live: 1, enqueued: 0 });
      const jobsOfDelivery = (await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])).filter((j) => j.data.deliveryId === pending!.id);
      expect(jobsOfDelivery).toHaveLength(1);

      worker = await bootApp({ ROLE: 'worker', DATABASE_URL: dbUrl, REDIS_PREFIX: prefix });
      const delivered = await waitFor(async () => (await deliveriesOf(t, org, hook.body.id)).find((d) => d.status === 'delivered'), 20_000);
      expect(delivered.attempts).toBe(1);
      await waitFor(async () => (await queue.getJobCounts('waiting', 'delayed', 'active')).waiting === 0 || null);
      expect(receiver.received).toHaveLength(1);
    } finally {
      await worker?.close();
      await producer.close();
      await receiver.close();
    }
  });

  it('a delivery ends failed when its attempts run out, across re-queues, and the sweep never sends it again', async () => {
    const receiver = await startReceiver(() => 500);
    const offline = await bootApp({ ROLE: 'api', DATABASE_URL: dbUrl, REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    try {
      const org = await createOrg(t, 'Exhausted');
      const hook = await t.http.post('/v1/webhooks').set(org.auth).send({ url: receiver.url, events: ['digest.created'] }).expect(201);
      await offline.http.post('/v1/digests').set(org.auth).expect(201);
      const [pending] = await deliveriesOf(t, org, hook.body.id);
      // It had already used all but two attempts under a job lost since (a Redis flush).
      await sql(`UPDATE webhook_deliveries SET attempts = $2 WHERE id = $1`, [pending!.id, MAX_DELIVERY_ATTEMPTS - 2]);
      await age(pending!.id);
      expect(await t.app.get(WebhooksService).requeue()).toMatchObject({ claimed: 1, enqueued: 1 });

      const failed = await waitFor(async () => (await deliveriesOf(t, org, hook.body.id)).find((d) => d.status === 'failed'), 20_000);
      expect(failed).toMatchObject({ attempts: MAX_DELIVERY_ATTEMPTS, lastStatusCode: 500 });
      expect(receiver.received).toHaveLength(2);
      expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([pending!.messageId]));
      // The job stopped at the delivery's bound although it had attempts of its own left.
      const job = (await t.app.get(QueueService).queue('webhooks').getJob(deliveryJobId(pending!.id)))!;
      await waitFor(async () => (await job.getState()) === 'failed');
      expect((await t.app.get(QueueService).queue('webhooks').getJob(deliveryJobId(pending!.id)))!.attemptsMade).toBe(2);

      // Failed is final: however old, the sweep does not pick it, and nothing more is sent.
      await age(pending!.id);
      await t.app.get(WebhooksService).requeue();
      expect(await (await t.app.get(QueueService).queue('webhooks').getJob(deliveryJobId(pending!.id)))!.getState()).toBe('failed');
      expect((await deliveriesOf(t, org, hook.body.id))[0]).toMatchObject({ status: 'failed', attempts: MAX_DELIVERY_ATTEMPTS });
      expect(receiver.received).toHaveLength(2);
    } finally {
      await offline.close();
      await receiver.close();
    }
  });

  it('when BullMQ exhausts a job\'s attempts the delivery ends failed, not pending for the sweep to resend for ever', async () => {
    const receiver = await startReceiver(() => 503);
    const offline = await bootApp({ ROLE: 'api', DATABASE_URL: dbUrl, REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    try {
      const org = await createOrg(t, 'JobExhausted');
      const hook = await t.http.post('/v1/webhooks').set(org.auth).send({ url: receiver.url, events: ['digest.created'] }).expect(201);
      await offline.http.post('/v1/digests').set(org.auth).expect(201);
      const [pending] = await deliveriesOf(t, org, hook.body.id);
      // A job with fewer attempts than the delivery's bound: the job's last failure must close the delivery.
      await t.app.get(QueueService).enqueue('webhooks', 'deliver', { orgId: org.orgId, deliveryId: pending!.id }, { jobId: deliveryJobId(pending!.id), attempts: 2, backoff: { type: 'fixed', delay: 50 } });
      const failed = await waitFor(async () => (await deliveriesOf(t, org, hook.body.id)).find((d) => d.status === 'failed'), 20_000);
      expect(failed).toMatchObject({ attempts: 2, lastStatusCode: 503 });
      await age(pending!.id);
      expect(await t.app.get(WebhooksService).requeue()).toMatchObject({ enqueued: 0 });
      expect(receiver.received).toHaveLength(2);
    } finally {
      await offline.close();
      await receiver.close();
    }
  });

  it('one org\'s large backlog does not keep another org\'s delivery out of the same sweep', async () => {
    const busy = await startReceiver();
    const quiet = await startReceiver();
    const a = await createOrg(t, 'Backlog');
    const b = await createOrg(t, 'Quiet');
    try {
      const hookA = await t.http.post('/v1/webhooks').set(a.auth).send({ url: busy.url, events: ['digest.created'] }).expect(201);
      const hookB = await t.http.post('/v1/webhooks').set(b.auth).send({ url: quiet.url, events: ['digest.created'] }).expect(201);
      // Org A: 600 deliveries left pending by an outage, all older than org B's one. Oldest first alone would
      // fill the whole batch (500) with A's.
      await sql(
        `INSERT INTO webhook_deliveries (org_id, id, webhook_id, event_type, message_id, payload, status, updated_at)
         SELECT $1, gen_random_uuid(), $2, 'digest.created', 'backlog-' || i, '{"type":"digest.created","timestamp":"2026-12-01T08:00:00.000Z","data":{}}', 'pending', now() - interval '1 hour' + i * interval '1 millisecond'
           FROM generate_series(1, 600) i`,
        [a.orgId, hookA.body.id],
      );
      const [bRow] = await sql<{ id: string }>(
        `INSERT INTO webhook_deliveries (org_id, id, webhook_id, event_type, message_id, payload, status, updated_at)
         VALUES ($1, gen_random_uuid(), $2, 'digest.created', 'quiet-1', '{"type":"digest.created","timestamp":"2026-12-01T08:00:00.000Z","data":{}}', 'pending', now() - interval '30 minutes') RETURNING id`,
        [b.orgId, hookB.body.id],
      );

      const swept = await t.app.get(WebhooksService).requeue();
      // In this very pass: B's delivery has its job, and A took no more than its share.
      expect(await t.app.get(QueueService).queue('webhooks').getJob(deliveryJobId(bRow!.id))).toBeTruthy();
      expect(swept).toMatchObject({ claimed: REQUEUE_PER_ORG + 1, enqueued: REQUEUE_PER_ORG + 1 });
      await waitFor(async () => (await deliveriesOf(t, b, hookB.body.id))[0]?.status === 'delivered' || null, 20_000);
      expect(quiet.received).toHaveLength(1);
      expect(quiet.received[0]!.headers['webhook-id']).toBe('quiet-1');
    } finally {
      // The rest of A's backlog must not keep the worker busy after the test.
      await sql(`DELETE FROM webhook_deliveries WHERE org_id = $1`, [a.orgId]);
      await busy.close();
      await quiet.close();
    }
  });
});

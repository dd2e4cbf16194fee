import { randomBytes } from 'node:crypto';
import { bootApp, type TestApp } from '../support/app.js';
import { startPostgresCluster, type PgCluster } from '../support/clusters.js';
import { createKey, createOrg, type TestOrg } from '../support/factories.js';
import { waitFor } from '../support/wait.js';

/**
 * PostgreSQL stopped (fast shutdown) in the middle of ingestion, on a cluster
 * of this test's own: every request answers 2xx or 503 + Retry-After (never a
 * 500, never a hang); a client that retries its refused batches with the same
 * event ids ends with every event counted exactly once.
 */

// gpt-4o: $2.50 per 1M input tokens, $10 per 1M output tokens → $3.50 per event of 1M in + 100k out.
const USD_PER_EVENT = 3.5;
const EVENTS_PER_BATCH = 5;
// A client's own deadline: a 503 must come well within it (a hang fails the test instead of passing late).
const CLIENT_TIMEOUT_MS = 20_000;
const HOUR = 3_600_000;

let cluster: PgCluster;
let t: TestApp | undefined;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  // api + worker on the spare cluster, so rollups run here too.
  t = await bootApp({ DATABASE_URL: cluster.url, ROLE: 'all' });
}, 60_000);

afterAll(async () => {
  try {
    await cluster?.start().catch(() => undefined);
    await t?.close();
  } finally {
    await cluster?.destroy();
  }
}, 60_000);

interface Batch {
  ids: string[];
  body: { events: unknown[] };
}

function makeBatch(n: number): Batch {
  const ids = Array.from({ length: EVENTS_PER_BATCH }, (_, i) => `fault-${n}-${i}-${randomBytes(4).toString('hex')}`);
  const now = Date.now();
  return {
    ids,
    body: {
      // Spread over three hours: several rollup buckets are affected.
      events: ids.map((id, i) => ({ id, timestamp: new Date(now - ((n + i) % 3) * HOUR - 60_000).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'faults', usage: { inputTokens: 1_000_000, outputTokens: 100_000 } })),
    },
  };
}

function post(org: { Authorization: string }, b: Batch) {
  return t!.http.post('/v1/events').set(org).send(b.body).timeout(CLIENT_TIMEOUT_MS);
}

function expectUnavailable(res: { status: number; headers: Record<string, string>; body: { error?: { code?: string; message?: string } } }) {
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  expect(res.body.error).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/database/i) });
  // The answer names the part, never the driver's text (host, port, SQLSTATE).
  const text = JSON.stringify(res.body);
  expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|57P0|P10\d\d|terminating|shutting/);
  expect(text).not.toContain(String(cluster.port));
}

async function spendTotals(org: TestOrg) {
  const from = new Date(Date.now() - 2 * 24 * HOUR).toISOString();
  const to = new Date(Date.now() + HOUR).toISOString();
  const res = await t!.http.get(`/v1/reports/spend?from=${from}&to=${to}`).set(org.keyAuth).expect(200);
  return res.body.totals as { costUsd: string; requests: number };
}

describe('PostgreSQL stopped and restarted mid-ingest', () => {
  it('answers 503 + Retry-After while it is down; after a restart, retried batches leave every event counted exactly once', async () => {
    const org = await createOrg(t!, 'Faults PG');
    const ingest = (await createKey(t!, org, ['ingest'])).auth;

    const batches: Batch[] = [];
    const acked = new Set<number>(); // batch numbers answered 2xx
    const refused = new Set<number>(); // batch numbers answered 503, to retry
    const unexpected: string[] = [];

    for (let n = 0; n < 3; n++) {
      batches.push(makeBatch(n));
      const res = await post(ingest, batches[n]!).expect(200);
      expect(res.body.accepted).toBe(EVENTS_PER_BATCH);
      acked.add(n);
    }

    // Four clients keep posting while the cluster stops under them: each answer is 2xx or 503, nothing else.
    let stopping = true;
    const client = async () => {
      while (stopping) {
        const n = batches.length;
        batches.push(makeBatch(n));
        const res = await post(ingest, batches[n]!).catch((e: Error) => ({ status: 0, headers: {} as Record<string, string>, body: { message: e.message } }));
        if (res.status === 200) acked.add(n);
        else if (res.status === 503 && res.headers['retry-after']) refused.add(n);
        else unexpected.push(`batch ${n}: ${res.status} ${JSON.stringify(res.body)}`);
        if (!cluster.running() && refused.size >= 4) return;
      }
    };
    const clients = Promise.all([client(), client(), client(), client()]);
    await cluster.stop('fast');
    await clients;
    stopping = false;
    expect(unexpected).toEqual([]);

    // While it is down: ingest, a report and the admin backlog all answer 503 in bounded time.
    const during = makeBatch(batches.length);
    batches.push(during);
    expectUnavailable(await post(ingest, during));
    refused.add(batches.length - 1);
    const from = new Date(Date.now() - 2 * 24 * HOUR).toISOString();
    expectUnavailable(await t!.http.get(`/v1/reports/spend?from=${from}`).set(org.keyAuth).timeout(CLIENT_TIMEOUT_MS));
    expectUnavailable(await t!.http.get('/v1/admin/jobs').set(org.keyAuth).timeout(CLIENT_TIMEOUT_MS));

    await cluster.start();

    // The client retries what was refused, with the same ids. A refused batch may have been committed
    // just before the connection died: then the retry finds duplicates, never new copies.
    for (const n of refused) {
      const res = await waitFor(async () => {
        const r = await post(ingest, batches[n]!);
        return r.status === 200 ? r : null;
      }, 20_000, 200);
      expect(res.body.accepted + res.body.duplicates).toBe(EVENTS_PER_BATCH);
      expect(res.body.conflicts).toBe(0);
      acked.add(n);
    }
    expect(acked.size).toBe(batches.length);

    // Resending a batch already accepted counts nothing again.
    const again = await post(ingest, batches[0]!).expect(200);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: EVENTS_PER_BATCH, conflicts: 0 });

    // Once rollups catch up, the spend report counts each acknowledged event exactly once.
    const events = batches.length * EVENTS_PER_BATCH;
    const totals = await waitFor(async () => {
      const s = await spendTotals(org);
      return s.requests === events && Number(s.costUsd) === events * USD_PER_EVENT ? s : null;
    }, 30_000, 250).catch(async (e: Error) => {
      throw new Error(`${e.message}; last totals ${JSON.stringify(await spendTotals(org))}, expected ${events} events and $${events * USD_PER_EVENT}`);
    });
    expect(totals).toMatchObject({ requests: events });
    for (const n of [0, batches.length - 1]) {
      const stored = await t!.http.get(`/v1/events/${batches[n]!.ids[0]}`).set(org.keyAuth).expect(200);
      expect(stored.body.costUsd).toBe('3.5');
    }
  }, 60_000);
});

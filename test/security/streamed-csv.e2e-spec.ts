import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { bootApp, type TestApp } from '../support/app.js';
import { createKey, createOrg, type TestOrg } from '../support/factories.js';
import { TEST_DATABASE_URL } from '../support/env.js';
import { waitFor } from '../support/wait.js';

/**
 * "Ten heavy CSV exports (built in memory, up to 1M rows) hold every pooled connection and stall ingest for
 * all orgs." Exports now stream from a cursor, at most one per org and two per server, and a client that
 * stops reading holds its one slot and one connection, nothing more.
 */
const MODELS = 100;
const FROM = new Date(Date.UTC(2026, 0, 1));
/** The export of `hours` hours from FROM, hourly, by model. */
const query = (hours: number) => `from=${FROM.toISOString()}&to=${new Date(FROM.getTime() + hours * 3_600_000).toISOString()}&granularity=hour&groupBy=model&format=csv`;
/** Big enough (~16 MB of CSV) that a client which stops reading leaves the server waiting on a full socket. */
const STALL_HOURS = 2_000;

let t: TestApp;
let port: number;
let admin: pg.Client;

/** Hourly rollup rows (`hours` x 100 models), written straight to the table as the sweeper would. */
async function seedRollups(orgId: string, hours: number): Promise<void> {
  await admin.query(
    `INSERT INTO usage_rollups_hourly (org_id, hour, project, workload, environment, provider, model_id, requests, errors, input_tokens,
       output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd, provider_basis_cost_usd, unpriced_requests, unpriced_tokens, latency_count, latency_sum_ms)
     SELECT $1::uuid, $2::timestamptz + h * interval '1 hour', 'default', 'chat', 'production', 'openai', 'model-' || lpad(m::text, 3, '0'),
            1, 0, 100, 10, 0, 0, 0, (m + 1) * 0.001, (m + 1) * 0.001, 0, 0, 0, 0
       FROM generate_series(0, $3::int - 1) h, generate_series(0, $4::int - 1) m`,
    [orgId, FROM, hours, MODELS],
  );
}

/** Starts a CSV export and stops reading after the first chunk; resolves with a handle to drop it. */
function stalledExport(org: TestOrg, on = port): Promise<{ status: number; drop: () => void }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: on, path: `/v1/reports/spend?${query(STALL_HOURS)}`, headers: org.keyAuth }, (res) => {
      res.once('data', () => {
        res.pause();
        resolve({ status: res.statusCode ?? 0, drop: () => req.destroy() });
      });
    });
    req.on('error', (e) => (e.message === 'socket hang up' ? undefined : reject(e)));
  });
}

beforeAll(async () => {
  t = await bootApp();
  await t.app.listen(0, '127.0.0.1');
  port = (t.app.getHttpServer().address() as AddressInfo).port;
  admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await t.close();
});

describe('Streamed CSV exports', () => {
  it('an export of 30,000 rows (15 cursor batches) streams every row once, in report order, with the seeded total', async () => {
    const HOURS = 300;
    const org = await createOrg(t);
    await seedRollups(org.orgId, HOURS);
    const res = await t.http.get(`/v1/reports/spend?${query(HOURS)}`).set(org.keyAuth).buffer(true).parse((r, cb) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (text += c));
      r.on('end', () => cb(null, text));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = (res.body as string).trimEnd().split('\n');
    expect(lines[0]).toBe('period,model,costUsd,requests,errors,inputTokens,outputTokens,cachedInputTokens,cacheWriteTokens,reasoningTokens,unpricedRequests,unpricedTokens');
    expect(lines).toHaveLength(1 + HOURS * MODELS);
    // Within an hour, rows come by cost descending: model-099 (0.1) first, model-000 (0.001) last.
    expect(lines[1]).toMatch(/^2026-01-01T00:00:00\.000Z,model-099,0\.1,1,/);
    expect(lines[MODELS]).toMatch(/^2026-01-01T00:00:00\.000Z,model-000,0\.001,1,/);
    const keys = new Set(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(',')));
    expect(keys.size).toBe(HOURS * MODELS);
    const csvMillis = lines.slice(1).reduce((sum, l) => sum + Math.round(Number(l.split(',')[2]) * 1_000), 0);
    // Each hour costs 0.001 + 0.002 + ... + 0.100 = $5.05.
    expect(csvMillis).toBe(HOURS * 5_050);
  });

  it('a stalled export holds one slot: a second export of that org is refused at once with 429 + Retry-After, other orgs still ingest and read, and the slot comes back when the client leaves', async () => {
    const org = await createOrg(t);
    await seedRollups(org.orgId, STALL_HOURS);
    const first = await stalledExport(org);
    expect(first.status).toBe(200);
    try {
      const second = await t.http.get(`/v1/reports/spend?${query(1)}`).set(org.keyAuth);
      expect(second.status).toBe(429);
      expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
      expect(second.body.error.message).toMatch(/CSV exports/);
      // The slot is the org's, whatever the kind of export: a FOCUS export waits for the spend CSV too.
      const focus = await t.http.get('/v1/exports/focus').set(org.keyAuth);
      expect(focus.status).toBe(429);

      const other = await createOrg(t);
      const ingest = await createKey(t, other, ['ingest']);
      await t.http
        .post('/v1/events')
        .set(ingest.auth)
        .send({ id: randomBytes(6).toString('hex'), timestamp: new Date(Date.now() - 60_000).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'chat', usage: { inputTokens: 10, outputTokens: 1 } })
        .expect(200);
      await t.http.get('/v1/reports/spend?granularity=day').set(other.keyAuth).expect(200);
    } finally {
      first.drop();
    }
    // The server notices the client left, stops its cursor and frees the slot.
    await waitFor(async () => {
      const again = await t.http.get(`/v1/reports/spend?${query(1)}`).set(org.keyAuth);
      return again.status === 200 ? again : null;
    }, 15_000);
  });

  it('a client that stops reading does not hold the shutdown: closing the app cuts its export', async () => {
    const other = await bootApp();
    await other.app.listen(0, '127.0.0.1');
    const org = await createOrg(other);
    await seedRollups(org.orgId, STALL_HOURS);
    const stalled = await stalledExport(org, (other.app.getHttpServer().address() as AddressInfo).port);
    expect(stalled.status).toBe(200);
    try {
      // Without the cut, close() waits for the stalled response for ever (the test then times out).
      await other.close();
    } finally {
      stalled.drop();
    }
  });
});

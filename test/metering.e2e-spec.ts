import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Money } from '../src/domain/money.js';
import { verifySignature } from '../src/common/standard-webhooks.js';
import { bootApp, type TestApp } from './support/app.js';
import { TEST_DATABASE_URL } from './support/env.js';
import { createOrg, type TestOrg } from './support/factories.js';
import { startReceiver } from './support/receiver.js';
import { waitFor } from './support/wait.js';

let t: TestApp;
let db: pg.Client;
beforeAll(async () => {
  t = await bootApp();
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await t.close();
});

const MODELS = [
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4o-mini'],
  ['anthropic', 'claude-sonnet-4.5'],
  ['google', 'gemini-2.5-flash'],
  ['self-hosted', 'in-house-7b'],
] as const;

function makeEvents(n: number, seed: string, start = Date.UTC(2026, 9, 1)) {
  return Array.from({ length: n }, (_, i) => {
    const [provider, model] = MODELS[i % MODELS.length];
    return {
      id: `${seed}-${i}`,
      timestamp: new Date(start + ((i * 7_919) % (72 * 3600)) * 1000).toISOString(),
      provider,
      model,
      workload: `wl-${i % 7}`,
      ...(i % 3 ? { project: `p-${i % 2}` } : {}),
      environment: i % 11 ? 'production' : 'staging',
      usage: { inputTokens: 100 + ((i * 37) % 5000), outputTokens: 10 + ((i * 13) % 900), cachedInputTokens: i % 4 ? 0 : 50, reasoningTokens: i % 5 ? 0 : 5 },
      latencyMs: 40 + ((i * 53) % 4000),
      status: i % 17 ? 'ok' : 'error',
    };
  });
}

/** The truth, straight from the raw events (as the superuser, past RLS). */
async function rawTotals(orgId: string) {
  const r = await db.query(
    `SELECT coalesce(trim_scale(sum(cost_usd)), 0)::text AS cost, coalesce(sum(requests), 0)::int AS requests, coalesce(sum(input_tokens), 0)::float8 AS input
       FROM usage_events WHERE org_id = $1`,
    [orgId],
  );
  return r.rows[0] as { cost: string; requests: number; input: number };
}

async function reportTotals(org: TestOrg, query = 'from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z') {
  const res = await t.http.get(`/v1/reports/spend?${query}`).set(org.keyAuth).expect(200);
  return res.body.totals as { costUsd: string; requests: number; inputTokens: number };
}

async function settled(org: TestOrg) {
  const raw = await rawTotals(org.orgId);
  return waitFor(async () => {
    const rep = await reportTotals(org);
    return new Money(rep.costUsd).equals(raw.cost) && rep.requests === raw.requests && rep.inputTokens === raw.input ? rep : null;
  }, 30_000);
}

async function postAll(org: TestOrg, events: unknown[], batch = 250, concurrency = 8) {
  const batches = [];
  for (let i = 0; i < events.length; i += batch) batches.push(events.slice(i, i + batch));
  const statuses: number[] = [];
  for (let i = 0; i < batches.length; i += concurrency) {
    const res = await Promise.all(batches.slice(i, i + concurrency).map((b) => t.http.post('/v1/events').set(org.keyAuth).send({ events: b })));
    statuses.push(...res.map((r) => r.status));
  }
  return statuses;
}

function shuffle<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

describe('rollups converge to the raw totals exactly', () => {
  it('10,000 events posted twice in shuffled order over many connections: 10,000 stored, report totals equal the raw totals to the last digit', async () => {
    const org = await createOrg(t);
    const events = makeEvents(10_000, uid());
    const statuses = await postAll(org, shuffle([...events, ...events]));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const stored = await db.query('SELECT count(*)::int AS n FROM usage_events WHERE org_id = $1', [org.orgId]);
    expect(stored.rows[0].n).toBe(10_000);
    const rep = await settled(org);
    expect(rep.requests).toBe(10_000);
    // Grouped rows add up to the same totals, to the cent and beyond.
    const grouped = await t.http.get('/v1/reports/spend?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&granularity=month&groupBy=workload,model&limit=500').set(org.keyAuth).expect(200);
    const sum = grouped.body.rows.reduce((acc: InstanceType<typeof Money>, r: { costUsd: string }) => acc.plus(r.costUsd), new Money(0));
    expect(sum.equals(rep.costUsd)).toBe(true);
    expect(grouped.body.rows.some((r: { model: string; unpricedRequests: number }) => r.model === 'in-house-7b' && r.unpricedRequests > 0)).toBe(true);
  });

  it('an event for an hour already rolled up corrects that bucket within seconds', async () => {
    const org = await createOrg(t);
    await postAll(org, makeEvents(50, uid()));
    const before = await settled(org);
    const late = { ...makeEvents(1, uid())[0], usage: { inputTokens: 1_000_000, outputTokens: 0 } };
    await t.http.post('/v1/events').set(org.keyAuth).send(late).expect(200);
    const started = Date.now();
    const after = await settled(org);
    expect(after.inputTokens).toBe(before.inputTokens + 1_000_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('with Redis unreachable for one API instance, every request is answered 2xx, and totals converge once the worker sweeps', async () => {
    const org = await createOrg(t);
    const blind = await bootApp({ ROLE: 'api', REDIS_URL: 'redis://127.0.0.1:1', REDIS_PREFIX: t.config.redis.prefix });
    try {
      const events = makeEvents(600, uid());
      const statuses: number[] = [];
      for (let i = 0; i < events.length; i += 100) statuses.push((await blind.http.post('/v1/events').set(org.keyAuth).send({ events: events.slice(i, i + 100) })).status);
      expect(statuses).toEqual(new Array(6).fill(200));
      await blind.http.get('/health/ready').expect(503);
    } finally {
      await blind.close();
    }
    const stored = await db.query('SELECT count(*)::int AS n FROM usage_events WHERE org_id = $1', [org.orgId]);
    expect(stored.rows[0].n).toBe(600);
    // Nothing was enqueued by the blind instance: the sweeper of the healthy worker finds the dirty hours.
    await settled(org);
  });

  it('a rollup whose database session dies mid-job is retried and the totals are still exact', async () => {
    const org = await createOrg(t);
    const events = makeEvents(200, uid());
    const hour = new Date(Math.floor(Date.parse(events[0].timestamp) / 3_600_000) * 3_600_000);
    // Hold the dirty row's lock so the rollup job blocks inside its transaction, then kill its session.
    const blocker = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await blocker.connect();
    try {
      await t.http.post('/v1/events').set(org.keyAuth).send({ events }).expect(200);
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM dirty_buckets WHERE org_id = $1 AND hour = $2 FOR UPDATE', [org.orgId, hour]);
      const victim = await waitFor(async () => {
        const r = await db.query(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%dirty_buckets%FOR UPDATE%' AND pid <> pg_backend_pid()`,
        );
        return r.rows[0]?.pid as number | undefined;
      });
      await db.query('SELECT pg_terminate_backend($1)', [victim]);
      await blocker.query('ROLLBACK');
    } finally {
      await blocker.end();
    }
    await settled(org);
  });
});

describe('reports', () => {
  it('groups by period and keys, orders by period then cost, paginates, filters, and speaks CSV', async () => {
    const org = await createOrg(t);
    await postAll(org, makeEvents(500, uid()));
    await settled(org);
    const q = 'from=2026-10-01T00:00:00Z&to=2026-10-05T00:00:00Z&granularity=day&groupBy=model';
    const full = await t.http.get(`/v1/reports/spend?${q}`).set(org.keyAuth).expect(200);
    expect(full.body).toMatchObject({ currency: 'USD', granularity: 'day', groupBy: ['model'], tz: 'UTC' });
    const rows = full.body.rows as { period: string; model: string; costUsd: string }[];
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1], rows[i]];
      expect(a.period < b.period || (a.period === b.period && new Money(a.costUsd).gte(b.costUsd))).toBe(true);
    }
    expect(new Set(rows.map((r) => r.period)).size).toBe(3);
    // Pages walk the same rows.
    const paged: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { rows: unknown[]; nextCursor: string | null } } = await t.http.get(`/v1/reports/spend?${q}&limit=4${cursor ? `&cursor=${cursor}` : ''}`).set(org.keyAuth).expect(200);
      paged.push(...page.body.rows);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(rows);
    // Filters.
    const mini = await t.http.get(`/v1/reports/spend?${q}&model=gpt-4o-mini`).set(org.keyAuth).expect(200);
    expect(mini.body.rows.every((r: { model: string }) => r.model === 'gpt-4o-mini')).toBe(true);
    // CSV, by header and by format=csv.
    const csv = await t.http.get(`/v1/reports/spend?${q}`).set(org.keyAuth).set('accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('period,model,costUsd,requests,errors,inputTokens,outputTokens,cachedInputTokens,cacheWriteTokens,reasoningTokens,unpricedRequests,unpricedTokens');
    expect(lines).toHaveLength(rows.length + 1);
    await t.http.get(`/v1/reports/spend?${q}&format=csv`).set(org.keyAuth).expect('content-type', /text\/csv/);
  });

  it('a window with ragged edges reads whole days from the daily rollups and the edges from hourly ones, and still equals the raw events', async () => {
    const org = await createOrg(t);
    await postAll(org, makeEvents(2_000, uid()));
    await settled(org);
    const from = '2026-10-01T05:00:00Z';
    const to = '2026-10-03T17:00:00Z';
    const raw = await db.query(
      `SELECT trim_scale(sum(cost_usd))::text AS cost, sum(requests)::int AS requests FROM usage_events WHERE org_id = $1 AND ts >= $2 AND ts < $3`,
      [org.orgId, from, to],
    );
    for (const q of [`granularity=day`, `granularity=hour`, `granularity=day&tz=Asia/Tokyo`, `granularity=month&groupBy=workload`]) {
      const rep = await t.http.get(`/v1/reports/spend?from=${from}&to=${to}&${q}&limit=500`).set(org.keyAuth).expect(200);
      expect([q, new Money(rep.body.totals.costUsd).equals(raw.rows[0].cost), rep.body.totals.requests]).toEqual([q, true, raw.rows[0].requests]);
      const rowSum = rep.body.rows.reduce((a: InstanceType<typeof Money>, r: { costUsd: string }) => a.plus(r.costUsd), new Money(0));
      expect([q, rowSum.equals(raw.rows[0].cost)]).toEqual([q, true]);
    }
    const daily = await db.query('SELECT count(*)::int AS n FROM usage_rollups_daily WHERE org_id = $1', [org.orgId]);
    expect(daily.rows[0].n).toBeGreaterThan(0);
  });

  it('day buckets follow tz: the same hours split differently in UTC and in America/New_York', async () => {
    const org = await createOrg(t);
    // 02:00 UTC on Oct 2 is Oct 1 22:00 in New York.
    const base = { provider: 'openai', model: 'gpt-4o', workload: 'tz', usage: { inputTokens: 1000, outputTokens: 0 } };
    await t.http.post('/v1/events').set(org.keyAuth).send({ events: [
      { ...base, id: `a-${uid()}`, timestamp: '2026-10-01T12:00:00Z' },
      { ...base, id: `b-${uid()}`, timestamp: '2026-10-02T02:00:00Z' },
    ] }).expect(200);
    await settled(org);
    const q = 'from=2026-09-30T00:00:00Z&to=2026-10-04T00:00:00Z&granularity=day';
    const utc = await t.http.get(`/v1/reports/spend?${q}`).set(org.keyAuth).expect(200);
    const ny = await t.http.get(`/v1/reports/spend?${q}&tz=America/New_York`).set(org.keyAuth).expect(200);
    expect(utc.body.rows.map((r: { period: string }) => r.period)).toEqual(['2026-10-01T00:00:00.000Z', '2026-10-02T00:00:00.000Z']);
    expect(ny.body.rows.map((r: { period: string; requests: number }) => [r.period, r.requests])).toEqual([['2026-10-01T04:00:00.000Z', 2]]);
    await t.http.get(`/v1/reports/spend?${q}&tz=Mars/Olympus`).set(org.keyAuth).expect(400);
    await t.http.get(`/v1/reports/spend?${q}&groupBy=colour`).set(org.keyAuth).expect(400);
  });

  it('summary and latency read the same rollups', async () => {
    const org = await createOrg(t);
    await postAll(org, makeEvents(300, uid()));
    await settled(org);
    const s = await t.http.get('/v1/reports/summary?month=2026-10').set(org.keyAuth).expect(200);
    const raw = await rawTotals(org.orgId);
    expect(new Money(s.body.monthToDate.costUsd).equals(raw.cost)).toBe(true);
    expect(s.body.topWorkloads.length).toBe(7);
    const shares = s.body.providers.reduce((a: number, p: { sharePercent: number }) => a + p.sharePercent, 0);
    expect(shares).toBeGreaterThan(99.9);
    expect(s.body.unpriced.requests).toBe(60);
    expect(s.body.unitEconomics[0].costPer1kRequestsUsd).toMatch(/^\d+(\.\d+)?$/);
    const lat = await t.http.get('/v1/reports/latency?from=2026-10-01T00:00:00Z&to=2026-10-05T00:00:00Z').set(org.keyAuth).expect(200);
    expect(lat.body.rows).toHaveLength(35);
    for (const r of lat.body.rows) {
      expect(r.p50Ms).not.toBeNull();
      expect(typeof r.p95Ms === 'number' ? r.p95Ms >= r.p50Ms : true).toBe(true);
    }
  });

  it("another org's reports are empty, and viewers can read reports", async () => {
    const a = await createOrg(t, 'A');
    const b = await createOrg(t, 'B');
    await postAll(a, makeEvents(20, uid()));
    await settled(a);
    const res = await t.http.get('/v1/reports/spend?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z').set(b.keyAuth).expect(200);
    expect(res.body.rows).toEqual([]);
    expect(res.body.totals.costUsd).toBe('0');
  });
});

describe('budgets, alerts and webhooks', () => {
  it('crossing 50% and 80% records one alert each, delivered signed to a real local receiver, never twice', async () => {
    // The first attempt is refused with a 500: it must be retried.
    const receiver = await startReceiver((n) => (n === 1 ? 500 : 204));
    const { received, url } = receiver;
    try {
      const org = await createOrg(t);
      const hook = await t.http.post('/v1/webhooks').set(org.auth).send({ url, events: ['budget.threshold_crossed'] }).expect(201);
      const now = new Date();
      const month = now.toISOString().slice(0, 7);
      // gpt-4o: 1,000,000 input tokens = $2.50 per event. Limit $10: 2 events = 50%, 4 = 100%... use 3 → 75%.
      const budget = await t.http.post('/v1/budgets').set(org.auth).send({ name: 'OpenAI', scope: { provider: 'openai' }, monthlyLimitUsd: '10', thresholds: [50, 80, 100] }).expect(201);
      await t.http.post('/v1/budgets').set(org.auth).send({ name: 'Other workload', scope: { workload: 'nothing-here' }, monthlyLimitUsd: '1', thresholds: [50] }).expect(201);
      const ev = (i: number) => ({ id: `${month}-${uid()}-${i}`, timestamp: new Date(now.getTime() - 60_000).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'budgeted', usage: { inputTokens: 1_000_000, outputTokens: 0 } });
      await t.http.post('/v1/events').set(org.keyAuth).send({ events: [ev(1), ev(2), ev(3)] }).expect(200);
      const alerts = await waitFor(async () => {
        const r = await t.http.get('/v1/alerts').set(org.keyAuth).expect(200);
        return r.body.data.length === 1 ? r.body.data : null;
      });
      expect(alerts[0]).toMatchObject({ budgetName: 'OpenAI', month, threshold: 50, spendUsd: '7.5', limitUsd: '10' });
      const listed = await t.http.get('/v1/budgets').set(org.keyAuth).expect(200);
      expect(listed.body.data.find((b: { id: string }) => b.id === budget.body.id)).toMatchObject({ monthToDateUsd: '7.5', usedPercent: 75 });

      await t.http.post('/v1/events').set(org.keyAuth).send({ events: [ev(4)] }).expect(200);
      const both = await waitFor(async () => {
        const r = await t.http.get('/v1/alerts').set(org.keyAuth).expect(200);
        return r.body.data.length === 3 ? r.body.data : null; // 80 and 100 at $10
      });
      expect(both.map((a: { threshold: number }) => a.threshold).sort((x: number, y: number) => x - y)).toEqual([50, 80, 100]);

      // Deliveries: 3 alerts, the first attempt of the first one refused with 500 and retried.
      await waitFor(async () => received.filter((r) => r.headers['webhook-id']).length >= 4 || null, 20_000);
      const secret = hook.body.secret as string;
      for (const r of received) {
        expect(verifySignature(secret, r.headers, Buffer.from(r.body))).toBeNull();
        expect(JSON.parse(r.body).type).toBe('budget.threshold_crossed');
      }
      const log = await waitFor(async () => {
        const d = await t.http.get(`/v1/webhooks/${hook.body.id}/deliveries`).set(org.auth).expect(200);
        return d.body.data.length === 3 && d.body.data.every((x: { status: string }) => x.status === 'delivered') ? d.body.data : null;
      });
      expect(log.map((d: { attempts: number }) => d.attempts).sort()).toEqual([1, 1, 2]);

      // Re-evaluating (another rollup of the same month) creates no new alert or delivery.
      await t.http.post('/v1/events').set(org.keyAuth).send({ events: [{ ...ev(5), usage: { inputTokens: 1, outputTokens: 0 } }] }).expect(200);
      await new Promise((r) => setTimeout(r, 2_000));
      expect((await t.http.get('/v1/alerts').set(org.keyAuth)).body.data).toHaveLength(3);
      expect(received).toHaveLength(4);
    } finally {
      await receiver.close();
    }
  });

  it('budget input errors name fields; finance may manage budgets, viewers and engineers may not; other orgs get 404', async () => {
    const org = await createOrg(t);
    const other = await createOrg(t);
    const bad = await t.http.post('/v1/budgets').set(org.auth).send({ name: '', scope: { provider: 'Open AI' }, monthlyLimitUsd: '-1', thresholds: [0] }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['name', 'scope.provider', 'monthlyLimitUsd', 'thresholds']));
    const b = await t.http.post('/v1/budgets').set(org.auth).send({ name: 'All', scope: {}, monthlyLimitUsd: '100', thresholds: [80] }).expect(201);
    await t.http.get(`/v1/budgets/${b.body.id}`).set(other.auth).expect(404);
    await t.http.patch(`/v1/budgets/${b.body.id}`).set(other.auth).send({ name: 'x' }).expect(404);
    await t.http.delete(`/v1/budgets/${b.body.id}`).set(other.auth).expect(404);
    const { createMember } = await import('./support/factories.js');
    const fin = await createMember(t, org, 'finance');
    const eng = await createMember(t, org, 'engineer');
    await t.http.patch(`/v1/budgets/${b.body.id}`).set(fin.auth).send({ monthlyLimitUsd: '200' }).expect(200);
    await t.http.post('/v1/budgets').set(eng.auth).send({ name: 'x', scope: {}, monthlyLimitUsd: '1', thresholds: [1] }).expect(403);
    await t.http.get('/v1/budgets').set(eng.auth).expect(200);
    // Created when spend is already past a threshold: the alert is recorded at once.
    await t.http.post('/v1/events').set(org.keyAuth).send({ id: `b-${uid()}`, timestamp: new Date(Date.now() - 60_000).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'w', usage: { inputTokens: 1_000_000, outputTokens: 0 } }).expect(200);
    await waitFor(async () => ((await t.http.get('/v1/admin/jobs').set(org.auth)).body.rollupBacklog.dirtyHours === 0 ? true : null));
    await t.http.post('/v1/budgets').set(org.auth).send({ name: 'Tiny', scope: {}, monthlyLimitUsd: '1', thresholds: [100] }).expect(201);
    const alerts = await t.http.get('/v1/alerts').set(org.auth).expect(200);
    expect(alerts.body.data).toEqual([expect.objectContaining({ budgetName: 'Tiny', threshold: 100, spendUsd: '2.5' })]);
    await t.http.post('/v1/webhooks').set(org.auth).send({ url: 'ftp://x', events: ['nope'] }).expect(400);
  });

  it('GET /v1/admin/jobs shows the rollup backlog to admins only', async () => {
    const org = await createOrg(t);
    const res = await t.http.get('/v1/admin/jobs').set(org.auth).expect(200);
    expect(res.body).toMatchObject({ failed: [], rollupBacklog: { dirtyHours: expect.any(Number) } });
    const { createKey } = await import('./support/factories.js');
    const read = await createKey(t, org, ['read']);
    await t.http.get('/v1/admin/jobs').set(read.auth).expect(403);
  });
});

function uid() {
  return randomBytes(6).toString('hex');
}

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { verifySignature } from '../src/common/standard-webhooks.js';
import { ReconciliationService } from '../src/reconciliation/reconciliation.service.js';
import { bootApp, type TestApp } from './support/app.js';
import { TEST_DATABASE_URL } from './support/env.js';
import { createMember, createOrg, type TestOrg } from './support/factories.js';
import { startReceiver } from './support/receiver.js';
import { waitFor } from './support/wait.js';

/*
 * The hand-worked fixture. D1 and D2 are two consecutive UTC days, five and four days ago. Catalog prices
 * (USD per 1M tokens): gpt-4o 2.50 in / 10 out; gpt-4o-mini 0.15 in; o4-mini 1.10 in; gpt-4.1 2.00 in;
 * claude-sonnet-4.5 3 in, 3.75 per 5-minute cache write, 6 per 1-hour write (2 x input). Batch: half price.
 *
 * Metered (POST /v1/events):                         Billed (provider lines, inserted as a sync would):
 *  openai D1  gpt-4o 1M in + 100k out, default        gpt-4o at batch: in 1.25 + out 0.50 = 1.75
 *             = 2.50 + 1.00 = 3.50                    -> service_tier: (1.75 - 3.50) = -1.75
 *  openai D1  gpt-4o-mini 2M in = 0.30                gpt-4o-mini in 0.33 (0.165/1M)
 *                                                     -> price_mismatch: 2M x (0.165 - 0.15)/1M = +0.03
 *  openai D1  zeta-research-1 400k in + 100k out,     zeta-research-1 in 0.60 + out 0.20 = 0.80
 *             no catalog price = 0                    -> unpriced_model: +0.80
 *  openai D1  (nothing)                               gpt-4.1 in 200k = 0.40 -> not_instrumented: +0.40
 *  openai D1  o4-mini 1M in at 23:59:30 = 1.10        (nothing on D1)  -> timing: -1.10
 *  openai D2  (nothing)                               o4-mini 1M in = 1.10 on D2 -> timing: +1.10
 *  anthropic D1 sonnet 10 requests, 1.2M in (120k      in 1M = 3.00 + 1h writes 200k = 1.20 = 4.20
 *             each: below the 200k long-context       -> cache_write_ttl: 200k x (6 - 3.75)/1M = +0.45
 *             tier), 200k of it cache writes (not split by TTL):
 *             1M x 3 + 200k x 3.75 = 3.75
 *  anthropic D2 (nothing)                             project research: sonnet 100k in = 0.30
 *                                                     -> not_instrumented: +0.30
 *
 * Rows (provider, day):
 *  openai D1    metered 4.90  billed 3.28  delta -1.62 = -1.75 + 0.03 + 0.80 + 0.40 - 1.10
 *               tokens 4.6M metered / 3.8M billed: coverage 1.2105
 *  openai D2    metered 0     billed 1.10  delta +1.10 = timing; coverage 0
 *  anthropic D1 metered 3.75  billed 4.20  delta +0.45 = cache_write_ttl; coverage 1
 *  anthropic D2 metered 0     billed 0.30  delta +0.30 = not_instrumented; coverage 0
 * Totals: metered 8.65, billed 8.88, delta 0.23 = -1.75 + 0.03 + 0.80 + 0.70 + 0.45 (timing nets to 0).
 * Unexplained: 0 everywhere.
 *
 * Drift with the defaults (5% of billed, $1, coverage 0.95): openai D1 (|-1.62| > 1: drift), openai D2
 * (1.10 > 1 and coverage 0: drift + coverage), anthropic D2 (coverage 0), not anthropic D1 (0.45 < 1, coverage 1).
 */

const DAY_MS = 86_400_000;
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const D1 = new Date(today - 5 * DAY_MS).toISOString().slice(0, 10);
const D2 = new Date(today - 4 * DAY_MS).toISOString().slice(0, 10);
const D3 = new Date(today - 3 * DAY_MS).toISOString().slice(0, 10);

let t: TestApp;
let db: pg.Client;
beforeAll(async () => {
  t = await bootApp();
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
}, 60_000);
afterAll(async () => {
  await db?.end();
  await t?.close();
});

interface Tokens {
  input?: number;
  cached?: number;
  cacheWrite?: number;
  cacheWrite1h?: number;
  output?: number;
}

/** What a connector sync stores: a connector row (credentials are opaque bytes here) and its cost and usage lines. */
async function connector(org: TestOrg, provider: string) {
  const res = await db.query(`INSERT INTO connectors (org_id, provider, name, key_id, sealed, last_synced_at) VALUES ($1, $2, $3, 'test', '\\x00'::bytea, now()) RETURNING id`, [org.orgId, provider, `${provider} ${randomBytes(3).toString('hex')}`]);
  const id = res.rows[0].id as string;
  let n = 0;
  return {
    id,
    async cost(day: string, model: string, tokenType: string, amountUsd: string, o: { tier?: string; project?: string; costType?: string } = {}) {
      await db.query(
        `INSERT INTO provider_cost_lines (org_id, connector_id, day, line_key, provider, project, model, service_tier, cost_type, token_type, amount_usd)
         VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [org.orgId, id, day, `c${n++}`, provider, o.project ?? '', model, o.tier ?? 'default', o.costType ?? 'tokens', tokenType, amountUsd],
      );
    },
    async usage(day: string, model: string, tk: Tokens, o: { tier?: string; project?: string } = {}) {
      await db.query(
        `INSERT INTO provider_usage_lines (org_id, connector_id, bucket_start, bucket_width, line_key, provider, project, model, service_tier, requests,
                                           input_tokens, cached_input_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens)
         VALUES ($1, $2, $3::timestamptz, '1d', $4, $5, $6, $7, $8, 1, $9, $10, $11, $12, $13)`,
        [org.orgId, id, `${day}T00:00:00Z`, `u${n++}`, provider, o.project ?? '', model, o.tier ?? 'default', tk.input ?? 0, tk.cached ?? 0, tk.cacheWrite ?? 0, tk.cacheWrite1h ?? 0, tk.output ?? 0],
      );
    },
  };
}

async function post(org: TestOrg, events: { at: string; provider: string; model: string; usage: Record<string, number>; requests?: number; serviceTier?: string }[]) {
  const body = events.map((e) => ({ id: randomBytes(6).toString('hex'), timestamp: e.at, provider: e.provider, model: e.model, workload: 'recon', usage: e.usage, requests: e.requests ?? 1, ...(e.serviceTier ? { serviceTier: e.serviceTier } : {}) }));
  expect((await t.http.post('/v1/events').set(org.keyAuth).send({ events: body }).expect(200)).body.accepted).toBe(body.length);
}

/** The fixture above, for a fresh org. */
async function fixture(org: TestOrg) {
  await post(org, [
    { at: `${D1}T10:00:00Z`, provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 1_000_000, outputTokens: 100_000 } },
    { at: `${D1}T11:00:00Z`, provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 2_000_000, outputTokens: 0 } },
    { at: `${D1}T12:00:00Z`, provider: 'openai', model: 'zeta-research-1', usage: { inputTokens: 400_000, outputTokens: 100_000 } },
    { at: `${D1}T23:59:30Z`, provider: 'openai', model: 'o4-mini', usage: { inputTokens: 1_000_000, outputTokens: 0 } },
    { at: `${D1}T09:00:00Z`, provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { inputTokens: 1_200_000, cacheWriteTokens: 200_000, outputTokens: 0 }, requests: 10 },
  ]);
  const openai = await connector(org, 'openai');
  await openai.cost(D1, 'gpt-4o', 'input', '1.25', { tier: 'batch' });
  await openai.cost(D1, 'gpt-4o', 'output', '0.5', { tier: 'batch' });
  await openai.usage(D1, 'gpt-4o', { input: 1_000_000, output: 100_000 }, { tier: 'batch' });
  await openai.cost(D1, 'gpt-4o-mini', 'input', '0.33');
  await openai.usage(D1, 'gpt-4o-mini', { input: 2_000_000 });
  await openai.cost(D1, 'zeta-research-1', 'input', '0.6');
  await openai.cost(D1, 'zeta-research-1', 'output', '0.2');
  await openai.usage(D1, 'zeta-research-1', { input: 400_000, output: 100_000 });
  await openai.cost(D1, 'gpt-4.1', 'input', '0.4');
  await openai.usage(D1, 'gpt-4.1', { input: 200_000 });
  await openai.cost(D2, 'o4-mini', 'input', '1.1');
  await openai.usage(D2, 'o4-mini', { input: 1_000_000 });
  const anthropic = await connector(org, 'anthropic');
  await anthropic.cost(D1, 'claude-sonnet-4-5', 'input', '3');
  await anthropic.cost(D1, 'claude-sonnet-4-5', 'cache_write_1h', '1.2');
  await anthropic.usage(D1, 'claude-sonnet-4-5', { input: 1_200_000, cacheWrite: 200_000, cacheWrite1h: 200_000 });
  await anthropic.cost(D2, 'claude-sonnet-4-5', 'input', '0.3', { project: 'research' });
  await anthropic.usage(D2, 'claude-sonnet-4-5', { input: 100_000 }, { project: 'research' });
}

type Row = Record<string, unknown> & { explanations: { cause: string; estimatedUsd: string; detail?: string }[] };
const causes = (r: Row) => Object.fromEntries(r.explanations.map((e) => [e.cause, e.estimatedUsd]));
const find = (rows: Row[], match: Record<string, string>) => rows.find((r) => Object.entries(match).every(([k, v]) => r[k] === v))!;

describe('reconciliation: metered vs billed, every delta explained', () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await createOrg(t, 'Recon');
    await fixture(org);
  });

  it('per provider and day: the hand-worked figures to the cent, each delta explained with nothing left over', async () => {
    const res = await t.http.get(`/v1/reconciliation?from=${D1}&to=${D3}`).set(org.keyAuth).expect(200);
    expect(res.body).toMatchObject({ currency: 'USD', from: D1, to: D3, groupBy: ['provider', 'day'] });
    const rows = res.body.rows as Row[];
    expect(rows.map((r) => [r.day, r.provider, r.meteredCostUsd, r.billedCostUsd, r.deltaUsd, r.coverage, causes(r), r.unexplainedUsd])).toEqual([
      [D1, 'anthropic', '3.75', '4.2', '0.45', 1, { cache_write_ttl: '0.45' }, '0'],
      [D1, 'openai', '4.9', '3.28', '-1.62', 1.2105, { timing: '-1.1', not_instrumented: '0.4', unpriced_model: '0.8', service_tier: '-1.75', price_mismatch: '0.03' }, '0'],
      [D2, 'anthropic', '0', '0.3', '0.3', 0, { not_instrumented: '0.3' }, '0'],
      [D2, 'openai', '0', '1.1', '1.1', 0, { timing: '1.1' }, '0'],
    ]);
    expect(find(rows, { day: D1, provider: 'openai' }).deltaPercent).toBe(-49.39); // -1.62 / 3.28
    expect(res.body.totals).toMatchObject({ meteredCostUsd: '8.65', billedCostUsd: '8.88', deltaUsd: '0.23', unexplainedUsd: '0' });
    expect(causes(res.body.totals)).toEqual({ not_instrumented: '0.7', unpriced_model: '0.8', service_tier: '-1.75', cache_write_ttl: '0.45', price_mismatch: '0.03' });
    // Whether rollups were still catching up (the worker may hold an hour this read could not take over).
    expect(res.body.dataFreshness).toEqual({ pendingRollupHours: expect.any(Number), complete: expect.any(Boolean), dataAsOf: expect.any(String) });
    expect(res.body.connectors).toHaveLength(2);
    for (const c of res.body.connectors) expect(Date.parse(c.lastSyncedAt)).toBeGreaterThan(Date.now() - 600_000);
  });

  it('per model: price_mismatch names both unit prices, and each cause sits on the model it belongs to', async () => {
    const res = await t.http.get(`/v1/reconciliation?from=${D1}&to=${D2}&groupBy=provider,model`).set(org.keyAuth).expect(200);
    const rows = res.body.rows as Row[];
    const byModel = (s: string) => rows.find((r) => String(r.model).includes(s))!;
    expect(causes(byModel('gpt-4o-mini'))).toEqual({ price_mismatch: '0.03' });
    expect(byModel('gpt-4o-mini').explanations[0]!.detail).toContain('billed $0.165/1M vs catalog $0.15/1M');
    expect(causes(rows.find((r) => r.model === 'gpt-4o' || String(r.model).startsWith('gpt-4o') && !String(r.model).includes('mini'))!)).toEqual({ service_tier: '-1.75' });
    expect(causes(byModel('zeta-research-1'))).toEqual({ unpriced_model: '0.8' });
    expect(byModel('gpt-4.1')).toMatchObject({ meteredCostUsd: '0', billedCostUsd: '0.4', coverage: 0 });
    expect(causes(byModel('gpt-4.1'))).toEqual({ not_instrumented: '0.4' });
    expect(causes(byModel('o4-mini'))).toEqual({ timing: '-1.1' });
    expect(causes(byModel('sonnet'))).toEqual({ cache_write_ttl: '0.45' });
    for (const r of rows) expect(r.unexplainedUsd).toBe('0');
  });

  it('over both days timing nets out, and a project billed but never metered is not_instrumented', async () => {
    const res = await t.http.get(`/v1/reconciliation?from=${D1}&to=${D3}&groupBy=provider,project`).set(org.keyAuth).expect(200);
    const rows = res.body.rows as Row[];
    expect(find(rows, { provider: 'anthropic', project: 'research' })).toMatchObject({ meteredCostUsd: '0', billedCostUsd: '0.3', unexplainedUsd: '0' });
    expect(causes(find(rows, { provider: 'anthropic', project: 'research' }))).toEqual({ not_instrumented: '0.3' });
    const openai = find(rows, { provider: 'openai', project: '' });
    expect(openai).toMatchObject({ meteredCostUsd: '4.9', billedCostUsd: '4.38', deltaUsd: '-0.52', unexplainedUsd: '0' });
    expect(causes(openai).timing).toBeUndefined();
  });

  it('CSV: one line per row, a column per cause, the same figures', async () => {
    const res = await t.http.get(`/v1/reconciliation?from=${D1}&to=${D3}`).set(org.keyAuth).set('Accept', 'text/csv').expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe('provider,day,meteredCostUsd,billedCostUsd,deltaUsd,deltaPercent,meteredTokens,billedTokens,coverage,timingUsd,notInstrumentedUsd,unpricedModelUsd,serviceTierUsd,cacheWriteTtlUsd,priceMismatchUsd,unexplainedUsd');
    expect(lines).toContain(`openai,${D1},4.9,3.28,-1.62,-49.39,4600000,3800000,1.2105,-1.1,0.4,0.8,-1.75,0,0.03,0`);
    expect(lines).toHaveLength(5);
    const viaParam = await t.http.get(`/v1/reconciliation?from=${D1}&to=${D3}&format=csv`).set(org.keyAuth).expect(200);
    expect(viaParam.text).toBe(res.text);
  });

  it('another org sees none of it, and its own reconciliation is empty', async () => {
    const other = await createOrg(t, 'Other');
    const res = await t.http.get(`/v1/reconciliation?from=${D1}&to=${D3}`).set(other.keyAuth).expect(200);
    expect(res.body.rows).toEqual([]);
    expect(res.body.connectors).toEqual([]);
    expect(res.body.totals).toMatchObject({ meteredCostUsd: '0', billedCostUsd: '0', deltaUsd: '0' });
    expect((await t.http.get('/v1/reconciliation/alerts').set(other.keyAuth).expect(200)).body.data).toEqual([]);
  });

  it('bounds: dates must be UTC days, from before to, at most 92 days, groupBy from the list', async () => {
    const bad = async (q: string, field: string) => {
      const res = await t.http.get(`/v1/reconciliation?${q}`).set(org.keyAuth).expect(400);
      expect(JSON.stringify(res.body.error)).toContain(field);
    };
    await bad('from=2026-02-30&to=2026-03-02', 'from');
    await bad('from=yesterday', 'from');
    await bad(`from=${D2}&to=${D1}`, 'from');
    await bad('from=2026-01-01&to=2026-06-01', 'to');
    await bad('groupBy=provider,workload', 'groupBy');
    const forged = Buffer.from(JSON.stringify({ at: '2026-01-01T00:00:00Z', id: 'not-a-uuid' })).toString('base64url');
    expect(JSON.stringify((await t.http.get(`/v1/reconciliation/alerts?cursor=${forged}`).set(org.keyAuth).expect(400)).body.error)).toContain('cursor');
  });
});

describe('drift alerts and their webhook', () => {
  it('one alert per provider-day however often evaluateDrift runs, each delivered once as a signed reconciliation.drift webhook', async () => {
    const receiver = await startReceiver();
    try {
      const org = await createOrg(t, 'Drift');
      const hook = await t.http.post('/v1/webhooks').set(org.auth).send({ url: receiver.url, events: ['reconciliation.drift'] }).expect(201);
      await fixture(org);
      const svc = t.app.get(ReconciliationService);
      expect(await svc.evaluateDrift(org.orgId, 'openai', D1, D3)).toEqual({ judgedDays: 2, alerts: 2 });
      expect(await svc.evaluateDrift(org.orgId, 'openai', D1, D3)).toEqual({ judgedDays: 2, alerts: 0 });
      expect(await svc.evaluateDrift(org.orgId, 'anthropic', D1, D3)).toEqual({ judgedDays: 2, alerts: 1 });
      expect(await svc.evaluateDrift(org.orgId, 'anthropic', D1, D3)).toEqual({ judgedDays: 2, alerts: 0 });

      const alerts = (await t.http.get('/v1/reconciliation/alerts').set(org.keyAuth).expect(200)).body;
      expect(alerts.data.map((a: Record<string, unknown>) => [a.provider, a.day, a.deltaUsd, a.coverage, a.reasons]).sort()).toEqual([
        ['anthropic', D2, '0.3', 0, ['coverage']],
        ['openai', D1, '-1.62', 1.2105, ['drift']],
        ['openai', D2, '1.1', 0, ['drift', 'coverage']],
      ]);
      const page1 = (await t.http.get('/v1/reconciliation/alerts?limit=2').set(org.keyAuth).expect(200)).body;
      expect(page1.data).toHaveLength(2);
      const page2 = (await t.http.get(`/v1/reconciliation/alerts?limit=2&cursor=${page1.nextCursor}`).set(org.keyAuth).expect(200)).body;
      expect(page2).toMatchObject({ nextCursor: null });
      expect([...page1.data, ...page2.data].map((a: { id: string }) => a.id).sort()).toEqual(alerts.data.map((a: { id: string }) => a.id).sort());

      await waitFor(async () => receiver.received.length >= 3);
      expect(receiver.received).toHaveLength(3);
      for (const r of receiver.received) expect(verifySignature(hook.body.secret, r.headers, Buffer.from(r.body))).toBeNull();
      const sent = receiver.received.map((r) => JSON.parse(r.body));
      expect(sent.every((s) => s.type === 'reconciliation.drift')).toBe(true);
      const d1 = sent.find((s) => s.data.provider === 'openai' && s.data.day === D1);
      expect(d1.data).toMatchObject({ reasons: ['drift'], meteredCostUsd: '4.9', billedCostUsd: '3.28', deltaUsd: '-1.62', unexplainedUsd: '0', thresholds: { driftPercent: 5, driftMinUsd: '1', minCoverage: 0.95 } });
      expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(3);
      // Every alert is marked notified: a third evaluation sends nothing more.
      await svc.evaluateDrift(org.orgId, 'openai', D1, D3);
      expect((await t.http.get('/v1/reconciliation/alerts').set(org.keyAuth).expect(200)).body.data.every((a: { notifiedAt: string | null }) => a.notifiedAt !== null)).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('thresholds: read by anyone, changed by admins only, bounded; looser thresholds raise fewer alerts', async () => {
    const org = await createOrg(t, 'Thresholds');
    expect((await t.http.get('/v1/reconciliation/settings').set(org.keyAuth).expect(200)).body).toMatchObject({ driftPercent: 5, driftMinUsd: '1', minCoverage: 0.95 });
    const viewer = await createMember(t, org, 'viewer');
    await t.http.put('/v1/reconciliation/settings').set(viewer.auth).send({ driftPercent: 10 }).expect(403);
    await t.http.put('/v1/reconciliation/settings').set(org.auth).send({ driftPercent: 1000 }).expect(400);
    await t.http.put('/v1/reconciliation/settings').set(org.auth).send({ minCoverage: 2 }).expect(400);
    await t.http.put('/v1/reconciliation/settings').set(org.auth).send({ driftMinUsd: '=1+1' }).expect(400);
    const put = await t.http.put('/v1/reconciliation/settings').set(org.auth).send({ driftPercent: 60, driftMinUsd: '2', minCoverage: 0 }).expect(200);
    expect(put.body).toMatchObject({ driftPercent: 60, driftMinUsd: '2', minCoverage: 0 });
    await fixture(org);
    // openai D1: |-1.62| <= max(60% x 3.28 = 1.968, 2); D2: 1.10 <= 2; coverage never below 0.
    expect(await t.app.get(ReconciliationService).evaluateDrift(org.orgId, 'openai', D1, D3)).toEqual({ judgedDays: 2, alerts: 0 });
    const other = await createOrg(t, 'Other');
    expect((await t.http.get('/v1/reconciliation/settings').set(other.keyAuth).expect(200)).body.driftPercent).toBe(5);
  });
});

/*
 * Needs engineer H1's ingest (events carry serviceTier and cacheWrite1hTokens, priced at the tier and the
 * 1-hour rate). Until that lands these events are metered at standard rates without the 1-hour split, and
 * this block fails with the deltas the first block explains; run it after merging H1.
 *
 * Metered right: gpt-4o 1M in + 100k out at batch = (2.50 + 1.00) / 2 = 1.75, billed 1.75;
 * sonnet 10 requests, 1.2M in with 200k 1-hour writes = 1M x 3 + 200k x 6 = 4.20, billed 4.20.
 * Nothing to explain: both deltas 0, no explanations.
 */
describe('after H1: tiers and 1-hour writes metered as billed leave nothing to explain', () => {
  it('batch gpt-4o and 1-hour sonnet writes metered at their prices match the bill to the cent', async () => {
    const org = await createOrg(t, 'Parity');
    await post(org, [
      { at: `${D1}T10:00:00Z`, provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 1_000_000, outputTokens: 100_000 }, serviceTier: 'batch' },
      { at: `${D1}T09:00:00Z`, provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { inputTokens: 1_200_000, cacheWriteTokens: 200_000, cacheWrite1hTokens: 200_000, outputTokens: 0 }, requests: 10 },
    ]);
    const openai = await connector(org, 'openai');
    await openai.cost(D1, 'gpt-4o', 'input', '1.25', { tier: 'batch' });
    await openai.cost(D1, 'gpt-4o', 'output', '0.5', { tier: 'batch' });
    await openai.usage(D1, 'gpt-4o', { input: 1_000_000, output: 100_000 }, { tier: 'batch' });
    const anthropic = await connector(org, 'anthropic');
    await anthropic.cost(D1, 'claude-sonnet-4-5', 'input', '3');
    await anthropic.cost(D1, 'claude-sonnet-4-5', 'cache_write_1h', '1.2');
    await anthropic.usage(D1, 'claude-sonnet-4-5', { input: 1_200_000, cacheWrite: 200_000, cacheWrite1h: 200_000 });
    const res = await t.http.get(`/v1/reconciliation?from=${D1}&to=${D2}`).set(org.keyAuth).expect(200);
    expect((res.body.rows as Row[]).map((r) => [r.provider, r.meteredCostUsd, r.billedCostUsd, r.deltaUsd, r.coverage, r.explanations, r.unexplainedUsd])).toEqual([
      ['anthropic', '4.2', '4.2', '0', 1, [], '0'],
      ['openai', '1.75', '1.75', '0', 1, [], '0'],
    ]);
  });
});

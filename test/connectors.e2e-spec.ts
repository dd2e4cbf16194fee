import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PinoNestLogger } from '../src/common/logger.js';
import { startFakeProvider, type FakeProvider } from '../src/connectors/fake-provider.js';
import { bootApp, type TestApp } from './support/app.js';
import { TEST_DATABASE_URL } from './support/env.js';
import { createMember, createOrg, type TestOrg } from './support/factories.js';
import { waitFor } from './support/wait.js';

/*
 * Provider connectors end to end: the real app (API + worker) on the real
 * PostgreSQL and Redis, syncing from the bundled fake provider over HTTP.
 */

const logged: string[] = [];
for (const level of ['log', 'error', 'warn', 'debug', 'verbose'] as const) {
  const original = PinoNestLogger.prototype[level];
  jest.spyOn(PinoNestLogger.prototype, level).mockImplementation(function (this: PinoNestLogger, ...args: unknown[]) {
    logged.push(args.map(String).join(' '));
    return (original as (...a: unknown[]) => void).apply(this, args);
  });
}

const DAY_MS = 86_400_000;
const day = (offset: number) => new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + offset * DAY_MS).toISOString().slice(0, 10);
// Three whole days well in the past: [D1, D4).
const D1 = day(-10);
const D2 = day(-9);
const D3 = day(-8);
const D4 = day(-7);

const OPENAI_KEY = `sk-admin-${randomBytes(16).toString('hex')}`;
const ANTHROPIC_KEY = `sk-ant-admin01-${randomBytes(16).toString('hex')}`;

let t: TestApp;
let db: pg.Client;
beforeAll(async () => {
  t = await bootApp({ CONNECTOR_ALLOW_BASE_URL: 'true' });
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await t.close();
});

function createConnector(org: TestOrg, body: Record<string, unknown>) {
  return t.http.post('/v1/connectors').set(org.auth).send(body);
}

async function syncAndWait(org: TestOrg, id: string, from: string, to: string) {
  const started = await t.http.post(`/v1/connectors/${id}/sync`).set(org.auth).send({ from, to }).expect(202);
  expect(started.body).toMatchObject({ runId: expect.any(String), status: 'queued', from, to, trigger: 'manual' });
  return waitFor(async () => {
    const r = await t.http.get(`/v1/connectors/${id}/runs/${started.body.runId}`).set(org.auth).expect(200);
    return r.body.status === 'succeeded' || r.body.status === 'failed' ? r.body : null;
  }, 30_000);
}

async function costLines(orgId: string, connectorId: string) {
  const r = await db.query(
    `SELECT day::text, line_key, project, model, model_id, line_item, service_tier, cost_type, token_type, trim_scale(amount_usd)::text AS usd
       FROM provider_cost_lines WHERE org_id = $1 AND connector_id = $2 ORDER BY day, line_key`,
    [orgId, connectorId],
  );
  return r.rows;
}

async function usageLines(orgId: string, connectorId: string) {
  const r = await db.query(
    `SELECT bucket_start, bucket_width, project, model, model_id, service_tier, requests::int, input_tokens::int AS input, cached_input_tokens::int AS cached,
            cache_write_tokens::int AS writes, cache_write_1h_tokens::int AS writes_1h, output_tokens::int AS output, audio_input_tokens::int AS audio_in
       FROM provider_usage_lines WHERE org_id = $1 AND connector_id = $2 ORDER BY bucket_start, line_key`,
    [orgId, connectorId],
  );
  return r.rows;
}

function openaiData() {
  return {
    costs: [
      { day: D1, lineItem: 'gpt-4o-2024-08-06, input', projectId: 'proj_a', amount: '0.1234567891' },
      { day: D1, lineItem: 'gpt-4o-2024-08-06, output', projectId: 'proj_a', amount: '1.5' },
      { day: D2, lineItem: 'gpt-4o-mini, cached input', projectId: 'proj_a', amount: '0.0003' },
      { day: D3, lineItem: 'Web search tool calls', projectId: null, amount: '2' },
    ],
    usage: [
      // Two hours of one grouping: the daily bucket sums them (1,000 + 500 input, 200 cached, 100 + 50 output, 2 + 1 requests).
      { day: D1, hour: 3, model: 'gpt-4o-2024-08-06', projectId: 'proj_a', batch: false, serviceTier: 'default', inputTokens: 1000, inputCachedTokens: 200, outputTokens: 100, requests: 2 },
      { day: D1, hour: 5, model: 'gpt-4o-2024-08-06', projectId: 'proj_a', batch: false, serviceTier: 'default', inputTokens: 500, outputTokens: 50, requests: 1 },
      { day: D2, model: 'gpt-4o-mini', projectId: 'proj_a', batch: true, inputTokens: 10_000, inputAudioTokens: 40, outputTokens: 2_000, requests: 5 },
    ],
  };
}

describe('connectors: create, list, read, delete', () => {
  it('creates (201) without ever returning the key, lists, reads, refuses duplicates and bad fields, and hides it from other orgs (404)', async () => {
    const org = await createOrg(t);
    const created = await createConnector(org, { provider: 'openai', name: 'OpenAI prod', credentials: { adminKey: OPENAI_KEY } }).expect(201);
    expect(created.body).toMatchObject({ id: expect.any(String), provider: 'openai', name: 'OpenAI prod', baseUrl: null, lastSyncedAt: null, finalBefore: null, lastError: null, sealedWithKeyId: 'dev' });
    expect(created.body.credentials).toBeUndefined();
    expect(created.text).not.toContain(OPENAI_KEY);
    const id = created.body.id as string;

    // At rest: AES-256-GCM, iv || tag || ciphertext, no plaintext anywhere in the row.
    const row = (await db.query(`SELECT key_id, sealed FROM connectors WHERE org_id = $1 AND id = $2`, [org.orgId, id])).rows[0];
    expect(row.key_id).toBe('dev');
    expect(Buffer.from(row.sealed).includes(Buffer.from(OPENAI_KEY))).toBe(false);
    expect(row.sealed.length).toBeGreaterThan(12 + 16 + OPENAI_KEY.length);

    const list = await t.http.get('/v1/connectors').set(org.auth).expect(200);
    expect(list.body).toMatchObject({ data: [{ id, name: 'OpenAI prod' }], nextCursor: null });
    expect(list.text).not.toContain(OPENAI_KEY);
    const one = await t.http.get(`/v1/connectors/${id}`).set(org.keyAuth).expect(200);
    expect(one.body.stored).toEqual({ costLines: 0, usageLines: 0, billedUsd: '0', firstDay: null, lastDay: null });

    const dup = await createConnector(org, { provider: 'anthropic', name: 'OpenAI prod', credentials: { adminKey: ANTHROPIC_KEY } }).expect(409);
    expect(dup.text).not.toContain(ANTHROPIC_KEY);

    const bad = await createConnector(org, { provider: 'gemini', name: '', credentials: { adminKey: 'has a space in it' } }).expect(400);
    expect([...new Set(bad.body.error.details.map((d: { field: string }) => d.field))].sort()).toEqual(['credentials.adminKey', 'name', 'provider']);
    expect(bad.text).not.toContain('has a space in it');
    await createConnector(org, { provider: 'openai', name: 'x'.repeat(101), credentials: { adminKey: OPENAI_KEY } }).expect(400);
    await createConnector(org, { provider: 'openai', name: 'no credentials' }).expect(400);

    // Another org: every route is a 404, never a 403 that confirms the id exists.
    const other = await createOrg(t);
    await t.http.get(`/v1/connectors/${id}`).set(other.auth).expect(404);
    await t.http.get(`/v1/connectors/${id}/runs`).set(other.auth).expect(404);
    await t.http.post(`/v1/connectors/${id}/sync`).set(other.auth).send({ from: D1, to: D4 }).expect(404);
    await t.http.delete(`/v1/connectors/${id}`).set(other.auth).expect(404);
    expect((await t.http.get('/v1/connectors').set(other.auth).expect(200)).body.data).toEqual([]);

    // Writes need admin or owner; a viewer reads.
    const viewer = await createMember(t, org, 'viewer');
    await createConnector({ ...org, auth: viewer.auth }, { provider: 'openai', name: 'v', credentials: { adminKey: OPENAI_KEY } }).expect(403);
    await t.http.get(`/v1/connectors/${id}`).set(viewer.auth).expect(200);
    await t.http.post(`/v1/connectors/${id}/sync`).set(viewer.auth).send({ from: D1, to: D4 }).expect(403);
  });

  it('baseUrl: refused (400 naming the field) unless the deployment allows it; when allowed, private addresses are still refused', async () => {
    const strict = await bootApp({ CONNECTOR_ALLOW_BASE_URL: 'false' });
    try {
      const org = await createOrg(strict);
      const r = await strict.http.post('/v1/connectors').set(org.auth).send({ provider: 'openai', name: 'proxy', credentials: { adminKey: OPENAI_KEY }, baseUrl: 'https://llm-proxy.example.com' }).expect(400);
      expect(r.body.error.details).toEqual([{ field: 'baseUrl', message: expect.stringMatching(/CONNECTOR_ALLOW_BASE_URL/) }]);
    } finally {
      await strict.close();
    }
    const org = await createOrg(t);
    for (const baseUrl of ['http://10.0.0.5/', 'http://169.254.169.254/latest', 'ftp://example.com/', 'not a url', 'http://localhost:1/']) {
      const r = await createConnector(org, { provider: 'openai', name: `p ${baseUrl}`, credentials: { adminKey: OPENAI_KEY }, baseUrl }).expect(400);
      expect(r.body.error.details[0].field).toBe('baseUrl');
    }
  });

  it('sync ranges are bounded: to after from, at most 93 days, at most tomorrow, real calendar days', async () => {
    const org = await createOrg(t);
    const { body } = await createConnector(org, { provider: 'openai', name: 'ranges', credentials: { adminKey: OPENAI_KEY } }).expect(201);
    const tooLong = new Date(Date.parse(`${D4}T00:00:00Z`) - 94 * DAY_MS).toISOString().slice(0, 10);
    for (const [from, to, field] of [
      [D2, D1, 'to'],
      [D1, D1, 'to'],
      [tooLong, D4, 'to'],
      [D1, day(3), 'to'],
      ['2026-02-30', D4, 'from'],
      ['2026/01/01', D4, 'from'],
    ]) {
      const r = await t.http.post(`/v1/connectors/${body.id}/sync`).set(org.auth).send({ from, to }).expect(400);
      expect(r.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect((await t.http.get(`/v1/connectors/${body.id}/runs`).set(org.auth).expect(200)).body.data).toEqual([]);
  });
});

describe('connectors: syncing from the fake provider', () => {
  let fake: FakeProvider;
  afterEach(async () => fake?.close());

  it('OpenAI: pages through has_more/next_page, waits out a 429 (retry-after: 1) and retries a 500, stores exact USD; a re-sync replaces the range', async () => {
    fake = await startFakeProvider({ adminKey: OPENAI_KEY, openai: openaiData(), pageSize: 1, faults: { rateLimitOnce: true, serverErrorOnce: true } });
    const org = await createOrg(t);
    const { body: c } = await createConnector(org, { provider: 'openai', name: 'OpenAI', credentials: { adminKey: OPENAI_KEY }, baseUrl: fake.url }).expect(201);
    const run = await syncAndWait(org, c.id, D1, D4);
    expect(run).toMatchObject({ status: 'succeeded', error: null, pages: 6, costLines: 4, usageLines: 2, retries: 2 });
    expect(run.progress).toMatchObject({ phase: 'done', costPages: 3, usagePages: 3, rateLimited: 1, serverErrors: 1, skippedRows: 0 });

    // The 429's retry-after (1 s) was honoured before the next call; the 500 was retried.
    expect(fake.log.slice(0, 3).map((r) => r.status)).toEqual([429, 500, 200]);
    expect(fake.log[1]!.at - fake.log[0]!.at).toBeGreaterThanOrEqual(990);
    // Every page asked for what the OpenAI reference documents.
    const first = fake.log.find((r) => r.path === '/v1/organization/costs' && r.status === 200)!;
    expect(first.query).toMatchObject({ bucket_width: ['1d'], group_by: ['line_item', 'project_id'], start_time: [String(Date.parse(`${D1}T00:00:00Z`) / 1000)], end_time: [String(Date.parse(`${D4}T00:00:00Z`) / 1000)] });
    expect(fake.log.find((r) => r.path === '/v1/organization/usage/completions')!.query.group_by).toEqual(['model', 'project_id', 'batch', 'service_tier']);
    expect(fake.log.filter((r) => r.query.page).length).toBe(4);

    const cost = await costLines(org.orgId, c.id);
    expect(cost.map((l) => [l.day, l.model, l.model_id, l.token_type, l.cost_type, l.usd])).toEqual([
      [D1, 'gpt-4o-2024-08-06', 'gpt-4o', 'input', 'tokens', '0.1234567891'],
      [D1, 'gpt-4o-2024-08-06', 'gpt-4o', 'output', 'tokens', '1.5'],
      [D2, 'gpt-4o-mini', 'gpt-4o-mini', 'cache_read', 'tokens', '0.0003'],
      [D3, '', '', '', 'other', '2'],
    ]);
    const usage = await usageLines(org.orgId, c.id);
    expect(usage).toEqual([
      expect.objectContaining({ bucket_width: '1d', model: 'gpt-4o-2024-08-06', model_id: 'gpt-4o', project: 'proj_a', service_tier: 'default', requests: 3, input: 1500, cached: 200, output: 150 }),
      // Canonical input: 10,000 text + 40 audio.
      expect.objectContaining({ model: 'gpt-4o-mini', service_tier: 'batch', requests: 5, input: 10_040, cached: 0, audio_in: 40, output: 2000 }),
    ]);
    // 0.1234567891 + 1.5 + 0.0003 + 2 = 3.6237567891 USD.
    const stored = (await t.http.get(`/v1/connectors/${c.id}`).set(org.auth).expect(200)).body;
    expect(stored).toMatchObject({ lastError: null, lastSyncedAt: expect.any(String), stored: { costLines: 4, usageLines: 2, billedUsd: '3.6237567891', firstDay: D1, lastDay: D3 } });
    // Provider lines are never metered events.
    expect((await db.query(`SELECT count(*)::int AS n FROM usage_events WHERE org_id = $1`, [org.orgId])).rows[0].n).toBe(0);

    // The same range again: the same lines, nothing counted twice.
    const again = await syncAndWait(org, c.id, D1, D4);
    expect(again).toMatchObject({ status: 'succeeded', costLines: 4, usageLines: 2, retries: 0 });
    expect(await costLines(org.orgId, c.id)).toEqual(cost);
    expect((await usageLines(org.orgId, c.id)).map(({ bucket_start: _b, ...rest }) => rest)).toEqual(usage.map(({ bucket_start: _b, ...rest }) => rest));

    // The provider corrected D1's output line and dropped D3's: re-syncing [D1, D3) replaces those days and leaves D3 alone.
    fake.openai = { ...openaiData(), costs: [openaiData().costs[0]!, { ...openaiData().costs[1]!, amount: '1.25' }] };
    await syncAndWait(org, c.id, D1, D3);
    expect((await costLines(org.orgId, c.id)).map((l) => [l.day, l.usd])).toEqual([
      [D1, '0.1234567891'],
      [D1, '1.25'],
      [D3, '2'],
    ]);

    const runs = await t.http.get(`/v1/connectors/${c.id}/runs?limit=2`).set(org.auth).expect(200);
    expect(runs.body.data).toHaveLength(2);
    expect(runs.body.nextCursor).toEqual(expect.any(String));
    const rest = await t.http.get(`/v1/connectors/${c.id}/runs?limit=2&cursor=${runs.body.nextCursor}`).set(org.auth).expect(200);
    expect(rest.body).toMatchObject({ data: [{ id: run.id }], nextCursor: null });
  });

  it('Anthropic: cents become USD exactly, cache writes by TTL, tiers normalised; a malformed row is skipped and counted while its neighbours are kept', async () => {
    fake = await startFakeProvider({
      adminKey: ANTHROPIC_KEY,
      pageSize: 2,
      anthropic: {
        costs: [
          { day: D1, amountCents: '123.45', workspaceId: 'wrkspc_a', model: 'claude-sonnet-4-20250514', tokenType: 'uncached_input_tokens', serviceTier: 'standard', contextWindow: '0-200k', description: 'Claude Sonnet 4 Usage - Input Tokens' },
          { day: D1, amountCents: '0.5', workspaceId: 'wrkspc_a', model: 'claude-sonnet-4-20250514', tokenType: 'cache_creation.ephemeral_1h_input_tokens', serviceTier: 'batch', contextWindow: '0-200k', description: 'Claude Sonnet 4 Usage - Cache Write 1h' },
          { day: D3, amountCents: '2000', costType: 'web_search', description: 'Web Search' },
        ],
        usage: [
          { day: D1, model: 'claude-sonnet-4-20250514', workspaceId: 'wrkspc_a', serviceTier: 'standard', contextWindow: '0-200k', uncachedInputTokens: 1000, cacheReadInputTokens: 4000, cacheCreation5mInputTokens: 300, cacheCreation1hInputTokens: 200, outputTokens: 250 },
          { day: D2, model: 'claude-haiku-9-unknown', serviceTier: 'priority_on_demand', uncachedInputTokens: 10, outputTokens: 1 },
        ],
        badRows: [{ report: 'costs', day: D2, json: '{"currency":"USD","amount":"12,50","cost_type":"tokens"}' }],
      },
    });
    const org = await createOrg(t);
    const { body: c } = await createConnector(org, { provider: 'anthropic', name: 'Anthropic', credentials: { adminKey: ANTHROPIC_KEY }, baseUrl: `${fake.url}/` }).expect(201);
    const run = await syncAndWait(org, c.id, D1, D4);
    expect(run).toMatchObject({ status: 'succeeded', costLines: 3, usageLines: 2, pages: 4 });
    expect(run.progress).toMatchObject({ skippedRows: 1, skippedReasons: ['costs: amount is not a decimal'] });
    const cost = await costLines(org.orgId, c.id);
    // 123.45 cents = $1.2345; 0.5 cents = $0.005; 2000 cents = $20.
    expect(cost.map((l) => [l.day, l.project, l.model_id, l.token_type, l.service_tier, l.cost_type, l.usd])).toEqual([
      [D1, 'wrkspc_a', 'claude-sonnet-4', 'cache_write_1h', 'batch', 'tokens', '0.005'],
      [D1, 'wrkspc_a', 'claude-sonnet-4', 'input', 'default', 'tokens', '1.2345'],
      [D3, '', '', '', 'default', 'web_search', '20'],
    ]);
    expect((await t.http.get(`/v1/connectors/${c.id}`).set(org.auth).expect(200)).body.stored.billedUsd).toBe('21.2395');
    // Input = 1,000 uncached + 4,000 read + 300 (5m) + 200 (1h) = 5,500; writes 500, of which 1h 200.
    expect(await usageLines(org.orgId, c.id)).toEqual([
      expect.objectContaining({ model_id: 'claude-sonnet-4', project: 'wrkspc_a', service_tier: 'default', input: 5500, cached: 4000, writes: 500, writes_1h: 200, output: 250 }),
      expect.objectContaining({ model: 'claude-haiku-9-unknown', model_id: '', service_tier: 'priority', input: 10, output: 1 }),
    ]);
    const q = fake.log.find((r) => r.path === '/v1/organizations/cost_report')!.query;
    expect(q).toMatchObject({ group_by: ['workspace_id', 'description'], starting_at: [`${D1}T00:00:00Z`], ending_at: [`${D4}T00:00:00Z`] });
    expect(fake.log.find((r) => r.path === '/v1/organizations/usage_report/messages')!.query.group_by).toEqual(['model', 'service_tier', 'context_window', 'workspace_id']);
  });

  it('a provider that refuses the key (401, echoing it): the run fails with the key scrubbed from its error, the connector, every response and the logs', async () => {
    fake = await startFakeProvider({ adminKey: OPENAI_KEY, openai: openaiData() });
    const wrongKey = `sk-admin-wrong-${randomBytes(12).toString('hex')}`;
    const org = await createOrg(t);
    const { body: c } = await createConnector(org, { provider: 'openai', name: 'wrong key', credentials: { adminKey: wrongKey }, baseUrl: fake.url }).expect(201);
    const run = await syncAndWait(org, c.id, D1, D4);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/HTTP 401/);
    expect(run.error).toContain('[redacted]');
    expect(fake.log.map((r) => r.status)).toEqual([401]);
    const texts = [
      JSON.stringify(run),
      (await t.http.get(`/v1/connectors/${c.id}`).set(org.auth).expect(200)).text,
      (await t.http.get('/v1/connectors').set(org.auth).expect(200)).text,
      (await t.http.get(`/v1/connectors/${c.id}/runs`).set(org.auth).expect(200)).text,
    ];
    expect((await t.http.get(`/v1/connectors/${c.id}`).set(org.auth).expect(200)).body.lastError).toMatch(/HTTP 401/);
    for (const text of texts) expect(text).not.toContain(wrongKey);
    await waitFor(async () => logged.some((l) => l.includes(c.id) && l.includes('failed')) || null);
    expect(logged.join('\n')).not.toContain(wrongKey);
    expect(logged.join('\n')).not.toContain(OPENAI_KEY);
    expect(logged.join('\n')).not.toContain(ANTHROPIC_KEY);
    const stored = (await db.query(`SELECT coalesce(last_error, '') AS e FROM connectors WHERE id = $1`, [c.id])).rows[0].e as string;
    expect(stored).not.toContain(wrongKey);
  });

  it('DELETE removes the connector with its runs and every line read from it', async () => {
    fake = await startFakeProvider({ adminKey: OPENAI_KEY, openai: openaiData() });
    const org = await createOrg(t);
    const { body: c } = await createConnector(org, { provider: 'openai', name: 'to delete', credentials: { adminKey: OPENAI_KEY }, baseUrl: fake.url }).expect(201);
    const run = await syncAndWait(org, c.id, D1, D4);
    expect(run.status).toBe('succeeded');
    expect((await costLines(org.orgId, c.id)).length).toBe(4);
    await t.http.delete(`/v1/connectors/${c.id}`).set(org.auth).expect(204);
    await t.http.get(`/v1/connectors/${c.id}`).set(org.auth).expect(404);
    await t.http.get(`/v1/connectors/${c.id}/runs/${run.id}`).set(org.auth).expect(404);
    await t.http.delete(`/v1/connectors/${c.id}`).set(org.auth).expect(404);
    expect(await costLines(org.orgId, c.id)).toEqual([]);
    expect(await usageLines(org.orgId, c.id)).toEqual([]);
    expect((await db.query(`SELECT count(*)::int AS n FROM connector_runs WHERE connector_id = $1`, [c.id])).rows[0].n).toBe(0);
  });

  it('key rotation: credentials sealed under an old key open with it listed second, and are re-sealed under the new key after a successful sync', async () => {
    fake = await startFakeProvider({ adminKey: OPENAI_KEY, openai: openaiData() });
    const oldKey = `old:${randomBytes(32).toString('base64')}`;
    const newKey = `new:${randomBytes(32).toString('base64')}`;
    const before = await bootApp({ CONNECTOR_ALLOW_BASE_URL: 'true', CONNECTOR_ENCRYPTION_KEY: oldKey });
    let id!: string;
    let org!: TestOrg;
    try {
      org = await createOrg(before);
      const created = await before.http.post('/v1/connectors').set(org.auth).send({ provider: 'openai', name: 'rotated', credentials: { adminKey: OPENAI_KEY }, baseUrl: fake.url }).expect(201);
      expect(created.body.sealedWithKeyId).toBe('old');
      id = created.body.id;
    } finally {
      await before.close();
    }
    const after = await bootApp({ CONNECTOR_ALLOW_BASE_URL: 'true', CONNECTOR_ENCRYPTION_KEY: `${newKey},${oldKey}` });
    try {
      const started = await after.http.post(`/v1/connectors/${id}/sync`).set(org.auth).send({ from: D1, to: D4 }).expect(202);
      const run = await waitFor(async () => {
        const r = await after.http.get(`/v1/connectors/${id}/runs/${started.body.runId}`).set(org.auth).expect(200);
        return r.body.status === 'succeeded' || r.body.status === 'failed' ? r.body : null;
      }, 30_000);
      expect(run).toMatchObject({ status: 'succeeded', error: null, costLines: 4 });
      expect((await after.http.get(`/v1/connectors/${id}`).set(org.auth).expect(200)).body.sealedWithKeyId).toBe('new');
    } finally {
      await after.close();
    }
  });
});

describe('connectors: schedules', () => {
  it('the daily and hourly job schedulers are registered on the connectors queue', async () => {
    const { QueueService } = await import('../src/infra/queue/queue.service.js');
    const schedulers = await waitFor(async () => {
      const s = await t.app.get(QueueService).queue('connectors').getJobSchedulers();
      return s.length >= 2 ? s : null;
    });
    expect(schedulers.map((s) => [s.key, s.pattern, s.tz]).sort()).toEqual([
      ['connectors-daily', '40 4 * * *', 'UTC'],
      ['connectors-hourly', '17 * * * *', 'UTC'],
    ]);
  });
});

import { randomBytes } from 'node:crypto';
import { startFakeProvider, type FakeProvider } from '../src/connectors/fake-provider.js';
import { verifySignature } from '../src/common/standard-webhooks.js';
import { bootApp, type TestApp } from './support/app.js';
import { createOrg, type TestOrg } from './support/factories.js';
import { startReceiver } from './support/receiver.js';
import { waitFor } from './support/wait.js';

/*
 * The whole path finance relies on, end to end: connectors sync what the providers bill from a fake
 * OpenAI and Anthropic admin API (the same server the demo runs), the reconciliation explains every
 * delta to the cent, and the sync raises each drifting provider-day once as a signed webhook.
 *
 * D1 and D2 are two consecutive UTC days, five and four days ago. Catalog prices (USD per 1M tokens):
 * gpt-4o 2.50 in / 10 out; gpt-4o-mini 0.15 in; o4-mini 1.10 in; claude-sonnet-4.5 3 in, 3.75 per
 * 5-minute cache write, 6 per 1-hour write. OpenAI batch: half price.
 *
 * Metered (POST /v1/events)                        Billed (the fake provider's reports)
 *  openai D1 gpt-4o 1M in + 100k out = 3.50        "gpt-4o-2024-08-06, batch input" 1.25 + "batch output" 0.50
 *                                                  -> service_tier 1.75 - 3.50 = -1.75
 *  openai D1 gpt-4o-mini 2M in = 0.30              "gpt-4o-mini, input" 0.33 -> price_mismatch 2M x 0.015/1M = +0.03
 *  openai D1 zeta-research-1 (unpriced) = 0        0.60 + 0.20 -> unpriced_model +0.80
 *  openai D1 (none)                                "gpt-4.1, input" 0.40 -> not_instrumented +0.40
 *  openai D1 o4-mini 1M in at 23:59:30 = 1.10      (billed on D2) -> timing -1.10
 *  openai D2 (none)                                "o4-mini, input" 1.10 -> timing +1.10
 *  anthropic D1 sonnet 1.2M in incl. 200k cache    30000 cents uncached + 12000 cents of 1-hour writes = 4.20
 *            writes not split by TTL = 3.75        -> cache_write_ttl 200k x (6 - 3.75)/1M = +0.45
 *  anthropic D2 (none)                             workspace "research" 3000 cents = 0.30 -> not_instrumented +0.30
 * Deltas: openai D1 -1.62, openai D2 +1.10, anthropic D1 +0.45, anthropic D2 +0.30; all explained, none left.
 * Drift (defaults 5% of billed and $1, coverage 0.95): openai D1, openai D2, anthropic D2; not anthropic D1.
 */

const DAY_MS = 86_400_000;
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const D1 = new Date(today - 5 * DAY_MS).toISOString().slice(0, 10);
const D2 = new Date(today - 4 * DAY_MS).toISOString().slice(0, 10);
const D3 = new Date(today - 3 * DAY_MS).toISOString().slice(0, 10);
const ADMIN_KEY = `sk-admin-${randomBytes(12).toString('hex')}`;

let t: TestApp;
let fake: FakeProvider;
beforeAll(async () => {
  t = await bootApp();
  fake = await startFakeProvider({
    adminKey: ADMIN_KEY,
    pageSize: 1,
    openai: {
      costs: [
        { day: D1, lineItem: 'gpt-4o-2024-08-06, batch input', amount: '1.25' },
        { day: D1, lineItem: 'gpt-4o-2024-08-06, batch output', amount: '0.5' },
        { day: D1, lineItem: 'gpt-4o-mini, input', amount: '0.33' },
        { day: D1, lineItem: 'zeta-research-1, input', amount: '0.6' },
        { day: D1, lineItem: 'zeta-research-1, output', amount: '0.2' },
        { day: D1, lineItem: 'gpt-4.1, input', amount: '0.4' },
        { day: D2, lineItem: 'o4-mini, input', amount: '1.1' },
      ],
      usage: [
        { day: D1, model: 'gpt-4o-2024-08-06', batch: true, inputTokens: 1_000_000, outputTokens: 100_000, requests: 1 },
        { day: D1, model: 'gpt-4o-mini', inputTokens: 2_000_000, requests: 1 },
        { day: D1, model: 'zeta-research-1', inputTokens: 400_000, outputTokens: 100_000, requests: 1 },
        { day: D1, model: 'gpt-4.1', inputTokens: 200_000, requests: 1 },
        { day: D2, model: 'o4-mini', inputTokens: 1_000_000, requests: 1 },
      ],
    },
    anthropic: {
      costs: [
        { day: D1, model: 'claude-sonnet-4-5', tokenType: 'uncached_input_tokens', amountCents: '300' },
        { day: D1, model: 'claude-sonnet-4-5', tokenType: 'cache_creation.ephemeral_1h_input_tokens', amountCents: '120' },
        { day: D2, model: 'claude-sonnet-4-5', tokenType: 'uncached_input_tokens', workspaceId: 'research', amountCents: '30' },
      ],
      usage: [
        { day: D1, model: 'claude-sonnet-4-5', uncachedInputTokens: 1_000_000, cacheCreation1hInputTokens: 200_000 },
        { day: D2, model: 'claude-sonnet-4-5', workspaceId: 'research', uncachedInputTokens: 100_000 },
      ],
    },
  });
}, 60_000);
afterAll(async () => {
  await fake?.close();
  await t?.close();
});

async function syncAndWait(org: TestOrg, id: string) {
  const started = await t.http.post(`/v1/connectors/${id}/sync`).set(org.auth).send({ from: D1, to: D3 }).expect(202);
  return waitFor(async () => {
    const r = await t.http.get(`/v1/connectors/${id}/runs/${started.body.runId}`).set(org.auth).expect(200);
    return r.body.status === 'succeeded' || r.body.status === 'failed' ? r.body : null;
  }, 60_000);
}

type Row = Record<string, unknown> & { explanations: { cause: string; estimatedUsd: string }[] };
const causes = (r: Row) => Object.fromEntries(r.explanations.map((e) => [e.cause, e.estimatedUsd]));

describe('invoice reconciliation from synced connectors', () => {
  it('a connector synced from the fake provider gives a reconciliation whose every delta is explained to the cent, and drifting days alert once', async () => {
    const org = await createOrg(t, 'Invoice');
    const receiver = await startReceiver();
    try {
      const hook = await t.http.post('/v1/webhooks').set(org.auth).send({ url: receiver.url, events: ['reconciliation.drift'] }).expect(201);

      const events = [
        { at: `${D1}T10:00:00Z`, provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 1_000_000, outputTokens: 100_000 } },
        { at: `${D1}T11:00:00Z`, provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 2_000_000, outputTokens: 0 } },
        { at: `${D1}T12:00:00Z`, provider: 'openai', model: 'zeta-research-1', usage: { inputTokens: 400_000, outputTokens: 100_000 } },
        { at: `${D1}T23:59:30Z`, provider: 'openai', model: 'o4-mini', usage: { inputTokens: 1_000_000, outputTokens: 0 } },
        { at: `${D1}T09:00:00Z`, provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { inputTokens: 1_200_000, cacheWriteTokens: 200_000, outputTokens: 0 }, requests: 10 },
      ].map((e) => ({ id: randomBytes(6).toString('hex'), timestamp: e.at, workload: 'invoice', requests: 1, ...e, at: undefined }));
      expect((await t.http.post('/v1/events').set(org.keyAuth).send({ events }).expect(200)).body.accepted).toBe(5);

      const openai = await t.http.post('/v1/connectors').set(org.auth).send({ provider: 'openai', name: 'OpenAI', credentials: { adminKey: ADMIN_KEY }, baseUrl: fake.url }).expect(201);
      const anthropic = await t.http.post('/v1/connectors').set(org.auth).send({ provider: 'anthropic', name: 'Anthropic', credentials: { adminKey: ADMIN_KEY }, baseUrl: fake.url }).expect(201);
      const runs = [await syncAndWait(org, openai.body.id), await syncAndWait(org, anthropic.body.id)];
      expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
      expect(runs[0].pages).toBeGreaterThan(2); // one bucket per page: the sync followed next_page

      const res = await t.http.get(`/v1/reconciliation?from=${D1}&to=${D3}`).set(org.auth).expect(200);
      const rows = res.body.rows as Row[];
      expect(rows.map((r) => [r.day, r.provider, r.meteredCostUsd, r.billedCostUsd, r.deltaUsd, causes(r), r.unexplainedUsd])).toEqual([
        [D1, 'anthropic', '3.75', '4.2', '0.45', { cache_write_ttl: '0.45' }, '0'],
        [D1, 'openai', '4.9', '3.28', '-1.62', { timing: '-1.1', not_instrumented: '0.4', unpriced_model: '0.8', service_tier: '-1.75', price_mismatch: '0.03' }, '0'],
        [D2, 'anthropic', '0', '0.3', '0.3', { not_instrumented: '0.3' }, '0'],
        [D2, 'openai', '0', '1.1', '1.1', { timing: '1.1' }, '0'],
      ]);
      expect(res.body.totals).toMatchObject({ meteredCostUsd: '8.65', billedCostUsd: '8.88', deltaUsd: '0.23', unexplainedUsd: '0' });

      // The syncs judged the final days: three provider-days drift, each delivered once and signed.
      await waitFor(async () => receiver.received.length >= 3 || null, 30_000);
      const drifts = receiver.received.map((r) => JSON.parse(r.body) as { type: string; data: { provider: string; day: string } });
      expect(drifts.map((d) => `${d.type} ${d.data.provider} ${d.data.day}`).sort()).toEqual(
        [`reconciliation.drift anthropic ${D2}`, `reconciliation.drift openai ${D1}`, `reconciliation.drift openai ${D2}`].sort(),
      );
      for (const r of receiver.received) expect(verifySignature(hook.body.secret, r.headers, Buffer.from(r.body))).toBeNull();

      // Syncing the same range again replaces the lines: the same figures, and no second alert for any provider-day.
      expect((await syncAndWait(org, openai.body.id)).status).toBe('succeeded');
      const again = await t.http.get(`/v1/reconciliation?from=${D1}&to=${D3}`).set(org.auth).expect(200);
      expect(again.body.totals).toMatchObject({ meteredCostUsd: '8.65', billedCostUsd: '8.88', deltaUsd: '0.23', unexplainedUsd: '0' });
      const alerts = await t.http.get('/v1/reconciliation/alerts').set(org.auth).expect(200);
      expect(alerts.body.data).toHaveLength(3);
    } finally {
      await receiver.close();
    }
  }, 180_000);
});

import { randomBytes } from 'node:crypto';
import { BudgetLedger } from '../src/budgets/budget-ledger.js';
import { bootApp, type TestApp } from './support/app.js';
import { createKey, createOrg, type TestOrg } from './support/factories.js';
import { waitFor } from './support/wait.js';

/**
 * The decision endpoint answers from Redis: rollup spend (the base) plus ingest-time counters. The API app here
 * runs no worker (ROLE=api), so nothing is rolled up until the worker app boots: a burst must be seen from the
 * counters alone, then the same figure (not twice it) once the rollup has written its base.
 *
 * Figures: gpt-4o input is $2.50 per 1M tokens, so each event below (1,000,000 input tokens) costs $2.50.
 */
let api: TestApp;
beforeAll(async () => {
  api = await bootApp({ ROLE: 'api' });
});
afterAll(async () => {
  await api.close();
});

const uid = () => randomBytes(5).toString('hex');
const event = (workload: string, extra: Record<string, unknown> = {}) => ({
  id: `d-${uid()}`,
  timestamp: new Date(Date.now() - 60_000).toISOString(),
  provider: 'openai',
  model: 'gpt-4o',
  workload,
  usage: { inputTokens: 1_000_000, outputTokens: 0 },
  ...extra,
});
type DecisionBody = { allow: boolean; source: string; asOf: string; budgets: { name: string; spentUsd: string; remainingUsd: string; hard: boolean; window: string; rolledUpAt: string; limitUsd: string }[] };
const byName = (d: DecisionBody, name: string) => d.budgets.find((b) => b.name === name)!;

async function budget(org: TestOrg, body: Record<string, unknown>): Promise<string> {
  return (await api.http.post('/v1/budgets').set(org.auth).send({ thresholds: [100], ...body }).expect(201)).body.id;
}

describe('GET /v1/budgets/decision', () => {
  it('a burst is in the answer from the counters before any rollup, and the same figure (not doubled) after it', async () => {
    const org = await createOrg(api);
    const decide = await createKey(api, org, ['decide']);
    await budget(org, { name: 'All, soft', limitUsd: '100' });
    await budget(org, { name: 'Chat, hard 24h', scope: { workload: 'chat' }, window: '24h', hard: true, limitUsd: '5' });
    const ask = async (q: string) => (await api.http.get(`/v1/budgets/decision?${q}`).set(decide.auth).expect(200)).body as DecisionBody;

    const before = await ask('workload=chat');
    expect(before.allow).toBe(true);
    expect(before.budgets.map((b) => b.name).sort()).toEqual(['All, soft', 'Chat, hard 24h']);
    expect(byName(before, 'Chat, hard 24h')).toMatchObject({ spentUsd: '0', remainingUsd: '5', limitUsd: '5', hard: true, window: '24h' });
    // Another workload falls under the org-wide budget only.
    expect((await ask('workload=search')).budgets.map((b) => b.name)).toEqual(['All, soft']);

    // Burst: 3 × $2.50 on chat, 1 × $2.50 on search = $10 org-wide, $7.50 on chat.
    await api.http.post('/v1/events').set(org.keyAuth).send({ events: [event('chat'), event('chat'), event('chat'), event('search')] }).expect(200);
    const burst = await waitFor(async () => {
      const d = await ask('workload=chat');
      return byName(d, 'Chat, hard 24h').spentUsd === '7.5' ? d : null;
    }, 5_000, 20);
    // Nothing was rolled up: no worker runs.
    expect((await api.http.get('/v1/admin/jobs').set(org.auth).expect(200)).body.rollupBacklog.dirtyHours).toBeGreaterThan(0);
    expect(burst.allow).toBe(false); // $7.50 ≥ $5 on a hard budget
    expect(byName(burst, 'Chat, hard 24h')).toMatchObject({ spentUsd: '7.5', remainingUsd: '0' });
    expect(byName(burst, 'All, soft')).toMatchObject({ spentUsd: '10', remainingUsd: '90' });
    // The soft budget alone never denies.
    expect((await ask('workload=search')).allow).toBe(true);

    // The worker rolls the hour up and writes fresh bases: the same figures, not doubled.
    const worker = await bootApp({ ROLE: 'worker', REDIS_PREFIX: api.config.redis.prefix });
    try {
      const after = await waitFor(async () => {
        const d = await ask('workload=chat');
        return d.budgets.every((b) => b.rolledUpAt > burst.budgets[0].rolledUpAt && b.rolledUpAt > burst.budgets[1].rolledUpAt) ? d : null;
      }, 20_000);
      expect((await api.http.get('/v1/admin/jobs').set(org.auth).expect(200)).body.rollupBacklog.dirtyHours).toBe(0);
      expect(byName(after, 'Chat, hard 24h')).toMatchObject({ spentUsd: '7.5', remainingUsd: '0' });
      expect(byName(after, 'All, soft')).toMatchObject({ spentUsd: '10', remainingUsd: '90' });
      expect(after.allow).toBe(false);
      // One more event after the base: base $7.50 + counter $2.50.
      await api.http.post('/v1/events').set(org.keyAuth).send(event('chat')).expect(200);
      await waitFor(async () => (byName(await ask('workload=chat'), 'Chat, hard 24h').spentUsd === '10' ? true : null), 10_000, 20);
    } finally {
      await worker.close();
    }
  }, 60_000);

  it('a missing base is recomputed from PostgreSQL on that request and says so; customer and tag scopes apply only when named', async () => {
    const org = await createOrg(api);
    const decide = await createKey(api, org, ['decide']);
    const acme = await budget(org, { name: 'Acme', scope: { customer: 'acme' }, hard: true, limitUsd: '2' });
    await budget(org, { name: 'Growth team', scope: { tag: { key: 'team', value: 'growth' } }, limitUsd: '50' });
    const ask = async (q: string) => (await api.http.get(`/v1/budgets/decision?${q}`).set(decide.auth).expect(200)).body as DecisionBody;

    expect((await ask('workload=chat')).budgets).toEqual([]);
    expect((await ask('workload=chat&customer=acme')).budgets.map((b) => b.name)).toEqual(['Acme']);
    expect((await ask('workload=chat&customer=acme&tags=team:growth,env:prod')).budgets.map((b) => b.name).sort()).toEqual(['Acme', 'Growth team']);
    expect((await ask('tags=team:support')).budgets).toEqual([]);

    await api.http.post('/v1/events').set(org.keyAuth).send({ events: [event('chat', { customer: 'acme', tags: { team: 'growth' } }), event('chat', { customer: 'globex', tags: { team: 'growth' } })] }).expect(200);
    const d = await waitFor(async () => {
      const x = await ask('customer=acme&tags=team:growth');
      return byName(x, 'Growth team').spentUsd === '5' ? x : null;
    }, 5_000, 20);
    expect(byName(d, 'Acme')).toMatchObject({ spentUsd: '2.5', remainingUsd: '0' });
    expect(d.allow).toBe(false);
    expect(d.source).toBe('redis');

    // Rolled up by a read (GET /v1/budgets rolls the org's waiting hours up, without evaluating), then Acme's base
    // is gone (expired, or never written): that request reads the counter, then the rollups ($2.50), and stores both.
    await api.http.get('/v1/budgets').set(org.auth).expect(200);
    await api.app.get(BudgetLedger).dropBases(org.orgId, [acme]);
    const again = await ask('customer=acme&tags=team:growth');
    expect(again.source).toBe('database');
    expect(byName(again, 'Acme').spentUsd).toBe('2.5');
    // The other base is still the one taken before the events: $0 + $5 of counters.
    expect(byName(again, 'Growth team').spentUsd).toBe('5');
    expect((await ask('customer=acme')).source).toBe('redis');
  });

  it('a decide key can ask and nothing else; a read key cannot ask; bad parameters are 400s naming the field', async () => {
    const org = await createOrg(api);
    const decide = await createKey(api, org, ['decide']);
    const read = await createKey(api, org, ['read']);
    await api.http.get('/v1/budgets/decision').set(decide.auth).expect(200);
    await api.http.get('/v1/reports/spend').set(decide.auth).expect(403);
    await api.http.get('/v1/budgets').set(decide.auth).expect(403);
    await api.http.post('/v1/events').set(decide.auth).send(event('chat')).expect(403);
    await api.http.get('/v1/budgets/decision').set(read.auth).expect(403);
    const fields = async (q: string) => (await api.http.get(`/v1/budgets/decision?${q}`).set(decide.auth).expect(400)).body.error.details.map((x: { field: string }) => x.field);
    expect(await fields('workload=Not%20A%20Slug')).toEqual(['workload']);
    expect(await fields(`customer=${'x'.repeat(257)}`)).toEqual(['customer']);
    expect(await fields('tags=team')).toEqual(['tags']);
    expect(await fields(`tags=${'k'.repeat(65)}:v`)).toEqual(['tags']);
    expect(await fields('tags=a:1,a:2')).toEqual(['tags']);
    expect(await fields('model=gpt-4o')).toEqual(['model']);
  });

  it('Redis unreachable: 503 at once, never a hang', async () => {
    const blind = await bootApp({ ROLE: 'api', REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const org = await createOrg(api);
      await budget(org, { name: 'All', limitUsd: '10' });
      const started = Date.now();
      const res = await blind.http.get('/v1/budgets/decision').set(org.keyAuth);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('unavailable');
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await blind.close();
    }
  });
});

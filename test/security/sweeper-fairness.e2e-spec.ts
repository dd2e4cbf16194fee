import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { MeteringService } from '../../src/metering/metering.service.js';
import { RollupRepository } from '../../src/metering/rollup.repository.js';
import { bootApp, type TestApp } from '../support/app.js';
import { TEST_DATABASE_URL } from '../support/env.js';
import { createOrg } from '../support/factories.js';

// An API-only instance: no worker rolls hours up behind the test's back.
let t: TestApp;
beforeAll(async () => {
  t = await bootApp({ ROLE: 'api' });
});
afterAll(async () => t.close());

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  try {
    return (await db.query<T>(text, params)).rows;
  } finally {
    await db.end();
  }
}

const HOUR = 3_600_000;

describe('one org never starves the others in the rollup sweeper', () => {
  it('the sweeper takes at most perOrg hours of each org per pass, in rounds: a 5-hour backlog does not crowd out another org', async () => {
    const a = await createOrg(t, 'Backlog');
    const b = await createOrg(t, 'Quiet');
    const base = Math.floor(Date.now() / HOUR) * HOUR - 100 * HOUR;
    // Org A's five hours were marked before org B's one: oldest-first alone would take A's five.
    for (let i = 0; i < 5; i++) await sql(`INSERT INTO dirty_buckets (org_id, hour, marked_at) VALUES ($1, $2, now() - interval '10 minutes' + $3 * interval '1 second')`, [a.orgId, new Date(base + i * HOUR), i]);
    await sql(`INSERT INTO dirty_buckets (org_id, hour, marked_at) VALUES ($1, $2, now() - interval '5 minutes')`, [b.orgId, new Date(base)]);
    const picked = (await t.app.get(RollupRepository).dirtyBuckets(new Date(), 100_000, 2)).filter((d) => d.orgId === a.orgId || d.orgId === b.orgId);
    expect(picked.filter((d) => d.orgId === a.orgId)).toHaveLength(2);
    expect(picked.filter((d) => d.orgId === b.orgId)).toHaveLength(1);
  });

  it('a poisoned hour (its cost sum overflows) backs off and stays pending; the org\'s other hours and other orgs still roll up', async () => {
    const poisoned = await createOrg(t, 'Poisoned');
    await t.http
      .post('/v1/catalog/overrides')
      .set(poisoned.auth)
      .send({ kind: 'custom', provider: 'acme', modelId: 'dear-model', inputPerMTok: '999999', outputPerMTok: '999999', effectiveFrom: '2020-01-01T00:00:00Z' })
      .expect(201);
    const hour = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
    // 101 events of 1e10 tokens at $999,999 per 1M: ~$1e10 each (fits an event), ~$1.01e12 for the hour (beyond numeric(24,12)).
    const dear = Array.from({ length: 101 }, (_, i) => ({ id: `dear-${i}-${randomBytes(3).toString('hex')}`, timestamp: new Date(hour + i * 1000).toISOString(), provider: 'acme', model: 'dear-model', workload: 'w', usage: { inputTokens: 10_000_000_000, outputTokens: 0 } }));
    const fine = { id: randomBytes(6).toString('hex'), timestamp: new Date(hour - HOUR).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'w', usage: { inputTokens: 1000, outputTokens: 100 } };
    const ingest = await t.http.post('/v1/events').set(poisoned.keyAuth).send({ events: [...dear, fine] }).expect(200);
    expect(ingest.body.accepted).toBe(102);

    const metering = t.app.get(MeteringService);
    // The decision path (plans, digests) does not fail: the good hour is rolled up, the poisoned one stays pending.
    expect(await metering.catchUp(poisoned.orgId)).toEqual({ rolledUp: 1, pendingHours: 1 });
    const [row] = await sql<{ failures: number; backing_off: boolean; last_error: string }>(
      `SELECT failures, retry_after > now() AS backing_off, last_error FROM dirty_buckets WHERE org_id = $1 AND hour = $2`,
      [poisoned.orgId, new Date(hour)],
    );
    expect(row).toMatchObject({ failures: 1, backing_off: true });
    expect(row!.last_error).toMatch(/overflow/);
    // While it backs off, the sweeper does not pick it.
    const picked = await t.app.get(RollupRepository).dirtyBuckets(new Date(), 100_000, 100);
    expect(picked.some((d) => d.orgId === poisoned.orgId)).toBe(false);
    // Another org is unaffected.
    const other = await createOrg(t, 'Other');
    await t.http.post('/v1/events').set(other.keyAuth).send({ ...fine, id: randomBytes(6).toString('hex') }).expect(200);
    expect(await metering.catchUp(other.orgId)).toEqual({ rolledUp: 1, pendingHours: 0 });
  });
});

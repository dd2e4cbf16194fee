import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { verifySignature } from '../src/common/standard-webhooks.js';
import { bootApp, type TestApp } from './support/app.js';
import { TEST_DATABASE_URL } from './support/env.js';
import { createOrg } from './support/factories.js';
import { startReceiver } from './support/receiver.js';
import { waitFor } from './support/wait.js';

let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t.close());

describe('migration-readiness digests', () => {
  it('the scheduler builds each period once, stores it, and delivers it signed to a local receiver', async () => {
    const receiver = await startReceiver();
    const { received } = receiver;
    try {
      const org = await createOrg(t);
      const hook = await t.http.post('/v1/webhooks').set(org.auth).send({ url: receiver.url, events: ['digest.created'] }).expect(201);
      await t.http.post('/v1/events').set(org.keyAuth).send({ id: randomBytes(6).toString('hex'), timestamp: new Date(Date.now() - 3_600_000).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'chat', usage: { inputTokens: 1000, outputTokens: 100 } }).expect(200);
      expect((await t.http.get('/v1/digests/schedule').set(org.keyAuth).expect(200)).body).toMatchObject({ cron: '0 8 * * 1', timezone: 'UTC', enabled: true });
      // Every 3 seconds, until two digests exist.
      await t.http.put('/v1/digests/schedule').set(org.auth).send({ cron: '*/3 * * * * *', timezone: 'Europe/Paris', enabled: true }).expect(200);
      const list = await waitFor(async () => {
        const r = await t.http.get('/v1/digests').set(org.keyAuth).expect(200);
        return r.body.data.length >= 2 ? r.body.data : null;
      }, 30_000);
      await t.http.put('/v1/digests/schedule').set(org.auth).send({ cron: '0 8 * * 1', timezone: 'Europe/Paris', enabled: false }).expect(200);
      const periods = list.map((d: { period: string }) => d.period);
      expect(new Set(periods).size).toBe(periods.length);

      const one = await t.http.get(`/v1/digests/${list[0].id}`).set(org.keyAuth).expect(200);
      expect(one.body).toMatchObject({ spend: expect.any(Object), topActions: expect.any(Array), changes: expect.any(Object), forecast: expect.any(Array) });
      const md = await t.http.get(`/v1/digests/${list[0].id}`).set(org.keyAuth).set('accept', 'text/markdown').expect(200);
      expect(md.headers['content-type']).toMatch(/text\/markdown/);
      expect(md.text).toMatch(/^# Migration-readiness digest/);
      expect(md.text).toContain('| chat |');

      await waitFor(async () => received.length >= 2 || null, 20_000);
      for (const r of received) {
        expect(verifySignature(hook.body.secret, r.headers, Buffer.from(r.body))).toBeNull();
        expect(JSON.parse(r.body).type).toBe('digest.created');
      }
      const ids = received.map((r) => JSON.parse(r.body).data.digestId);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await receiver.close();
    }
  });

  it('exactly one digest per org and period, even when built twice (replicas, retries)', async () => {
    const org = await createOrg(t);
    const { DigestsService } = await import('../src/digests/digests.service.js');
    const svc = t.app.get(DigestsService);
    const [a, b] = await Promise.all([svc.build(org.orgId, '2026-11-30T07:00:00.000Z'), svc.build(org.orgId, '2026-11-30T07:00:00.000Z')]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      const n = await db.query('SELECT count(*)::int AS n FROM digests WHERE org_id = $1', [org.orgId]);
      expect(n.rows[0].n).toBe(1);
    } finally {
      await db.end();
    }
    const now = await t.http.post('/v1/digests').set(org.auth).expect(201);
    expect(now.body.period).toMatch(/^manual-/);
    const other = await createOrg(t);
    await t.http.get(`/v1/digests/${now.body.id}`).set(other.keyAuth).expect(404);
    expect((await t.http.get('/v1/digests').set(other.keyAuth).expect(200)).body.data).toEqual([]);
    await t.http.put('/v1/digests/schedule').set(org.auth).send({ cron: 'not a cron', timezone: 'UTC', enabled: true }).expect(400);
  });
});

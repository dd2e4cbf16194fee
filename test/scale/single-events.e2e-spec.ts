import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { bootApp, type TestApp } from '../support/app.js';
import { TEST_DATABASE_URL } from '../support/env.js';
import { createKey, createOrg } from '../support/factories.js';
import { waitFor } from '../support/wait.js';

/**
 * The single-event path as services use it (one POST per LLM call, many at once): requests of one org share
 * transactions (group commit) and keys are authenticated from a one-second cache. What users rely on stays
 * exact: each event stored once, each request told what happened to its own event, revoked keys refused.
 */
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

const HOUR = 3_600_000;

function event(id: string, inputTokens: number, ts: Date) {
  return { id, timestamp: ts.toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'chat', usage: { inputTokens, outputTokens: 100 } };
}

describe('single events posted concurrently', () => {
  it('300 requests at once, with re-sent and conflicting ids among them: every id stored once, every answer its own', async () => {
    const org = await createOrg(t);
    const ingest = await createKey(t, org, ['ingest']);
    const ts = new Date(Math.floor((Date.now() - 2 * HOUR) / HOUR) * HOUR + 60_000);
    const run = randomBytes(4).toString('hex');
    // 200 distinct ids; 60 of them sent again with the same content (duplicates), 40 with other content (conflicts).
    const originals = Array.from({ length: 200 }, (_, i) => event(`${run}-${i}`, 1_000 + i, ts));
    const resent = originals.slice(0, 60);
    const conflicting = originals.slice(100, 140).map((e) => ({ ...e, usage: { ...e.usage, inputTokens: e.usage.inputTokens + 1 } }));
    const all = [...originals, ...resent, ...conflicting].sort(() => Math.random() - 0.5);
    const answers = await Promise.all(all.map((e) => t.http.post('/v1/events').set(ingest.auth).send(e)));

    const byId = new Map<string, string[]>();
    for (const [i, res] of answers.entries()) {
      expect(res.status).toBe(200);
      expect(res.body.results).toHaveLength(1);
      expect(res.body.results[0].id).toBe(all[i].id);
      byId.set(all[i].id, [...(byId.get(all[i].id) ?? []), res.body.results[0].status]);
    }
    // Whichever copy of an id came first is accepted; a copy with the same content is a duplicate, with other
    // content a conflict (against the stored first copy, whichever it was).
    for (const [id, statuses] of byId) {
      const n = Number(id.split('-')[1]);
      expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
      if (n < 60) expect(statuses.sort()).toEqual(['accepted', 'duplicate']);
      else if (n >= 100 && n < 140) expect(statuses.sort()).toEqual(['accepted', 'conflict']);
      else expect(statuses).toEqual(['accepted']);
    }
    const stored = await db.query<{ n: number; tokens: string }>(`SELECT count(*)::int AS n, sum(input_tokens)::text AS tokens FROM usage_events WHERE org_id = $1`, [org.orgId]);
    expect(stored.rows[0].n).toBe(200);
    // Which copy of a conflicting id won is the race's; the stored total is the sum over the copies that were accepted.
    const acceptedTokens = all.filter((e, i) => answers[i].body.results[0].status === 'accepted').reduce((s, e) => s + e.usage.inputTokens, 0);
    expect(stored.rows[0].tokens).toBe(String(acceptedTokens));

    // And the rollups count them exactly once.
    const window = `from=${new Date(ts.getTime() - 60_000).toISOString()}&to=${new Date(ts.getTime() + HOUR).toISOString()}`;
    let last: unknown;
    await waitFor(async () => {
      const r = await t.http.get(`/v1/reports/spend?${window}&granularity=hour`).set(org.auth).expect(200);
      last = r.body.totals;
      return r.body.totals.requests === 200 && r.body.totals.inputTokens === acceptedTokens ? r : null;
    }, 30_000).catch((e: Error) => {
      throw new Error(`${e.message}; last totals ${JSON.stringify(last)}, want 200 requests and ${acceptedTokens} input tokens`);
    });
  });

  it('text that looks like SQL quoting is stored verbatim on the one-round-trip insert (the document is an inlined dollar-quoted literal)', async () => {
    const org = await createOrg(t);
    const ts = new Date(Date.now() - HOUR).toISOString();
    // A first event registers the workload, so the second takes the one-round-trip path.
    await t.http.post('/v1/events').set(org.keyAuth).send({ ...event(`warm-${randomBytes(3).toString('hex')}`, 1, new Date(ts)) }).expect(200);
    const nasty = `$cx0123456789abcdef$'); DELETE FROM usage_events; -- $$ \\ "`;
    const e = { ...event(`q-${randomBytes(3).toString('hex')}`, 5, new Date(ts)), model: `gpt-4o$$'"`, tags: { note: nasty, [`k$$'`]: '$x$' } };
    const res = await t.http.post('/v1/events').set(org.keyAuth).send(e).expect(200);
    expect(res.body.results[0]).toEqual({ index: 0, id: e.id, status: 'accepted' });
    const stored = await t.http.get(`/v1/events/${e.id}`).set(org.keyAuth).expect(200);
    expect(stored.body.model).toBe(e.model);
    expect(stored.body.tags).toEqual(e.tags);
    const n = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM usage_events WHERE org_id = $1`, [org.orgId]);
    expect(n.rows[0].n).toBe(2);
  });

  it('an event behind the retention horizon is refused in its own answer while its neighbours in the same moment land', async () => {
    const org = await createOrg(t);
    await t.http.put('/v1/settings/retention').set(org.auth).send({ days: 30 }).expect(200);
    await db.query(`UPDATE org_settings SET retained_from = now() - interval '30 days' WHERE org_id = $1`, [org.orgId]);
    const run = randomBytes(4).toString('hex');
    const recent = Array.from({ length: 20 }, (_, i) => event(`${run}-ok-${i}`, 10, new Date(Date.now() - HOUR)));
    const old = event(`${run}-old`, 10, new Date(Date.now() - 40 * 24 * HOUR));
    const answers = await Promise.all([...recent, old].map((e) => t.http.post('/v1/events').set(org.keyAuth).send(e)));
    expect(answers.slice(0, 20).map((r) => r.body.results[0].status)).toEqual(Array(20).fill('accepted'));
    expect(answers[20].body.results[0]).toMatchObject({ status: 'rejected', errors: [{ field: 'events[0].timestamp', message: expect.stringMatching(/purged by retention/) }] });
  });
});

describe('API keys served from the per-process cache', () => {
  it('a revoked key is refused at once by the process that revoked it, and by another process once its one-second cache turns', async () => {
    const other = await bootApp({ REDIS_PREFIX: t.config.redis.prefix });
    try {
      const org = await createOrg(t);
      const key = await createKey(t, org, ['read']);
      // Both processes have the key in their cache.
      await t.http.get('/v1/events').set(key.auth).expect(200);
      await other.http.get('/v1/events').set(key.auth).expect(200);

      await t.http.delete(`/v1/api-keys/${key.id}`).set(org.auth).expect(204);
      await t.http.get('/v1/events').set(key.auth).expect(401);
      // The other process learns it from the database when its entry expires (KEY_CACHE_MS): bounded, not timed here.
      await waitFor(async () => ((await other.http.get('/v1/events').set(key.auth)).status === 401 ? true : null), 10_000, 100);
      await other.http.get('/v1/events').set(key.auth).expect(401);
    } finally {
      await other.close();
    }
  });

  it('removing a person refuses the admin keys descended from them on the next request', async () => {
    const org = await createOrg(t);
    const email = `admin-${randomBytes(4).toString('hex')}@example.test`;
    const invited = await t.http.post('/v1/members').set(org.auth).send({ email, role: 'admin' }).expect(201);
    const accepted = await t.http.post('/v1/invitations/accept').send({ token: invited.body.token, password: 'pw-long-enough-123' }).expect(200);
    const made = await t.http.post('/v1/api-keys').set({ Authorization: `Bearer ${accepted.body.accessToken}` }).send({ name: 'theirs', scopes: ['admin'] }).expect(201);
    const keyAuth = { Authorization: `Bearer ${made.body.key}` };
    await t.http.get('/v1/events').set(keyAuth).expect(200);
    const members = await t.http.get('/v1/members').set(org.auth).expect(200);
    const id = (members.body.data as { id: string; email: string }[]).find((m) => m.email === email)!.id;
    await t.http.delete(`/v1/members/${id}`).set(org.auth).expect(204);
    await t.http.get('/v1/events').set(keyAuth).expect(401);
  });
});

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { stableStringify } from '../../src/ingestion/event-validator.js';
import { bootApp, type TestApp } from '../support/app.js';
import { TEST_ADMIN_URL, alive } from '../support/database.js';
import { TEST_DATABASE_URL } from '../support/env.js';
import { createOrg, type TestOrg } from '../support/factories.js';

/**
 * usage_events is HASH-partitioned on org_id (prisma/migrations/20261201070000_events_storage, docs/scaling.md).
 * What users rely on: each (org, event id) is stored exactly once whatever partition the org lands in, however
 * often and however concurrently it is re-sent; and an install that upgrades keeps every event it had, with
 * re-sends of those events still answered "duplicate".
 */

/** The migration under test: it and every later one are applied to a database holding events of the schema before it. */
const MIGRATION = '20261201070000_events_storage';
const PARTITIONS = 16;

const uid = () => randomBytes(6).toString('hex');
const shuffle = <T>(xs: T[]): T[] => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
};

async function withDb<T>(url: string, fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

/** The partition holding each of an org's events (one name per org when partitioning works). */
async function partitionsOf(db: pg.Client, orgId: string): Promise<string[]> {
  return (await db.query<{ p: string }>(`SELECT DISTINCT tableoid::regclass::text AS p FROM usage_events WHERE org_id = $1`, [orgId])).rows.map((r) => r.p);
}

describe('usage_events is hash-partitioned on org_id', () => {
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

  it(`is partitioned by HASH (org_id) into ${PARTITIONS} partitions, one per remainder, under the primary key (org_id, event_id)`, async () => {
    const key = await db.query<{ def: string }>(`SELECT pg_get_partkeydef('usage_events'::regclass) AS def`);
    expect(key.rows[0].def).toBe('HASH (org_id)');
    const bounds = await db.query<{ bound: string }>(
      `SELECT pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'usage_events'::regclass ORDER BY 1`,
    );
    expect(bounds.rows.map((r) => r.bound).sort()).toEqual(
      Array.from({ length: PARTITIONS }, (_, r) => `FOR VALUES WITH (modulus ${PARTITIONS}, remainder ${r})`).sort(),
    );
    const pk = await db.query<{ def: string }>(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'usage_events'::regclass AND contype = 'p'`);
    expect(pk.rows.map((r) => r.def)).toEqual(['PRIMARY KEY (org_id, event_id)']);
  });

  it('stores each (org, event id) once across partitions: the same ids in orgs of different partitions, re-sent three times, shuffled and in parallel', async () => {
    // Orgs until two partitions are represented: the ids are random, so which partition an org lands in is too.
    const orgs: { org: TestOrg; partition: string }[] = [];
    while (new Set(orgs.map((o) => o.partition)).size < 2 || orgs.length < 3) {
      const org = await createOrg(t, 'Partitions');
      const probe = { id: `probe-${uid()}`, timestamp: new Date().toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'probe', usage: { inputTokens: 1, outputTokens: 1 } };
      await t.http.post('/v1/events').set(org.keyAuth).send({ events: [probe] }).expect(200);
      orgs.push({ org, partition: (await partitionsOf(db, org.orgId))[0] });
      if (orgs.length > 12) throw new Error(`12 orgs all landed in ${orgs[0].partition}`);
    }
    const base = Date.now() - 3 * 3_600_000;
    // The same 300 ids in every org (another org's event with the same id is another event).
    const events = Array.from({ length: 300 }, (_, i) => ({
      id: `shared-${i}`,
      timestamp: new Date(base + i * 1_000).toISOString(),
      provider: 'openai',
      model: 'gpt-4o',
      workload: `w-${i % 5}`,
      usage: { inputTokens: 1_000 + i, outputTokens: 100 },
    }));
    const inBatches = (xs: object[]) => Array.from({ length: Math.ceil(xs.length / 50) }, (_, i) => xs.slice(i * 50, i * 50 + 50));
    const posts = shuffle(orgs.flatMap(({ org }) => [0, 1, 2].flatMap(() => inBatches(shuffle(events)).map((batch) => ({ org, batch })))));
    const answers = await Promise.all(posts.map(async ({ org, batch }) => ({ org, res: await t.http.post('/v1/events').set(org.keyAuth).send({ events: batch }) })));
    expect(answers.filter((a) => a.res.status !== 200).map((a) => `${a.res.status} ${JSON.stringify(a.res.body).slice(0, 200)}`)).toEqual([]);

    for (const { org, partition } of orgs) {
      // Over the three deliveries: each id accepted once and a duplicate twice, nothing else.
      const counts: Record<string, number> = {};
      for (const a of answers.filter((x) => x.org === org)) for (const r of a.res.body.results as { status: string }[]) counts[r.status] = (counts[r.status] ?? 0) + 1;
      expect(counts).toEqual({ accepted: 300, duplicate: 600 });
      const stored = await db.query<{ n: number; ids: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS ids FROM usage_events WHERE org_id = $1 AND event_id LIKE 'shared-%'`,
        [org.orgId],
      );
      expect(stored.rows[0]).toEqual({ n: 300, ids: 300 });
      expect(await partitionsOf(db, org.orgId)).toEqual([partition]);
    }
  });

  it('refuses a second row for an (org, event id) at the database, whichever way it is written', async () => {
    const org = await createOrg(t, 'Unique');
    const row = `($1, 'once', now(), 1, 1, 0, 0, 0, 1, false, 'openai', 'gpt-4o', 'gpt-4o', 'w', 'production', 'ok', 'canonical', '\\x00112233445566778899aabbccddeeff')`;
    const cols = `(org_id, event_id, ts, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, requests, unpriced, provider, model, model_id, workload, environment, status, usage_format, content_hash)`;
    await db.query(`INSERT INTO usage_events ${cols} VALUES ${row}`, [org.orgId]);
    await expect(db.query(`INSERT INTO usage_events ${cols} VALUES ${row}`, [org.orgId])).rejects.toMatchObject({ code: '23505' });
    const again = await db.query(`INSERT INTO usage_events ${cols} VALUES ${row} ON CONFLICT (org_id, event_id) DO NOTHING`, [org.orgId]);
    expect(again.rowCount).toBe(0);
    // Named directly, the org's partition enforces the same key; another partition refuses the org altogether.
    const [own] = await partitionsOf(db, org.orgId);
    await expect(db.query(`INSERT INTO ${own} ${cols} VALUES ${row}`, [org.orgId])).rejects.toMatchObject({ code: '23505' });
    const other = own === 'usage_events_p00' ? 'usage_events_p01' : 'usage_events_p00';
    await expect(db.query(`INSERT INTO ${other} ${cols} VALUES ${row}`, [org.orgId])).rejects.toMatchObject({ code: '23514' });
  });
});

/** The full SHA-256 the release before MIGRATION stored for an event as sent. */
const oldHash = (event: object) => createHash('sha256').update(stableStringify(event)).digest();

/** Owner, grants, row-level security and policies of a relation, in a form two relations can be compared by. */
async function security(db: pg.Client, rel: string) {
  const res = await db.query(
    `SELECT pg_get_userbyid(c.relowner) AS owner, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
            (SELECT array_agg(format('%s %s%s', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END, a.privilege_type,
                                     CASE WHEN a.is_grantable THEN ' with grant' ELSE '' END) ORDER BY 1)
               FROM aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a) AS grants,
            (SELECT array_agg(format('%s %s %s to %s using %s check %s', p.polname, CASE WHEN p.polpermissive THEN 'permissive' ELSE 'restrictive' END, p.polcmd,
                                     p.polroles::regrole[]::text, pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)) ORDER BY 1)
               FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
       FROM pg_class c WHERE c.oid = $1::regclass`,
    [rel],
  );
  return res.rows[0];
}

/** Columns later migrations add to usage_events (NULL on rows stored before them): not part of this migration's comparison. */
const LATER_COLUMNS = ['customer', 'end_user'];

/** Every usage_events column but content_hash, as one canonical text per row (jsonb orders keys whatever the column order). */
async function rowsOf(db: pg.Client) {
  const res = await db.query<{ org_id: string; event_id: string; doc: string; hash: string }>(
    `SELECT org_id, event_id, (to_jsonb(e) - 'content_hash' - $1::text[])::text AS doc, encode(content_hash, 'hex') AS hash FROM usage_events e ORDER BY org_id, event_id`,
    [LATER_COLUMNS],
  );
  return res.rows;
}

describe(`migrating a database that holds events (${MIGRATION})`, () => {
  const name = `crossover_suite_${process.pid}_${randomBytes(3).toString('hex')}`;
  const url = (() => {
    const u = new URL(TEST_DATABASE_URL);
    u.pathname = `/${name}`;
    return u.toString();
  })();
  const dir = path.resolve('prisma/migrations');
  const migrations = readdirSync(dir)
    .filter((m) => existsSync(path.join(dir, m, 'migration.sql')))
    .sort();
  const apply = (db: pg.Client, which: string[]) => which.reduce((p, m) => p.then(() => db.query(readFileSync(path.join(dir, m, 'migration.sql'), 'utf8'))), Promise.resolve() as Promise<unknown>);

  let app: TestApp | undefined;
  let org: TestOrg;
  /** An event the release before stored: as sent, and as stored (its full 32-byte hash). */
  const kept = { id: `kept-${uid()}`, timestamp: new Date(Date.now() - 2 * 3_600_000).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'before', usage: { inputTokens: 1200, outputTokens: 300 } };
  let before: { rows: Awaited<ReturnType<typeof rowsOf>>; security: Awaited<ReturnType<typeof security>> };

  beforeAll(async () => {
    expect(migrations).toContain(MIGRATION);
    await withDb(TEST_ADMIN_URL, async (admin) => {
      // Left by runs that died (same naming and clean-up as test/support/database.ts).
      for (const { datname } of (await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'crossover_suite_%'`)).rows) {
        const pid = Number(datname.slice('crossover_suite_'.length).split('_')[0]);
        if (!Number.isInteger(pid) || !alive(pid)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
      await admin.query(`CREATE DATABASE "${name}"`);
    });
    await withDb(url, (db) => apply(db, migrations.filter((m) => m < MIGRATION)));

    // The release before: an org signed up through the app (those tables are untouched by the migration), then
    // its events and other orgs' written as that release stored them.
    app = await bootApp({ DATABASE_URL: url });
    org = await createOrg(app, 'Upgraded');
    await app.close();
    app = undefined;
    await withDb(url, async (db) => {
      await db.query(
        `INSERT INTO usage_events (org_id, event_id, ts, provider, model, model_id, workload, project, environment, requests, input_tokens, output_tokens,
                                   cached_input_tokens, cache_write_tokens, reasoning_tokens, latency_ms, status, tags, client_cost_usd, cost_usd, unpriced,
                                   price_version_id, usage_format, content_hash)
         VALUES ($1, $2, $3, 'openai', 'gpt-4o', 'gpt-4o', 'before', NULL, 'production', 1, 1200, 300, 0, 0, 0, NULL, 'ok', '{}', NULL, 0.006, false, NULL, 'canonical', $4)`,
        [org.orgId, kept.id, kept.timestamp, oldHash(kept)],
      );
      // 2,000 more over 20 orgs (so over several partitions), every column filled one way or another, NULLs included.
      await db.query(
        `INSERT INTO usage_events (org_id, event_id, ts, received_at, provider, model, model_id, workload, project, environment, requests, input_tokens, output_tokens,
                                   cached_input_tokens, cache_write_tokens, reasoning_tokens, latency_ms, status, tags, client_cost_usd, cost_usd, unpriced,
                                   price_version_id, usage_format, content_hash, service_tier, cache_write_1h_tokens, audio_input_tokens, image_input_tokens,
                                   video_input_tokens, cached_audio_input_tokens, audio_output_tokens, provider_cost_source)
         SELECT o.id, 'e-' || i, now() - i * interval '7 minutes', now() - i * interval '7 minutes' + interval '2 seconds', 'anthropic', 'claude-sonnet-4-5', 'claude-sonnet-4.5',
                'w-' || (i % 7), CASE WHEN i % 3 = 0 THEN NULL ELSE 'p-' || (i % 4) END, 'production', 1 + i % 3, 1000 + i, 200 + i, i % 50, i % 30, 0,
                CASE WHEN i % 5 = 0 THEN NULL ELSE 300 + i END, CASE WHEN i % 40 = 0 THEN 'error' ELSE 'ok' END,
                CASE WHEN i % 2 = 0 THEN '{}'::jsonb ELSE jsonb_build_object('team', 't' || (i % 3)) END,
                CASE WHEN i % 4 = 0 THEN 0.0012345 + i / 1e9 END, CASE WHEN i % 11 = 0 THEN NULL ELSE 0.00321 + i / 1e10 END, i % 11 = 0,
                CASE WHEN i % 11 = 0 THEN NULL ELSE gen_random_uuid()::text END, 'anthropic', sha256(('e-' || i || o.id)::bytea),
                CASE WHEN i % 9 = 0 THEN 'batch' ELSE 'default' END, CASE WHEN i % 6 = 0 THEN 10 END, CASE WHEN i % 8 = 0 THEN 20 END, NULL, NULL, NULL,
                CASE WHEN i % 10 = 0 THEN 5 END, CASE WHEN i % 4 = 0 THEN 'caller' END
           FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, 20)) o, generate_series(1, 100) i`,
      );
      before = { rows: await rowsOf(db), security: await security(db, 'usage_events') };
      await apply(db, migrations.filter((m) => m >= MIGRATION));
    });
    app = await bootApp({ DATABASE_URL: url });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await withDb(TEST_ADMIN_URL, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  });

  it('keeps every row, column for column, each hash cut to its first 16 bytes, and each org in one partition', async () => {
    await withDb(url, async (db) => {
      const after = await rowsOf(db);
      expect(before.rows).toHaveLength(2_001);
      expect(after.map(({ hash, ...r }) => r)).toEqual(before.rows.map(({ hash, ...r }) => r));
      expect(after.map((r) => r.hash)).toEqual(before.rows.map((r) => r.hash.slice(0, 32)));
      const spread = await db.query<{ orgs: number; partitions: number; split: number }>(
        `SELECT count(*)::int AS orgs, count(DISTINCT p)::int AS partitions, count(*) FILTER (WHERE n > 1)::int AS split
           FROM (SELECT org_id, min(tableoid::regclass::text) AS p, count(DISTINCT tableoid) AS n FROM usage_events GROUP BY org_id) x`,
      );
      expect(spread.rows[0].orgs).toBe(21);
      expect(spread.rows[0].split).toBe(0);
      expect(spread.rows[0].partitions).toBeGreaterThan(1);
    });
  });

  it('gives the table and each partition the old table\'s owner, grants, row-level security and policies', async () => {
    expect(before.security.rls).toBe(true);
    expect(before.security.policies).toHaveLength(1);
    await withDb(url, async (db) => {
      const parts = (await db.query<{ p: string }>(`SELECT inhrelid::regclass::text AS p FROM pg_inherits WHERE inhparent = 'usage_events'::regclass ORDER BY 1`)).rows.map((r) => r.p);
      expect(parts).toHaveLength(PARTITIONS);
      for (const rel of ['usage_events', ...parts]) expect([rel, await security(db, rel)]).toEqual([rel, before.security]);
    });
  });

  it('hashes the same canonical text as the release before, so stored prefixes still match re-sent events', () => {
    // Pinned with the previous release's stableStringify (commit ce117eb): the duplicate test below computes the
    // old hash with today's function, which would agree with itself even if the canonical text had changed.
    const vector = { workload: 'w', id: 'vector-1', timestamp: '2026-06-01T12:00:00Z', provider: 'openai', model: 'gpt-4o', usage: { outputTokens: 2, inputTokens: 1 }, tags: { b: '1', a: 'é' }, extra: [1, null, 'x'] };
    expect(oldHash(vector).toString('hex')).toBe('ae48bfc3adeea84fe35b816510a4d66699bdfe56bd2d0ea7b2f7fd6cf3f393ba');
  });

  it('answers a re-sent event stored before the migration "duplicate", the same id changed "conflict", and stores new events with the 16-byte prefix of the same SHA-256', async () => {
    const again = await app!.http.post('/v1/events').set(org.keyAuth).send({ events: [kept, { ...kept, usage: { inputTokens: 1, outputTokens: 1 } }] }).expect(200);
    expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'conflict']);
    const fresh = { id: `fresh-${uid()}`, timestamp: new Date().toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'after', usage: { inputTokens: 10, outputTokens: 5 }, tags: { team: 'x' } };
    const res = await app!.http.post('/v1/events').set(org.keyAuth).send({ events: [fresh] }).expect(200);
    expect(res.body.results[0].status).toBe('accepted');
    await withDb(url, async (db) => {
      const stored = await db.query<{ hash: Buffer }>(`SELECT content_hash AS hash FROM usage_events WHERE org_id = $1 AND event_id = $2`, [org.orgId, fresh.id]);
      expect(stored.rows[0].hash.toString('hex')).toBe(oldHash(fresh).subarray(0, 16).toString('hex'));
      // The event from before is read back whole.
      const got = await app!.http.get(`/v1/events/${kept.id}`).set(org.keyAuth).expect(200);
      expect(got.body.usage).toMatchObject({ inputTokens: 1200, outputTokens: 300 });
    });
  });
});

import pg from 'pg';
import { TEST_DATABASE_URL } from '../support/env.js';

/**
 * The schema stays ready to be distributed by org_id (Citus: docs/scaling.md), read from the catalog of the migrated
 * test database so that a new table or index is checked the day it is added:
 * - every primary key and unique index of a tenant table (one with an org_id column) leads with org_id: a distributed
 *   table can only enforce uniqueness that includes its distribution column, and a key that leads with it is also
 *   the one index a single-org query can use;
 * - every foreign key between two tenant tables maps org_id to org_id, so both rows live on the same shard;
 * - no global table (the catalog, users: reference tables under Citus) references a tenant table, which a
 *   reference table cannot do.
 * Partitions are checked through their parent (they inherit its keys); organizations, the tenant itself, is keyed
 * by id and distributed on it.
 */

/** Offenders accepted on purpose, each with why it is fine today and what it becomes under Citus. */
const ALLOWED: Record<string, string> = {
  // Authentication finds a key, and so its org, from the SHA-256 of the presented key before any org is known
  // (crossover_find_api_key): uniqueness across orgs keeps that one index probe, and keys carry >= 128 random bits.
  // Under Citus the hash moves to a lookup table (token_hash -> org_id, id) and the key row keeps (org_id, id).
  'unique api_keys.api_keys_token_hash_key': 'global lookup of an API key by its hash, before the org is known',
  // Accepting an invitation presents only its one-time token; the same reasoning and the same lookup table apply.
  'unique invitations.invitations_token_hash_key': 'global lookup of an invitation by its token hash, before the org is known',
};

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
});
afterAll(async () => db.end());

/** Tables of public with an org_id column, partitions left out (their parent is checked). */
const TENANT = `
  SELECT c.oid, c.relname, a.attnum AS org_att
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped
   WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition`;

describe('distribution-ready schema (every tenant key leads with org_id)', () => {
  it('finds the tenant tables, usage_events among them', async () => {
    const tables = (await db.query<{ relname: string }>(`${TENANT} ORDER BY 2`)).rows.map((r) => r.relname);
    // A catalog query that found nothing would pass every check below.
    expect(tables.length).toBeGreaterThanOrEqual(20);
    expect(tables).toEqual(expect.arrayContaining(['usage_events', 'usage_rollups_hourly', 'api_keys', 'workloads']));
    expect(tables.filter((t) => /_p\d\d$/.test(t))).toEqual([]);
  });

  it('every primary key and unique index of a tenant table leads with org_id, but the listed exceptions', async () => {
    const rows = await db.query<{ relname: string; name: string; def: string }>(
      `SELECT t.relname, i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
         FROM (${TENANT}) t JOIN pg_index i ON i.indrelid = t.oid
        WHERE i.indisunique AND i.indkey[0] <> t.org_att
        ORDER BY 1, 2`,
    );
    const offenders = rows.rows.map((r) => `unique ${r.relname}.${r.name}`);
    // Exact: a new offender fails, and so does an exception that no longer exists (the list must shrink with it).
    expect(offenders).toEqual(Object.keys(ALLOWED).filter((k) => k.startsWith('unique ')).sort());
  });

  it('every tenant table has a primary key', async () => {
    const rows = await db.query<{ relname: string }>(
      `SELECT t.relname FROM (${TENANT}) t WHERE NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = t.oid AND i.indisprimary) ORDER BY 1`,
    );
    expect(rows.rows.map((r) => r.relname)).toEqual([]);
  });

  it('every foreign key from a tenant table to another maps org_id to org_id', async () => {
    const rows = await db.query<{ relname: string; name: string; def: string }>(
      `SELECT t.relname, con.conname AS name, pg_get_constraintdef(con.oid) AS def
         FROM (${TENANT}) t
         JOIN pg_constraint con ON con.conrelid = t.oid AND con.contype = 'f'
         JOIN (${TENANT}) r ON r.oid = con.confrelid
        WHERE NOT EXISTS (SELECT 1 FROM unnest(con.conkey, con.confkey) k(a, b) WHERE k.a = t.org_att AND k.b = r.org_att)
        ORDER BY 1, 2`,
    );
    expect(rows.rows.map((r) => `fk ${r.relname}.${r.name}: ${r.def}`)).toEqual([]);
  });

  it('foreign keys to organizations go from org_id to its id; no global table references a tenant table', async () => {
    const toOrgs = await db.query<{ relname: string; name: string; def: string }>(
      `SELECT t.relname, con.conname AS name, pg_get_constraintdef(con.oid) AS def
         FROM (${TENANT}) t JOIN pg_constraint con ON con.conrelid = t.oid AND con.contype = 'f'
        WHERE con.confrelid = 'organizations'::regclass AND con.conkey <> ARRAY[t.org_att]
        ORDER BY 1, 2`,
    );
    expect(toOrgs.rows.map((r) => `fk ${r.relname}.${r.name}: ${r.def}`)).toEqual([]);
    const fromGlobal = await db.query<{ relname: string; name: string }>(
      `SELECT c.relname, con.conname AS name
         FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE con.contype = 'f' AND n.nspname = 'public' AND c.relname <> 'organizations'
          AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped)
          AND con.confrelid IN (SELECT oid FROM (${TENANT}) t UNION SELECT 'organizations'::regclass)
        ORDER BY 1, 2`,
    );
    expect(fromGlobal.rows.map((r) => `fk ${r.relname}.${r.name}`)).toEqual([]);
  });
});

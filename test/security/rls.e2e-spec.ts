import pg from 'pg';
import { bootApp, type TestApp } from '../support/app.js';
import { TEST_DATABASE_URL } from '../support/env.js';
import { createKey, createOrg } from '../support/factories.js';
import { seedResources } from '../support/fuzz.js';
import { waitFor } from '../support/wait.js';

let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t.close());

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = [], options?: string): Promise<T[]> {
  const db = new pg.Client({ connectionString: TEST_DATABASE_URL, ...(options ? { options } : {}) });
  await db.connect();
  try {
    return (await db.query<T>(sql, params)).rows;
  } finally {
    await db.end();
  }
}

describe('row-level security hardening', () => {
  it('every table with row-level security forces it (the owner is filtered too)', async () => {
    const rows = await query<{ relname: string; forced: boolean }>(
      `SELECT c.relname, c.relforcerowsecurity AS forced FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relrowsecurity ORDER BY 1`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(12);
    expect(rows.filter((r) => !r.forced).map((r) => r.relname)).toEqual([]);
  });

  it('every SECURITY DEFINER function pins search_path with pg_temp last and runs as crossover_definer (BYPASSRLS, no login)', async () => {
    const fns = await query<{ name: string; config: string[] | null; owner: string }>(
      `SELECT p.proname AS name, p.proconfig AS config, r.rolname AS owner FROM pg_proc p
         JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_roles r ON r.oid = p.proowner
        WHERE n.nspname = 'public' AND p.prosecdef ORDER BY 1`,
    );
    expect(fns.map((f) => f.name)).toEqual(expect.arrayContaining(['crossover_find_api_key', 'crossover_find_user_by_email', 'crossover_user_memberships']));
    for (const f of fns) expect([f.name, f.config, f.owner]).toEqual([f.name, ['search_path=public, pg_temp'], 'crossover_definer']);
    const [role] = await query<{ rolbypassrls: boolean; rolcanlogin: boolean }>(`SELECT rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = 'crossover_definer'`);
    expect(role).toEqual({ rolbypassrls: true, rolcanlogin: false });
  });

  it('the app role without a tenant sees no org, and authentication (a definer function) still works', async () => {
    const org = await createOrg(t);
    expect(await query(`SELECT id FROM organizations`, [], '-c role=crossover_app')).toEqual([]);
    await t.http.get('/v1/members').set(org.keyAuth).expect(200);
    await t.http.post('/v1/login').send({ email: org.email, password: org.password }).expect(200);
  });

  it('every tenant table (every table with an org_id column, listed at test time) has row-level security enabled, forced, and a policy keyed on the current org', async () => {
    // organizations is the tenant itself, keyed by id rather than org_id.
    const tables = [...(await tenantTables()), 'organizations'];
    expect(tables.length).toBeGreaterThanOrEqual(15);
    const state = await query<{ relname: string; enabled: boolean; forced: boolean }>(
      `SELECT c.relname, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname = ANY($1)`,
      [tables],
    );
    expect(state.filter((r) => !r.enabled || !r.forced).map((r) => `${r.relname}: enabled=${r.enabled} forced=${r.forced}`)).toEqual([]);
    // A policy must filter reads (USING) and writes (WITH CHECK) by crossover_current_org(): RLS enabled with a permissive `true` policy would pass the check above.
    const policies = await query<{ tablename: string; cmd: string; qual: string | null; with_check: string | null; permissive: string }>(
      `SELECT tablename, cmd, qual, with_check, permissive FROM pg_policies WHERE schemaname = 'public' AND tablename = ANY($1)`,
      [tables],
    );
    const scoped = (e: string | null) => !!e && e.includes('crossover_current_org()');
    const problems = tables.flatMap((table) => {
      const mine = policies.filter((p) => p.tablename === table);
      const out: string[] = [];
      if (!mine.some((p) => ['ALL', 'SELECT'].includes(p.cmd) && scoped(p.qual))) out.push(`${table}: no policy filters reads by the current org`);
      if (!mine.some((p) => p.cmd === 'ALL' && (scoped(p.with_check) || (p.with_check === null && scoped(p.qual))))) out.push(`${table}: no policy checks writes against the current org`);
      for (const p of mine) if (p.permissive === 'PERMISSIVE' && ((p.qual !== null && !scoped(p.qual)) || (p.with_check !== null && !scoped(p.with_check)))) out.push(`${table}: permissive ${p.cmd} policy not keyed on the current org (${p.qual} / ${p.with_check})`);
      return out;
    });
    expect(problems).toEqual([]);
  });

  it('as the app role, org B sees none of org A\'s rows in any tenant table, no tenant set sees nothing, and org A sees its own', async () => {
    const a = await createOrg(t, 'RLS A');
    const b = await createOrg(t, 'RLS B');
    for (const org of [a, b]) {
      // A budget any spend crosses, before the events, so the rollup's budget check files an alert.
      await t.http.post('/v1/budgets').set(org.auth).send({ name: 'Tiny', scope: {}, monthlyLimitUsd: '0.000001', thresholds: [1] }).expect(201);
      await seedResources(t, org);
      await t.http.post('/v1/events').set(org.keyAuth).send({ id: 'now', timestamp: new Date().toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'now', usage: { inputTokens: 1000, outputTokens: 100 } }).expect(200);
      await createKey(t, org, ['ingest'], { projectSlug: 'rls-project' });
      await t.http.put('/v1/settings/retention').set(org.auth).send({ days: 3650 }).expect(200);
    }
    // Rollups and alerts are written by the worker after ingest: wait for them so those tables hold A's rows too.
    await waitFor(async () => (await t.http.get('/v1/alerts').set(a.auth).expect(200)).body.data.length > 0, 30_000);
    await waitFor(async () => (await query<{ n: number }>(`SELECT count(*)::int AS n FROM usage_rollups_daily WHERE org_id = $1`, [a.orgId]))[0].n > 0, 30_000);

    const tables = await tenantTables();
    // As the owner (postgres bypasses RLS): how many rows A has in each table.
    const owned: Record<string, number> = {};
    for (const table of tables) owned[table] = (await query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE org_id = $1`, [a.orgId]))[0].n;

    const leaks: string[] = [];
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL, options: '-c role=crossover_app' });
    await db.connect();
    try {
      const count = async (table: string, org: string | null) => {
        await db.query(`SELECT set_config('app.org_id', $1, false)`, [org ?? '']);
        return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE org_id = $1`, [a.orgId])).rows[0].n;
      };
      for (const table of tables) {
        const asB = await count(table, b.orgId);
        const asNobody = await count(table, null);
        const asA = await count(table, a.orgId);
        if (asB !== 0) leaks.push(`${table}: org B sees ${asB} of org A's rows`);
        if (asNobody !== 0) leaks.push(`${table}: no tenant set sees ${asNobody} of org A's rows`);
        if (asA !== owned[table]) leaks.push(`${table}: org A sees ${asA} of its ${owned[table]} rows`);
      }
      // Writes: org B cannot file a row under org A (WITH CHECK), tried on a table every org has rows in.
      await db.query(`SELECT set_config('app.org_id', $1, false)`, [b.orgId]);
      await expect(db.query(`UPDATE workloads SET org_id = $1 WHERE org_id = $2`, [a.orgId, b.orgId])).rejects.toThrow(/row-level security/);
    } finally {
      await db.end();
    }
    expect(leaks).toEqual([]);
    // The check above is only as good as the rows behind it: A must own rows in the tables its seeded resources live in.
    const seededTables = ['memberships', 'api_keys', 'projects', 'workloads', 'usage_events', 'usage_rollups_hourly', 'usage_rollups_daily', 'usage_rollups_monthly', 'price_overrides', 'reprice_runs', 'budgets', 'alerts', 'webhooks', 'webhook_deliveries', 'digests', 'snapshots', 'invitations', 'evaluations', 'org_settings'];
    expect(seededTables.filter((x) => tables.includes(x) && !owned[x]).map((x) => `${x}: org A has no rows`)).toEqual([]);
  }, 90_000);
});

/** Every table in public with an org_id column (organizations, keyed by id, is checked by the first test). */
async function tenantTables(): Promise<string[]> {
  const rows = await query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND c.column_name = 'org_id' AND t.table_type = 'BASE TABLE' ORDER BY 1`,
  );
  return rows.map((r) => r.table_name);
}

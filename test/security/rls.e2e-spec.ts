import pg from 'pg';
import { bootApp, type TestApp } from '../support/app.js';
import { TEST_DATABASE_URL } from '../support/env.js';
import { createOrg } from '../support/factories.js';

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
});

import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { TEST_DATABASE_URL } from './env.js';

/** The maintenance database the test runs create and drop their databases through. */
export const TEST_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const PREFIX = 'crossover_suite_';

/** True while the process `pid` runs: a database named after a dead run's pid is left over and may go. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface SuiteDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of the suite's own, built from the committed migrations (run as plain SQL: under a second,
 * where `prisma migrate deploy` takes ~12 s). For suites whose jobs span every org of their database
 * (sweeps, nightly fan-outs): on the run's shared database they would meet every other suite's orgs, and
 * their outcome or duration would depend on what else ran. Databases left by runs that died are dropped.
 */
export async function createSuiteDatabase(): Promise<SuiteDatabase> {
  const name = `${PREFIX}${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_ADMIN_URL });
  await admin.connect();
  try {
    for (const { datname } of (await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}%'`)).rows) {
      const pid = Number(datname.slice(PREFIX.length).split('_')[0]);
      if (!Number.isInteger(pid) || !alive(pid)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const dir = path.resolve('prisma/migrations');
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    for (const m of readdirSync(dir).sort()) {
      const file = path.join(dir, m, 'migration.sql');
      if (existsSync(file)) await db.query(readFileSync(file, 'utf8'));
    }
  } finally {
    await db.end();
  }
  return {
    url: url.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: TEST_ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => a.end());
    },
  };
}

import { spawnSync } from 'node:child_process';
import pg from 'pg';

/** Where the tests' own database lives: never the default `crossover` database. */
const TEST_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const TEST_DB_NAME = process.env.TEST_DATABASE_NAME ?? 'crossover_test';
const TEST_DATABASE_URL = TEST_ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${TEST_DB_NAME}$1`);

/**
 * Recreates the test database from the committed migrations on every run,
 * so a crashed or interrupted run can never leave state that breaks the next.
 */
export default async function globalSetup(): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${TEST_DB_NAME}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEST_DB_NAME}"`);
  } finally {
    await admin.end();
  }
  const res = spawnSync(process.execPath, ['node_modules/prisma/build/index.js', 'migrate', 'deploy'], {
    env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL },
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`migrating the test database failed:\n${res.stdout}\n${res.stderr}`);
  // Inherited by the test workers, which jest starts after this returns.
  process.env.CROSSOVER_TEST_DATABASE_URL = TEST_DATABASE_URL;
  process.env.CROSSOVER_TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

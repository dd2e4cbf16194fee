import { spawnSync } from 'node:child_process';
import pg from 'pg';

/**
 * Creates this run's own database (crossover_test_<pid>, never the default
 * `crossover`) from the committed migrations, so concurrent runs cannot
 * disturb each other; global-teardown drops it. Databases left by runs that
 * died (their pid is gone) are dropped here, so nothing accumulates.
 */
const TEST_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const PREFIX = 'crossover_test_';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function globalSetup(): Promise<void> {
  const name = `${PREFIX}${process.pid}`;
  const url = new URL(TEST_ADMIN_URL);
  url.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: TEST_ADMIN_URL });
  await admin.connect();
  try {
    const stale = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}%'`);
    for (const { datname } of stale.rows) {
      const pid = Number(datname.slice(PREFIX.length));
      if (datname === name || !Number.isInteger(pid) || !alive(pid)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const res = spawnSync(process.execPath, ['node_modules/prisma/build/index.js', 'migrate', 'deploy'], {
    env: { ...process.env, DATABASE_URL: url.toString() },
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`migrating the test database failed:\n${res.stdout}\n${res.stderr}`);
  // Inherited by the test workers, which jest starts after this returns.
  process.env.CROSSOVER_TEST_DATABASE_NAME = name;
  process.env.CROSSOVER_TEST_RUN_ID = String(process.pid);
  process.env.CROSSOVER_TEST_DATABASE_URL = url.toString();
  process.env.CROSSOVER_TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';

/** Creates the database named in `url` when it does not exist yet (first run on a new machine). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!found.rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** Applies committed migrations with the project's own Prisma CLI (offline: WebAssembly engine). */
export function migrateDeploy(databaseUrl: string): void {
  const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const res = spawnSync(process.execPath, [cli, 'migrate', 'deploy'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DATABASE_URL: databaseUrl } });
  if (res.status !== 0) {
    process.stderr.write(res.stdout);
    throw new Error(`prisma migrate deploy failed (exit ${res.status})`);
  }
}

// Shared plumbing for bench/reports.mjs and bench/freshness.mjs: the machine,
// the bench database, the app process (node dist/main.js), sign-up, HTTP,
// percentiles and printing. Plain ESM, no compile step.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PG_HOST = process.env.PGHOST_BENCH ?? '127.0.0.1';
export const PG_PORT = Number(process.env.PGPORT_BENCH ?? 5432);
export const PG_USER = process.env.PGUSER_BENCH ?? 'postgres';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export const now = () => performance.now();

/** Integer from the environment (accepts 10_000_000, 1e7, 300000). */
export function envInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(String(raw).replace(/_/g, ''));
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got ${JSON.stringify(raw)})`);
  return Math.round(n);
}
export const envFlag = (name) => /^(1|true|yes|on)$/i.test(process.env[name] ?? '');

export function dbUrl(database) {
  return `postgresql://${PG_USER}@${PG_HOST}:${PG_PORT}/${database}`;
}

// ---------- printing ----------
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const fmtInt = (n) => int.format(n);
export const fmtMs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
export const fmtRate = (n) => (n >= 100 ? fmtInt(n) : n.toFixed(1));
export function log(msg) {
  process.stdout.write(`${msg}\n`);
}
export function line(label, value, goal) {
  log(`  ${label.padEnd(38)} ${String(value).padEnd(24)}${goal ? ` ${goal}` : ''}`);
}

/** Nearest-rank percentile of numbers (sorted copy). */
export function percentile(values, p) {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
}

/** Named phases with their elapsed wall time. */
export class Phases {
  constructor() {
    this.list = [];
  }
  async run(name, fn) {
    const t0 = now();
    log(`\n▶ ${name}`);
    try {
      return await fn();
    } finally {
      const ms = now() - t0;
      this.list.push({ name, ms });
      log(`  (${name}: ${fmtMs(ms)})`);
    }
  }
  print() {
    log('\nElapsed per phase');
    for (const p of this.list) line(p.name, fmtMs(p.ms));
    line('total', fmtMs(this.list.reduce((a, p) => a + p.ms, 0)));
  }
  toJSON() {
    return Object.fromEntries(this.list.map((p) => [p.name, Math.round(p.ms)]));
  }
}

// ---------- machine ----------
export async function machineInfo(database) {
  const cpus = os.cpus();
  const info = {
    cores: cpus.length,
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    postgres: null,
    pgSettings: {},
  };
  const c = new pg.Client({ connectionString: dbUrl(database) });
  try {
    await c.connect();
    info.postgres = (await c.query('SHOW server_version')).rows[0].server_version;
    const s = await c.query(
      `SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers','work_mem','max_wal_size','synchronous_commit','max_parallel_workers_per_gather','autovacuum','jit')`,
    );
    for (const r of s.rows) info.pgSettings[r.name] = r.unit === '8kB' ? `${Math.round((Number(r.setting) * 8) / 1024)}MB` : `${r.setting}${r.unit ?? ''}`;
  } catch {
    /* informational only */
  } finally {
    await c.end().catch(() => undefined);
  }
  return info;
}

export function printMachine(m) {
  log('Machine');
  line('cores', `${m.cores} × ${m.cpu}`);
  line('memory', `${m.memoryGiB} GiB`);
  line('node', m.node);
  line('os', m.platform);
  line('postgres', `${m.postgres ?? '?'} (${Object.entries(m.pgSettings).map(([k, v]) => `${k}=${v}`).join(', ')})`);
}

// ---------- database ----------
/** Creates the bench database when missing; returns whether it was created. */
export async function ensureDatabase(database) {
  const admin = new pg.Client({ connectionString: dbUrl('postgres') });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return false;
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
    return true;
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(database) {
  if (!/^crossover_bench_/.test(database)) throw new Error(`refusing to drop ${database}: only crossover_bench_* databases`);
  const admin = new pg.Client({ connectionString: dbUrl('postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Deletes every Redis key under the bench's own prefix (stale BullMQ jobs of an earlier run). */
export async function clearRedisPrefix(prefix) {
  if (!/^crossover-bench-/.test(prefix)) throw new Error(`refusing to clear Redis prefix ${prefix}: only crossover-bench-*`);
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
  return deleted;
}

// ---------- the app ----------
export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** `npm run build` when dist/main.js is missing, or always with BUILD=1. */
export function ensureBuilt() {
  const main = path.join(REPO_ROOT, 'dist', 'main.js');
  if (existsSync(main) && !envFlag('BUILD')) return false;
  log('• npm run build');
  const res = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (res.status !== 0) throw new Error(`npm run build failed (exit ${res.status})`);
  return true;
}

/**
 * Starts `node dist/main.js` (ROLE=all: API + worker in one process), waits
 * for GET /health/ready = 200. Output goes to a log file; returns
 * { baseUrl, pid, logFile, stop() }.
 */
/** @typedef {Awaited<ReturnType<typeof startApp>>} App */

export async function startApp({ database, redisPrefix, name }) {
  const port = process.env.PORT ? Number(process.env.PORT) : await freePort();
  const logFile = path.join(os.tmpdir(), `${name}-app.log`);
  const out = createWriteStream(logFile);
  const env = {
    ...process.env,
    ROLE: 'all',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: dbUrl(database),
    MIGRATE_ON_START: 'true',
    REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    LOG_LEVEL: process.env.APP_LOG_LEVEL ?? 'warn',
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_IP_PER_MINUTE: '100000000',
  };
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  let exited = null;
  const exitPromise = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const t0 = now();
  for (;;) {
    if (exited) throw new Error(`app exited during start (${JSON.stringify(exited)}); see ${logFile}:\n${tail(logFile)}`);
    try {
      const res = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (now() - t0 > 180_000) {
      child.kill('SIGKILL');
      throw new Error(`app not ready after 180 s; see ${logFile}:\n${tail(logFile)}`);
    }
    await sleep(200);
  }
  const stop = async () => {
    if (exited) return exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 35_000);
    const r = await exitPromise;
    clearTimeout(timer);
    out.end();
    return r;
  };
  return { baseUrl, pid: child.pid, logFile, readyMs: now() - t0, stop, isRunning: () => !exited };
}

export function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Counts warning/error lines the app wrote (pino JSON or Nest text). */
export function appLogSummary(file) {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { lines: 0, warnings: 0, errors: 0, samples: [] };
  }
  const all = text.split('\n').filter(Boolean);
  const warn = all.filter((l) => /"level":40|\bWARN\b/i.test(l));
  const err = all.filter((l) => /"level":(50|60)|\bERROR\b/i.test(l));
  const samples = [...new Set([...err, ...warn].map((l) => l.slice(0, 300)))].slice(0, 5);
  return { lines: all.length, warnings: warn.length, errors: err.length, samples };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Stops the app when the user hits Ctrl-C, then exits. */
export function onInterrupt(cleanup) {
  let done = false;
  const handler = async (sig) => {
    if (done) return;
    done = true;
    log(`\n${sig}: stopping`);
    try {
      await cleanup();
    } finally {
      process.exit(130);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/**
 * What a bench owns and must release: its pg client, the app it started, and
 * (unless KEEP=1) its database and Redis keys. Set `.app` and `.db` as they
 * are created; `cleanup()` is safe to call twice (normal end and Ctrl-C).
 */
export function benchResources({ database, redisPrefix, keep }) {
  /**
   * `app` and `db` are typed as set: a bench sets them before its first use, and only `cleanup` sees them unset.
   * @type {{ app: App, db: import('pg').Client, cleanup: (opts?: { interrupted?: boolean }) => Promise<void> }}
   */
  const res = {
    app: /** @type {any} */ (null),
    db: /** @type {any} */ (null),
    async cleanup({ interrupted = false } = {}) {
      if (res.db) await res.db.end().catch(() => undefined);
      res.db = /** @type {any} */ (null);
      if (res.app) await res.app.stop().catch(() => undefined);
      res.app = /** @type {any} */ (null);
      if (!keep) {
        await dropDatabase(database).catch((e) => log(`  could not drop ${database}: ${e.message}`));
        await clearRedisPrefix(redisPrefix).catch(() => undefined);
        if (!interrupted) log(`  dropped database ${database} and Redis keys ${redisPrefix}:* (KEEP=1 keeps them)`);
      } else if (!interrupted) {
        log(`  kept database ${database} (KEEP=1)`);
      }
    },
  };
  return res;
}

// @ts-check
// Starting (and stopping) the built server when no BENCH_URL is given.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

/** Creates the bench database when missing, through the `postgres` maintenance database. */
export async function ensureDatabase(databaseUrl) {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } finally {
    await client.end();
  }
}

/** A port nobody listens on right now (the OS picks it; tiny race, acceptable for a bench). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/** Direct children of `pid` (a cluster primary's forks), from /proc; empty where that is unavailable. */
export function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Spawns `node dist/main.js`: by default all roles (API and workers, as one process does in the default
 * deployment); `role: 'api'` with `apiWorkers` > 1 runs a node:cluster primary and that many API processes on
 * the port; `role: 'worker'` serves only health, on `port`. Its output is kept, and echoed only when asked or
 * when it dies, so the bench's own report stays readable. `pids()` is the process and its forks.
 */
export function startServer({ repoRoot, port, databaseUrl, echoLog, role = 'all', apiWorkers = 1 }) {
  const entry = path.join(repoRoot, 'dist', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} not found: run \`npm run build\` first`);
  const child = spawn(process.execPath, [entry], {
    cwd: repoRoot,
    env: {
      ...process.env,
      ROLE: role,
      API_WORKERS: String(apiWorkers),
      ...(role === 'worker' ? { WORKER_HEALTH_PORT: String(port) } : { PORT: String(port) }),
      DATABASE_URL: databaseUrl,
      // Another prefix (BENCH_REDIS_PREFIX) when another bench server runs on the same Redis with another database.
      REDIS_PREFIX: process.env.BENCH_REDIS_PREFIX || 'crossover-bench',
      LOG_LEVEL: 'warn',
      // The worker role never migrates; the API started first does.
      MIGRATE_ON_START: 'true',
      // The bench posts hundreds of requests a second from one key and one IP.
      RATE_LIMIT_PER_MINUTE: '100000000',
      RATE_LIMIT_IP_PER_MINUTE: '100000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  const tag = role === 'worker' ? 'worker' : 'server';
  const keep = (chunk) => {
    const text = chunk.toString();
    log.push(text);
    if (log.length > 2000) log.shift();
    if (echoLog) process.stderr.write(`[${tag}] ${text}`);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, log, exited, pid: child.pid, role, pids: () => [child.pid, ...childPids(child.pid)] };
}

/** @typedef {ReturnType<typeof startServer>} Server */
/** @typedef {{ api: Server, worker: Server | null }} Stack the API (or ROLE=all) process and the ROLE=worker one, if apart */

/** What the bench runs when it starts the server: `apiWorkers` null is today's single ROLE=all process. */
export function topologyName(apiWorkers) {
  if (!apiWorkers) return 'ROLE=all, one process';
  return `ROLE=api ${apiWorkers === 1 ? 'in one process' : `with API_WORKERS=${apiWorkers} (a cluster primary and ${apiWorkers} API processes)`} + one ROLE=worker process`;
}

/**
 * Starts the server as `topologyName(apiWorkers)` says and waits until it is ready. With `apiWorkers` set, the
 * ROLE=worker process starts once the API has migrated the database. Returns `{ api, worker }` (worker null for
 * ROLE=all); on failure whatever started is stopped.
 * @returns {Promise<Stack>}
 */
export async function startTopology({ repoRoot, port, databaseUrl, echoLog, apiWorkers = null }) {
  const baseUrl = `http://127.0.0.1:${port}`;
  /** @type {{ api: Server | null, worker: Server | null }} */
  const stack = { api: null, worker: null };
  try {
    stack.api = startServer({ repoRoot, port, databaseUrl, echoLog, role: apiWorkers ? 'api' : 'all', apiWorkers: apiWorkers ?? 1 });
    await waitReady(baseUrl, stack.api);
    if (apiWorkers) {
      const healthPort = await freePort();
      stack.worker = startServer({ repoRoot, port: healthPort, databaseUrl, echoLog, role: 'worker' });
      await waitReady(`http://127.0.0.1:${healthPort}`, stack.worker);
    }
    return /** @type {Stack} */ (stack);
  } catch (e) {
    await stopTopology(stack);
    throw e;
  }
}

/** Stops the worker, then the API (a cluster primary passes SIGTERM on to its forks). */
export async function stopTopology(stack) {
  if (!stack) return;
  await stopServer(stack.worker);
  await stopServer(stack.api);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls GET /health/ready until 200; fails early if the server exits (bad config, migration error). */
export async function waitReady(baseUrl, server, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let dead = /** @type {{ code: number | null, signal: string | null } | null} */ (null);
  server?.exited.then((x) => (dead = x));
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (dead) throw new Error(`server exited (code ${dead.code}, signal ${dead.signal}) before it was ready:\n${server.log.join('').slice(-4000)}`);
    try {
      const res = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`;
    } catch (e) {
      last = /** @type {any} */ (e).cause?.code ?? (e instanceof Error ? e.message : String(e));
    }
    await sleep(250);
  }
  throw new Error(`server not ready after ${timeoutMs / 1000}s (last: ${last})${server ? `\n${server.log.join('').slice(-4000)}` : ''}`);
}

/** SIGTERM (the server drains and closes its pools), then SIGKILL if it hangs. */
export async function stopServer(server, graceMs = 15_000) {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), graceMs);
  await server.exited;
  clearTimeout(timer);
}

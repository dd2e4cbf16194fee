import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { waitFor } from './wait.js';

/**
 * Throw-away PostgreSQL clusters and Redis servers that a fault test starts,
 * stops and restarts itself, on spare ports, so that killing them disturbs
 * nothing else (the shared test database and Redis stay up).
 *
 * initdb and postgres refuse to run as root; as root (our CI and dev
 * machines) they run as the `postgres` user through runuser, on a data
 * directory that user owns.
 */

const AS_ROOT = process.getuid?.() === 0;
const PG_USER = 'postgres';
/** Bound on each start/stop/migrate step (ms): a hung binary fails the test instead of hanging it. */
const STEP_TIMEOUT_MS = 60_000;

/** A TCP port nothing listens on right now (the kernel's pick; a tiny race with other processes is accepted). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs a command to completion (as the postgres user when `asPg` and we are root); rejects with its output on a non-zero exit. */
function run(cmd: string, args: string[], opts: { asPg?: boolean; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const [file, argv] = opts.asPg && AS_ROOT ? ['runuser', ['-u', PG_USER, '--', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    // stdin closed; 'exit' rather than 'close': a daemon started by the command may inherit and hold the pipes.
    const child = spawn(file, argv, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}:\n${out}`));
    });
  });
}

// Last-resort cleanup if a test process dies without its afterAll: synchronous, so it can run in 'exit'.
const exitCleanups = new Set<() => void>();
let exitHookInstalled = false;
function onExit(cleanup: () => void): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of exitCleanups) {
        try {
          c();
        } catch {
          /* best effort */
        }
      }
    });
  }
  exitCleanups.add(cleanup);
  return () => exitCleanups.delete(cleanup);
}

export interface PgCluster {
  /** postgresql:// URL of the `crossover` database on this cluster (login role postgres, trust). */
  url: string;
  port: number;
  dir: string;
  /** Stops the postmaster: `fast` rolls back and disconnects sessions (57P01), `immediate` is a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and waits until it accepts connections. */
  start(): Promise<void>;
  running(): boolean;
  /** Stops it (if running) and deletes its data directory; safe to call twice. */
  destroy(): Promise<void>;
}

/**
 * initdb + pg_ctl start of a fresh PostgreSQL cluster on a free port, with a
 * `crossover` database migrated by `prisma migrate deploy` (roles are
 * cluster-wide, so this also proves the migrations work on an empty cluster).
 */
export async function startPostgresCluster(): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'crossover-pg-'));
  const data = join(dir, 'data');
  if (AS_ROOT) {
    const uid = Number(spawnSync('id', ['-u', PG_USER], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', PG_USER], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  let up = false;
  let destroyed = false;
  const pgCtl = (...args: string[]) => run('pg_ctl', ['-D', data, ...args], { asPg: true, cwd: dir });
  const stopSync = () => {
    if (!up) return;
    const argv = ['-D', data, '-m', 'immediate', 'stop'];
    spawnSync(AS_ROOT ? 'runuser' : 'pg_ctl', AS_ROOT ? ['-u', PG_USER, '--', 'pg_ctl', ...argv] : argv, { cwd: dir, stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  const forget = onExit(stopSync);

  const cluster: PgCluster = {
    url: `postgresql://postgres@127.0.0.1:${port}/crossover`,
    port,
    dir,
    running: () => up,
    async start() {
      // fsync off: this cluster is thrown away, and durability across an OS crash is not what is tested.
      const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
      await pgCtl('-o', opts, '-l', join(dir, 'postgres.log'), '-w', '-t', '30', 'start');
      up = true;
    },
    async stop(mode = 'fast') {
      if (!up) return;
      await pgCtl('-m', mode, '-w', '-t', '30', 'stop');
      up = false;
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      try {
        if (up) await pgCtl('-m', 'immediate', '-w', 'stop').catch(() => undefined);
        up = false;
      } finally {
        forget();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };

  try {
    await run('initdb', ['-D', data, '-U', PG_USER, '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], { asPg: true, cwd: dir });
    await cluster.start();
    const admin = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` });
    await admin.connect();
    await admin.query('CREATE DATABASE crossover').finally(() => admin.end());
    await run(process.execPath, ['node_modules/prisma/build/index.js', 'migrate', 'deploy'], { env: { ...process.env, DATABASE_URL: cluster.url } });
  } catch (e) {
    await cluster.destroy();
    throw e;
  }
  return cluster;
}

export interface RedisServer {
  url: string;
  port: number;
  /** SIGKILL: no shutdown save, connections reset; with `--save ""` everything in it is gone. */
  kill(): Promise<void>;
  /** A new, empty redis-server on the same port; resolves once it answers PING. */
  start(): Promise<void>;
  running(): boolean;
  /** Process id of the running server (to SIGSTOP it: a Redis that accepts but never answers). */
  pid(): number | undefined;
  destroy(): Promise<void>;
}

/** A redis-server child process on a free port, no persistence: a restart is an empty Redis (every job scheduler gone). */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const forget = onExit(() => child?.kill('SIGKILL'));

  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    running: () => !!child && child.exitCode === null && child.signalCode === null,
    pid: () => (server.running() ? child?.pid : undefined),
    async start() {
      if (server.running()) return;
      const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
      child = c;
      const probe = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
      try {
        await waitFor(async () => {
          if (c.exitCode !== null) throw new Error(`redis-server exited with ${c.exitCode}`);
          try {
            if (probe.status !== 'ready') await probe.connect();
            return (await probe.ping()) === 'PONG';
          } catch {
            probe.disconnect();
            return false;
          }
        }, 10_000, 50);
      } finally {
        probe.disconnect();
      }
    },
    async kill() {
      const c = child;
      if (!c || !server.running()) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGKILL');
      });
    },
    async destroy() {
      await server.kill();
      forget();
    },
  };
  await server.start();
  return server;
}

export interface RedisClusterHandle {
  /** REDIS_CLUSTER_NODES for the app: every master, `127.0.0.1:<port>` comma-separated. */
  nodes: string;
  ports: number[];
  dir: string;
  /** A plain connection to each master (to read keys and slots as they are stored); closed by `destroy`. */
  masters(): Redis[];
  /** SIGKILLs every node (the whole cluster gone at once); resolves once they have exited. */
  kill(): Promise<void>;
  /**
   * Starts the killed nodes again on their ports from their node configs (same ids, same slots) and resolves
   * once the cluster is ok: the same cluster, empty (no persistence), like a restart after losing every node.
   */
  start(): Promise<void>;
  /** Kills every node and deletes the directory (node configs); safe to call twice. */
  destroy(): Promise<void>;
}

/**
 * A throw-away Redis Cluster of `size` masters (no replicas) on free loopback ports: redis-server processes in
 * cluster mode, joined and given all 16,384 slots by `redis-cli --cluster create`, ready once every node
 * reports `cluster_state:ok` with all of them known. Node configs live in a temp directory removed at the end.
 * redis-server runs as root unchanged, so no runuser here.
 */
export async function startRedisCluster(size = 3): Promise<RedisClusterHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'crossover-redis-cluster-'));
  const args: string[][] = [];
  const children: ChildProcess[] = [];
  const probes: Redis[] = [];
  const ports: number[] = [];
  let destroyed = false;
  const alive = (c: ChildProcess | undefined) => !!c && c.exitCode === null && c.signalCode === null;
  const forget = onExit(() => {
    for (const c of children) if (alive(c)) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const ping = async (i: number) => {
    const c = children[i]!;
    if (!alive(c)) throw new Error(`redis-server on ${ports[i]} exited with ${c.exitCode ?? c.signalCode}`);
    try {
      if (probes[i]!.status !== 'ready') await probes[i]!.connect();
      return (await probes[i]!.ping()) === 'PONG';
    } catch {
      probes[i]!.disconnect();
      return false;
    }
  };
  const spawnAll = async () => {
    // stdio ignored: a full pipe nobody reads would stall the server.
    for (let i = 0; i < args.length; i++) if (!alive(children[i])) children[i] = spawn('redis-server', args[i]!, { stdio: 'ignore' });
    await waitFor(async () => (await Promise.all(ports.map((_, i) => ping(i)))).every(Boolean), 10_000, 50);
  };
  // Each node reports ok only once gossip has told it about the others and every slot is served.
  const clusterOk = () =>
    waitFor(
      async () => {
        const infos = await Promise.all(probes.map((p) => p.cluster('INFO')));
        return infos.every((info) => /cluster_state:ok/.test(info) && new RegExp(`cluster_known_nodes:${size}\\b`).test(info) && /cluster_slots_assigned:16384\b/.test(info));
      },
      30_000,
      50,
    );

  const handle: RedisClusterHandle = {
    nodes: '',
    ports,
    dir,
    masters: () => probes,
    async kill() {
      await Promise.all(children.map((c) => (alive(c) ? new Promise<void>((resolve) => c.once('exit', () => resolve()).kill('SIGKILL')) : undefined)));
    },
    async start() {
      await spawnAll();
      await clusterOk();
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const p of probes) p.disconnect();
      await handle.kill();
      forget();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    // Client and cluster-bus ports both from the kernel: the default bus port (client port + 10000) may be taken or past 65535.
    const taken = new Set<number>();
    const pick = async () => {
      for (;;) {
        const p = await freePort();
        if (!taken.has(p)) {
          taken.add(p);
          return p;
        }
      }
    };
    for (let i = 0; i < size; i++) {
      const port = await pick();
      const busPort = await pick();
      ports.push(port);
      args.push(['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--cluster-node-timeout', '5000']);
      probes.push(new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null }));
    }
    await spawnAll();
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { cwd: dir });
    await clusterOk();
  } catch (e) {
    await handle.destroy();
    throw e;
  }
  handle.nodes = ports.map((p) => `127.0.0.1:${p}`).join(',');
  return handle;
}

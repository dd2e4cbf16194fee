import cluster, { type Worker } from 'node:cluster';
import { createRootLogger } from './common/logger.js';
import { ConfigError, loadConfig, type AppConfig } from './config/config.js';
import { migrateDeploy } from './infra/prisma/migrate.js';

/** How long the primary waits for its API processes to drain after SIGTERM (each stops itself after 30 s). */
const CLUSTER_STOP_GRACE_MS = 35_000;
/** A process that dies before it listens is forked again after this, doubling per failure up to the cap. */
const RESTART_DELAY_MS = 1_000;
const RESTART_DELAY_MAX_MS = 30_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  if (config.apiWorkers > 1 && cluster.isPrimary) return runPrimary(config);
  // Forks skip it: their primary migrated once before forking them.
  if (config.database.migrateOnStart && config.role !== 'worker' && !cluster.isWorker) migrateDeploy(config.database.url);
  await serve(config);
}

/** This process serves its role: the API on PORT, or queue processors with health on WORKER_HEALTH_PORT. */
async function serve(config: AppConfig): Promise<void> {
  // Loaded here, not at the top: a cluster primary never boots Nest, so it stays small.
  const { createApp } = await import('./bootstrap.js');
  const { LifecycleService } = await import('./health/lifecycle.service.js');
  const app = await createApp(config);
  const port = config.role === 'worker' ? config.http.workerHealthPort : config.http.port;
  // Under a cluster primary, every fork listens on the same port and the primary hands each connection to one.
  await app.listen(port, config.http.host);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Readiness fails first so load balancers stop routing; then Nest stops
    // the workers (waiting for running jobs), drains HTTP, and only then
    // closes Postgres and Redis (onApplicationShutdown).
    app.get(LifecycleService).draining = true;
    const hardStop = setTimeout(() => process.exit(1), 30_000);
    hardStop.unref();
    try {
      await app.close();
    } finally {
      process.exit(signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * API_WORKERS > 1 (ROLE=api): this process serves nothing; it forks that many API processes sharing PORT
 * and keeps that many running. A fork that dies unexpectedly is forked again (after a growing delay when it
 * died before listening, so a database outage at boot does not spin); if none has ever listened, the boot
 * failed and the primary exits with the fork's code, as a single process would. SIGTERM/SIGINT go to every
 * fork, each drains as a single process does, and the primary exits once all have stopped (0 when all
 * stopped cleanly). If the primary itself dies, node:cluster makes every fork exit at once.
 */
function runPrimary(config: AppConfig): void {
  const log = createRootLogger(config.logLevel).child({ context: 'cluster' });
  if (config.database.migrateOnStart) migrateDeploy(config.database.url);

  let stopping = false;
  let everListened = false;
  let stopCode = 0;
  let restartDelay = RESTART_DELAY_MS;
  const listened = new WeakSet<Worker>();

  const fork = () => {
    const worker = cluster.fork();
    worker.once('listening', () => {
      listened.add(worker);
      everListened = true;
      restartDelay = RESTART_DELAY_MS;
    });
  };
  const live = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());

  cluster.on('exit', (worker, code, signal) => {
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (stopping) {
      if (code !== 0) stopCode = 1;
      if (live().length === 0) {
        log.info({ exitCode: stopCode }, 'every API process stopped');
        process.exit(stopCode);
      }
      return;
    }
    if (!everListened) {
      log.error({ pid: worker.process.pid }, `API process exited with ${how} before any listened: boot failed, stopping`);
      stopping = true;
      for (const w of live()) w.process.kill('SIGTERM');
      // Its own exit code (78 for configuration); a signal or 0 is still a failed boot.
      stopCode = code || 1;
      if (live().length === 0) process.exit(stopCode);
      return;
    }
    const delay = listened.has(worker) ? 0 : restartDelay;
    if (!listened.has(worker)) restartDelay = Math.min(restartDelay * 2, RESTART_DELAY_MAX_MS);
    log.warn({ pid: worker.process.pid, restartInMs: delay }, `API process exited unexpectedly with ${how}; forking a new one`);
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, processes: live().length }, 'stopping: every API process drains');
    const alive = live();
    if (alive.length === 0) process.exit(0);
    for (const w of alive) w.process.kill(signal);
    setTimeout(() => {
      log.error('API processes still running after the grace period: killing them');
      for (const w of live()) w.process.kill('SIGKILL');
      process.exit(1);
    }, CLUSTER_STOP_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  for (let i = 0; i < config.apiWorkers; i++) fork();
  log.info({ processes: config.apiWorkers, port: config.http.port }, 'cluster primary started');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});

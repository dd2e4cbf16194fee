import { createApp } from './bootstrap.js';
import { ConfigError, loadConfig } from './config/config.js';
import { LifecycleService } from './health/lifecycle.service.js';
import { migrateDeploy } from './infra/prisma/migrate.js';


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
  if (config.database.migrateOnStart && config.role !== 'worker') migrateDeploy(config.database.url);

  const app = await createApp(config);
  const port = config.role === 'worker' ? config.http.workerHealthPort : config.http.port;
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

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});

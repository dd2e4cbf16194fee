import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../../src/bootstrap.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './env.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/** Boots the real app (role `all` by default) on the test database, with a Redis prefix of its own. */
export async function bootApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `cxtest-${process.env.CROSSOVER_TEST_RUN_ID}-${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Test receivers listen on 127.0.0.1; test/security/ssrf boots without this exemption.
    WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    // Connectors in tests read local fake providers, never the real APIs; test/connectors boots one app without it.
    CONNECTOR_ALLOW_BASE_URL: 'true',
    // The digest suite schedules a digest every 3 seconds.
    DIGEST_MIN_INTERVAL_SECONDS: '1',
    // Suites fire up to 100 requests at once to prove idempotency under concurrency; shedding has its own
    // suite (test/security/load-shedding) with a limit of 2.
    MAX_INFLIGHT_REQUESTS: '1000',
    ...env,
  });
  const app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    config,
    http: request(app.getHttpServer()),
    close: async () => {
      await app.close();
    },
  };
}

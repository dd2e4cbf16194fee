import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../../src/bootstrap.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { buildOpenApiDocument } from '../../src/common/openapi-document.js';
import { ContractValidator } from './contract.js';
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
  if (config.role !== 'worker') checkResponsesAgainstDocument(app);
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

let validator: ContractValidator | undefined;

/** Every response this app sends is checked against its OpenAPI document (test/support/contract.ts). */
function checkResponsesAgainstDocument(app: NestFastifyApplication): void {
  // One document per test file: every api app of a file serves the same one.
  validator ??= new ContractValidator(buildOpenApiDocument(app));
  const v = validator;
  app.getHttpAdapter().getInstance().addHook('onSend', (req, reply, payload, done) => {
    const route = req.routeOptions?.url;
    if (route) {
      const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
      const type = reply.getHeader('content-type');
      v.record(req.method, route, reply.statusCode, typeof type === 'string' ? type : undefined, body);
    }
    done(null, payload);
  });
}

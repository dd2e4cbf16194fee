import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../bootstrap.js';
import { loadConfig } from '../config/config.js';
import { ensureDatabase, migrateDeploy } from '../infra/prisma/migrate.js';

export const DEMO_EMAIL = 'demo@crossover.test';
export const DEMO_PASSWORD = 'crossover-demo-password';

async function call(base: string, method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/**
 * `npm run demo`: migrate, start the whole product (API and workers in one
 * process), make sure the demo organisation exists (through the public API,
 * like any client), print where to look, and keep serving. Safe to re-run.
 */
async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, ROLE: 'all' });
  process.stdout.write('• preparing the database… ');
  await ensureDatabase(config.database.url);
  migrateDeploy(config.database.url);
  console.log('done');

  const app: NestFastifyApplication = await createApp({ ...config, logLevel: process.env.LOG_LEVEL ?? 'warn' });
  await app.listen(config.http.port, config.http.host);
  const base = `http://127.0.0.1:${config.http.port}`;

  let login = await call(base, 'POST', '/v1/login', { email: DEMO_EMAIL, password: DEMO_PASSWORD });
  if (login.status === 401) {
    const signup = await call(base, 'POST', '/v1/signup', { orgName: 'Demo Co', email: DEMO_EMAIL, password: DEMO_PASSWORD });
    if (signup.status !== 201) throw new Error(`demo signup failed: ${JSON.stringify(signup.body)}`);
    login = await call(base, 'POST', '/v1/login', { email: DEMO_EMAIL, password: DEMO_PASSWORD });
  }
  if (login.status !== 200) throw new Error(`demo login failed: ${JSON.stringify(login.body)}`);
  const token = login.body.accessToken as string;
  const key = await call(base, 'POST', '/v1/api-keys', { name: `demo key ${new Date().toISOString()}`, scopes: ['admin'] }, token);

  console.log(`
Crossover is running (API and workers) at ${config.http.publicUrl}
  API docs     ${config.http.publicUrl}/docs
  Health       ${config.http.publicUrl}/health/ready
  Demo login   ${DEMO_EMAIL} / ${DEMO_PASSWORD}
  API key      ${key.body.key}   (admin scope; try: curl -H "Authorization: Bearer ${key.body.key}" ${config.http.publicUrl}/v1/members)
Press Ctrl+C to stop.`);

  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});

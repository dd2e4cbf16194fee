import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AnomaliesService } from '../anomalies/anomalies.service.js';
import { createApp } from '../bootstrap.js';
import { loadConfig, type AppConfig } from '../config/config.js';
import { DAY_MS, HOUR_MS } from '../domain/time.js';
import { ensureDatabase, migrateDeploy } from '../infra/prisma/migrate.js';
import { createApiClient, type ApiClient } from './api-client.js';
import { ANOMALY, demoStart, demoTimeline, DEMO_WORKLOADS, type DemoOptions } from './generator.js';
import { fmtInt, fmtSecs } from './progress.js';
import { printSummary } from './report.js';
import { ensureBudgets } from './steps/budgets.js';
import { reconcileWithFakeProviders } from './steps/connectors.js';
import { priceSelfHosted } from './steps/catalog.js';
import { ingest, storedAnchor, type IngestTotals } from './steps/ingest.js';
import { waitForRollups } from './steps/rollups.js';
import { DEMO_EMAIL, DEMO_PASSWORD, signInWithNewKey } from './steps/sign-in.js';
import { annotateAndEvaluate } from './steps/workloads.js';

const DEMO_SEED = 42;
const DEMO_MONTHS = 6;

/** Wall-clock time per named phase, for the closing line. */
class PhaseTimer {
  readonly phases: [string, number][] = [];
  private mark = Date.now();
  constructor(readonly started: number) {
    this.phases.push(['start', this.mark - started]);
  }
  end(name: string): void {
    this.phases.push([name, Date.now() - this.mark]);
    this.mark = Date.now();
  }
  toString(): string {
    return this.phases.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)} s`).join(', ');
  }
}

/** DEMO_SCALE (default 1) scales the volume; DEMO_NO_SERVE=1 exits after the summary. */
function readSettings(env: NodeJS.ProcessEnv): { scale: number; serve: boolean } {
  const scale = env.DEMO_SCALE ? Number(env.DEMO_SCALE) : 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`DEMO_SCALE must be a positive number, got ${env.DEMO_SCALE}`);
  const serve = !['1', 'true', 'yes'].includes((env.DEMO_NO_SERVE ?? '').toLowerCase());
  return { scale, serve };
}

async function startApp(config: AppConfig): Promise<{ app: NestFastifyApplication; api: ApiClient }> {
  process.stdout.write('• preparing the database… ');
  await ensureDatabase(config.database.url);
  migrateDeploy(config.database.url);
  console.log('done');
  const app = await createApp({ ...config, logLevel: process.env.LOG_LEVEL ?? 'warn' });
  await app.listen(config.http.port, config.http.host);
  return { app, api: createApiClient(`http://127.0.0.1:${config.http.port}`) };
}

/** Usage, prices, rollups, budgets, annotations and evaluations, each step safe to repeat; then the summary. */
async function seed(api: ApiClient, scale: number, timer: PhaseTimer, checkAnomalies: () => Promise<number>): Promise<IngestTotals & { closeFake: () => Promise<void> }> {
  // The same anchor as the stored events (if any) regenerates them identically: a re-run sends duplicates, not conflicts.
  const end = new Date();
  const previous = await storedAnchor(api);
  const anchor = previous ?? new Date(Math.floor(end.getTime() / HOUR_MS) * HOUR_MS);
  const options: DemoOptions = { seed: DEMO_SEED, end, anchor, months: DEMO_MONTHS, scale };
  const from = demoStart(end, DEMO_MONTHS);
  console.log(`• usage events: ${DEMO_MONTHS} months (${from.toISOString().slice(0, 10)} to ${end.toISOString().slice(0, 10)}), ${DEMO_WORKLOADS.length} workloads, scale ${scale}${previous ? `, story anchored at ${anchor.toISOString()} (from the stored events)` : ''}`);
  const totals = await ingest(api, options);
  if (totals.conflicts) console.log('  note: conflicts are ids already stored with other content (e.g. sent with another DEMO_SCALE); the stored events were kept');
  timer.end('ingest');

  console.log('• self-hosted model price');
  await priceSelfHosted(api, new Date(Math.floor(demoStart(anchor, DEMO_MONTHS).getTime() / DAY_MS) * DAY_MS), new Date(end.getTime() + 1000));
  timer.end('reprice');

  console.log('• rollups');
  await waitForRollups(api);
  timer.end('rollups');

  // The workers check for anomalies after rollups, but at most twice per 10-minute window (the second check at the
  // window's end); the demo runs the same idempotent check now so its summary shows the injected spike.
  const found = await checkAnomalies();
  const injected = demoTimeline(anchor, DEMO_SEED).anomaly;
  console.log(`• spend anomalies checked: ${found} new (injected: ${injected.workload} at ${ANOMALY.multiple}x on ${injected.day.toISOString().slice(0, 10)}, driven by customer ${injected.customer})`);
  timer.end('anomalies');

  console.log('• budgets');
  await ensureBudgets(api);
  console.log('• workload annotations and evaluations');
  await annotateAndEvaluate(api);
  timer.end('workloads');
  console.log('• what the providers bill: connectors to the bundled fake OpenAI and Anthropic admin APIs, and the reconciliation');
  const fake = await reconcileWithFakeProviders(api);
  timer.end('reconciliation');
  await printSummary(api);
  timer.end('summary');
  return { ...totals, closeFake: () => fake?.close() ?? Promise.resolve() };
}

async function printWhereToLook(api: ApiClient, publicUrl: string, key: string): Promise<void> {
  // /app is the dashboard's static page, outside the API document: a plain fetch.
  const dashboard = await fetch(`${api.base}/app`);
  await dashboard.body?.cancel();
  console.log(`
Crossover is running (API and workers) at ${publicUrl}
  API docs     ${publicUrl}/docs
  Dashboard    ${publicUrl}/app${dashboard.status >= 400 ? '   (not in this build yet)' : ''}
  Health       ${publicUrl}/health/ready
  Demo login   ${DEMO_EMAIL} / ${DEMO_PASSWORD}
  API key      ${key}   (admin scope; try: curl -H "Authorization: Bearer ${key}" ${publicUrl}/v1/reports/summary)`);
}

/**
 * `npm run demo`: migrate, start the whole product (API and workers in one
 * process), make sure the demo organisation exists, fill it with six months of
 * generated usage, prices, budgets, annotations and evaluations (all through
 * the public API, like any client), print where to look, and keep serving.
 * Safe to re-run: events have deterministic ids (re-sent ones are duplicates)
 * and everything else is created only when missing.
 */
async function main(): Promise<void> {
  const started = Date.now();
  const { scale, serve } = readSettings(process.env);
  // The demo's connectors read the fake provider admin APIs it starts on 127.0.0.1 (see steps/connectors.ts).
  const config = loadConfig({ CONNECTOR_ALLOW_BASE_URL: 'true', WEBHOOK_ALLOW_HOSTS: '127.0.0.1', ...process.env, ROLE: 'all' });
  const { app, api } = await startApp(config);
  const { key, orgId } = await signInWithNewKey(api);
  const timer = new PhaseTimer(started);
  const totals = await seed(api.withToken(key), scale, timer, () => app.get(AnomaliesService).detect(orgId, new Date(), { settled: true }));

  console.log(`\nDemo ready in ${fmtSecs(Date.now() - started)} (${timer}).`);
  await printWhereToLook(api, config.http.publicUrl, key);
  if (totals.rejected > 0) console.log(`\n! ${fmtInt(totals.rejected)} events were rejected (see above).`);
  if (!serve) {
    await app.close();
    await totals.closeFake();
    process.exit(totals.rejected > 0 ? 1 : 0);
  }
  console.log('Press Ctrl+C to stop.');
  const stop = async () => {
    await app.close();
    await totals.closeFake();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  if (process.stdout.isTTY) process.stdout.write('\n');
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../bootstrap.js';
import { loadConfig } from '../config/config.js';
import { DEMO_ANCHOR_TAG, DEMO_EVALUATIONS, DEMO_WORKLOADS, demoStart, generateDemoBatches, generateDemoEvents, type DemoOptions } from '../demo/generator.js';
import { ensureDatabase, migrateDeploy } from '../infra/prisma/migrate.js';

export const DEMO_EMAIL = 'demo@crossover.test';
export const DEMO_PASSWORD = 'crossover-demo-password';
const DEMO_SEED = 42;
const DEMO_MONTHS = 6;
const BATCH_SIZE = 1000;
/** Ingest requests in flight at once: enough to overlap the database with parsing and pricing. */
const CONCURRENCY = 3;
const SELF_HOSTED = { provider: 'self-hosted', modelId: 'acme-llama-3-8b', inputPerMTok: '0.05', outputPerMTok: '0.05' };
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

interface Reply {
  status: number;
  body: any; // JSON from our own API, read defensively
  headers: Headers;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function call(base: string, method: string, path: string, body?: unknown, token?: string): Promise<Reply> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** A call that retries rate limits (429, honouring Retry-After), 5xx and network errors. */
async function callRetrying(base: string, method: string, path: string, body?: unknown, token?: string, attempts = 6): Promise<Reply> {
  for (let i = 1; ; i++) {
    try {
      const r = await call(base, method, path, body, token);
      if ((r.status === 429 || r.status >= 500) && i < attempts) {
        const retryAfter = Number(r.headers.get('retry-after'));
        await sleep(r.status === 429 && retryAfter > 0 ? retryAfter * 1000 : 250 * 2 ** i);
        continue;
      }
      return r;
    } catch (err) {
      if (i >= attempts) throw err;
      await sleep(250 * 2 ** i);
    }
  }
}

function errorText(r: Reply): string {
  const e = r.body?.error;
  return e ? `${r.status} ${e.code}: ${e.message}${e.details ? ` ${JSON.stringify(e.details).slice(0, 300)}` : ''}` : `${r.status} ${JSON.stringify(r.body)?.slice(0, 300)}`;
}

/** 404 because the route does not exist (yet), rather than because a resource is missing. */
function routeMissing(r: Reply): boolean {
  return r.status === 404 && typeof r.body?.error?.message === 'string' && /^Cannot (GET|POST|PATCH|PUT|DELETE) /.test(r.body.error.message);
}

// ---------------------------------------------------------------- output

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtUsd = (v: unknown, digits = 0) => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? `$${n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}` : '—';
};
const fmtSecs = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** One-line progress bar: redrawn with \r on a terminal, a line per 10% otherwise (CI logs). */
class Progress {
  private readonly started = Date.now();
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly tty = !!process.stdout.isTTY;
  constructor(
    private readonly label: string,
    private total: number,
    private readonly unit: string,
  ) {}

  update(done: number, extra = '', total = this.total): void {
    this.total = total;
    const now = Date.now();
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const decile = Math.floor(frac * 10);
    if (this.tty ? now - this.lastDraw < 100 && frac < 1 : decile === this.lastDecile) return;
    this.lastDraw = now;
    this.lastDecile = decile;
    const elapsed = now - this.started;
    const rate = elapsed > 0 ? (done / elapsed) * 1000 : 0;
    const eta = rate > 0 && frac < 1 ? fmtSecs(((this.total - done) / rate) * 1000) : '0:00';
    const width = 24;
    const filled = Math.round(frac * width);
    const line = `  ${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(1).padStart(5)}%  ${fmtInt(done)}/${fmtInt(this.total)} ${this.unit}  ${fmtInt(rate)} ${this.unit}/s  ETA ${eta}${extra ? `  ${extra}` : ''}`;
    if (this.tty) process.stdout.write(`\r${line}\x1b[K`);
    else console.log(line);
  }

  done(summary: string): void {
    const line = `  ${this.label} ${summary} in ${fmtSecs(Date.now() - this.started)}`;
    if (this.tty) process.stdout.write(`\r${line}\x1b[K\n`);
    else console.log(line);
  }
}

function table(rows: string[][], header: string[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `    ${r.map((c, i) => (i === 0 ? (c ?? '').padEnd(widths[i]) : (c ?? '').padStart(widths[i]))).join('  ')}`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------- steps

interface IngestTotals {
  events: number;
  accepted: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
}

/** Posts the generated events in batches of 1,000, CONCURRENCY requests at a time. */
async function ingest(base: string, key: string, options: DemoOptions): Promise<IngestTotals> {
  let total = 0;
  for (const _ of generateDemoEvents(options)) total++;
  const progress = new Progress('ingest', total, 'events');
  const totals: IngestTotals = { events: 0, accepted: 0, duplicates: 0, conflicts: 0, rejected: 0 };
  let shownErrors = 0;
  const inFlight = new Set<Promise<void>>();
  const post = async (batch: unknown[]) => {
    const r = await callRetrying(base, 'POST', '/v1/events', `{"events":${JSON.stringify(batch)}}`, key);
    if (r.status !== 200) throw new Error(`POST /v1/events failed: ${errorText(r)}`);
    const b = r.body as IngestTotals & { results: { index: number; id: string | null; status: string; errors?: { field: string; message: string }[] }[] };
    totals.events += batch.length;
    totals.accepted += b.accepted;
    totals.duplicates += b.duplicates;
    totals.conflicts += b.conflicts;
    totals.rejected += b.rejected;
    if (b.rejected > 0 && shownErrors < 5) {
      if (process.stdout.isTTY) process.stdout.write('\n');
      for (const res of b.results.filter((x) => x.status === 'rejected').slice(0, 5 - shownErrors)) {
        shownErrors++;
        console.log(`  ! rejected ${res.id ?? `#${res.index}`}: ${(res.errors ?? []).map((e) => `${e.field} ${e.message}`).join('; ')}`);
      }
    }
    progress.update(totals.events, `(${fmtInt(totals.accepted)} new, ${fmtInt(totals.duplicates)} duplicates${totals.conflicts ? `, ${fmtInt(totals.conflicts)} conflicts` : ''}${totals.rejected ? `, ${fmtInt(totals.rejected)} rejected` : ''})`);
  };
  for (const batch of generateDemoBatches(options, BATCH_SIZE)) {
    const p: Promise<void> = post(batch).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  progress.done(`${fmtInt(totals.events)} events: ${fmtInt(totals.accepted)} new, ${fmtInt(totals.duplicates)} duplicates, ${fmtInt(totals.conflicts)} conflicts, ${fmtInt(totals.rejected)} rejected`);
  return totals;
}

/** The anchor the stored demo events were generated with (their `demo` tag), so a re-run regenerates identical events. */
async function storedAnchor(base: string, key: string): Promise<Date | null> {
  const r = await call(base, 'GET', '/v1/events?workload=ticket-classifier&limit=1', undefined, key);
  const tag = r.status === 200 ? r.body?.data?.[0]?.tags?.[DEMO_ANCHOR_TAG] : undefined;
  const d = typeof tag === 'string' ? new Date(tag) : null;
  return d && Number.isFinite(d.getTime()) && d.getTime() <= Date.now() ? d : null;
}

async function waitFor<T>(label: string, poll: () => Promise<T>, state: (v: T) => { done: boolean; progress: number; total: number; extra?: string; failed?: string }, timeoutMs: number, unit: string): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  let bar: Progress | null = null;
  for (;;) {
    const v = await poll();
    const s = state(v);
    bar ??= new Progress(label, s.total, unit);
    bar.update(s.progress, s.extra ?? '', s.total);
    if (s.failed) {
      bar.done(`failed: ${s.failed}`);
      return null;
    }
    if (s.done) {
      bar.done(s.extra ?? 'done');
      return v;
    }
    if (Date.now() > deadline) {
      bar.done(`still not done after ${fmtSecs(timeoutMs)}; carrying on`);
      return null;
    }
    await sleep(500);
  }
}

/** Prices the self-hosted model (once) and re-prices the stored events so its past usage gets a cost. */
async function priceSelfHosted(base: string, key: string, effectiveFrom: Date, to: Date): Promise<void> {
  const list = await call(base, 'GET', '/v1/catalog/overrides', undefined, key);
  if (list.status !== 200) throw new Error(`GET /v1/catalog/overrides failed: ${errorText(list)}`);
  const exists = (list.body?.data ?? []).some((o: { kind?: string; modelId?: string }) => o.kind === 'custom' && o.modelId === SELF_HOSTED.modelId);
  if (!exists) {
    const r = await call(base, 'POST', '/v1/catalog/overrides', { kind: 'custom', ...SELF_HOSTED, effectiveFrom: effectiveFrom.toISOString(), note: 'Demo: GPU cost of the internal Llama 3 8B per 1M tokens' }, key);
    if (r.status !== 201 && r.status !== 200) throw new Error(`POST /v1/catalog/overrides failed: ${errorText(r)}`);
    console.log(`  priced self-hosted/${SELF_HOSTED.modelId} at $${SELF_HOSTED.inputPerMTok} / $${SELF_HOSTED.outputPerMTok} per 1M tokens from ${effectiveFrom.toISOString().slice(0, 10)} (acme-embed-small stays unpriced)`);
  } else {
    console.log(`  self-hosted/${SELF_HOSTED.modelId} already has a custom price`);
  }
  // Re-price when the price is new, or when events of the model are still unpriced (an interrupted run).
  const unpriced = await call(base, 'GET', '/v1/catalog/unpriced', undefined, key);
  const stillUnpriced = (unpriced.body?.data ?? []).some((m: { model?: string; modelId?: string }) => m.modelId === SELF_HOSTED.modelId || m.model === SELF_HOSTED.modelId);
  if (exists && !stillUnpriced) return;
  // Only this model's events: the other 240k keep their prices (seconds instead of a minute).
  const start = await call(base, 'POST', '/v1/catalog/reprice', { from: effectiveFrom.toISOString(), to: to.toISOString(), dryRun: false, model: SELF_HOSTED.modelId }, key);
  if (start.status !== 200 && start.status !== 201 && start.status !== 202) throw new Error(`POST /v1/catalog/reprice failed: ${errorText(start)}`);
  const id = start.body?.id as string;
  await waitFor(
    'reprice',
    () => call(base, 'GET', `/v1/catalog/reprice/${id}`, undefined, key),
    (r) => ({
      done: r.body?.status === 'succeeded',
      failed: r.body?.status === 'failed' ? String(r.body?.error ?? 'unknown error') : r.status !== 200 ? errorText(r) : undefined,
      progress: Number(r.body?.processed ?? 0),
      total: Number(r.body?.total ?? 0),
      extra: r.body?.status === 'succeeded' ? `${fmtInt(r.body?.processed ?? 0)} events checked, ${fmtInt(r.body?.changed ?? 0)} re-priced` : `(${r.body?.status ?? '?'}, ${fmtInt(r.body?.changed ?? 0)} changed)`,
    }),
    10 * 60_000,
    'events',
  );
}

async function waitForRollups(base: string, key: string): Promise<void> {
  let first = 0;
  await waitFor(
    'rollups',
    () => call(base, 'GET', '/v1/admin/jobs', undefined, key),
    (r) => {
      if (r.status !== 200) return { done: false, progress: 0, total: 1, failed: errorText(r) };
      const dirty = Number(r.body?.rollupBacklog?.dirtyHours ?? 0);
      first = Math.max(first, dirty);
      const failed = (r.body?.failed ?? []).length;
      return { done: dirty === 0, progress: first - dirty, total: first, extra: dirty === 0 ? `caught up${failed ? ` (${failed} failed jobs: GET /v1/admin/jobs)` : ''}` : `${fmtInt(dirty)} hours to roll up` };
    },
    10 * 60_000,
    'hours',
  );
}

/** Spend this month projected to a whole month (USD), from the month-to-date summary; falls back to last month early in a month. */
async function monthlyRunRate(base: string, key: string): Promise<{ total: number; byProvider: Record<string, number> }> {
  const now = new Date();
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const elapsed = (now.getTime() - monthStart) / (monthEnd - monthStart);
  let month: string | undefined;
  let factor = 1 / Math.max(elapsed, 1e-6);
  if (elapsed < 0.25) {
    month = new Date(monthStart - DAY_MS).toISOString().slice(0, 7);
    factor = 1;
  }
  const r = await call(base, 'GET', `/v1/reports/summary${month ? `?month=${month}` : ''}`, undefined, key);
  if (r.status !== 200) return { total: 0, byProvider: {} };
  const byProvider: Record<string, number> = {};
  for (const p of r.body?.providers ?? []) byProvider[p.provider] = Number(p.costUsd) * factor;
  return { total: Number(r.body?.monthToDate?.costUsd ?? 0) * factor, byProvider };
}

async function ensureBudgets(base: string, key: string): Promise<void> {
  const list = await call(base, 'GET', '/v1/budgets', undefined, key);
  if (list.status !== 200) {
    console.log(`  ! budgets unavailable: ${errorText(list)}`);
    return;
  }
  const budgets = (list.body?.data ?? []) as { name?: string; scope?: { provider?: string | null }; provider?: string | null }[];
  const rate = await monthlyRunRate(base, key);
  const round = (usd: number, step: number) => String(Math.max(step, Math.round((usd * 1.2) / step) * step));
  const wanted = [
    { name: 'Monthly LLM spend', scope: {}, limit: round(rate.total, 1000), has: budgets.some((b) => b.name === 'Monthly LLM spend') },
    { name: 'OpenAI monthly', scope: { provider: 'openai' }, limit: round(rate.byProvider.openai ?? 0, 500), has: budgets.some((b) => (b.scope?.provider ?? b.provider) === 'openai') },
  ];
  for (const w of wanted) {
    if (w.has) {
      console.log(`  budget "${w.name}" already exists`);
      continue;
    }
    const r = await call(base, 'POST', '/v1/budgets', { name: w.name, scope: w.scope, monthlyLimitUsd: w.limit, thresholds: [50, 80, 100] }, key);
    if (r.status !== 201 && r.status !== 200) console.log(`  ! budget "${w.name}" not created: ${errorText(r)}`);
    else console.log(`  budget "${w.name}": ${fmtUsd(w.limit)}/month (about 1.2x the current run rate), alerts at 50/80/100%`);
  }
}

async function annotateAndEvaluate(base: string, key: string): Promise<void> {
  let annotated = 0;
  for (const w of DEMO_WORKLOADS) {
    const r = await call(base, 'PATCH', `/v1/workloads/${w.slug}`, { description: w.description, ...w.annotations }, key);
    if (routeMissing(r)) {
      console.log('  note: PATCH /v1/workloads/:slug is not available in this build; workload annotations skipped');
      break;
    }
    if (r.status === 200) annotated++;
    else console.log(`  ! ${w.slug} not annotated: ${errorText(r)}`);
  }
  if (annotated) console.log(`  annotated ${annotated}/${DEMO_WORKLOADS.length} workloads (task, quality bar, latency target, sensitivity, owner)`);

  for (const ev of DEMO_EVALUATIONS) {
    const path = `/v1/workloads/${ev.workload}/evaluations`;
    const existing = await call(base, 'GET', path, undefined, key);
    const items: { candidateModel?: string; baselineModel?: string }[] = Array.isArray(existing.body?.data) ? existing.body.data : Array.isArray(existing.body) ? existing.body : [];
    if (existing.status === 200 && items.some((x) => x.candidateModel === ev.candidateModel && x.baselineModel === ev.baselineModel)) {
      console.log(`  evaluation ${ev.workload}: ${ev.candidateModel} vs ${ev.baselineModel} already recorded`);
      continue;
    }
    const { workload: _w, ...body } = ev;
    const r = await call(base, 'POST', path, body, key);
    if (routeMissing(r)) {
      console.log('  note: POST /v1/workloads/:slug/evaluations is not available in this build; evaluations skipped');
      break;
    }
    if (r.status !== 201 && r.status !== 200) {
      console.log(`  ! evaluation ${ev.workload} not recorded: ${errorText(r)}`);
      continue;
    }
    const b = r.body ?? {};
    const verdict = b.verdict?.status ?? b.verdict ?? b.status ?? (typeof b.passed === 'boolean' ? (b.passed ? 'passed' : 'failed') : null);
    console.log(`  evaluation ${ev.workload}: ${ev.candidateModel} vs ${ev.baselineModel}, accuracy ${ev.metrics.candidate.accuracy} vs ${ev.metrics.baseline.accuracy} on ${ev.sampleSize} samples${verdict && typeof verdict === 'string' ? ` → ${verdict}` : ''}`);
  }
}

async function printSummary(base: string, key: string): Promise<void> {
  const s = await call(base, 'GET', '/v1/reports/summary', undefined, key);
  if (s.status === 200) {
    const b = s.body;
    const change = typeof b.changePercent === 'number' ? ` (${b.changePercent >= 0 ? '+' : ''}${b.changePercent}% vs the same days last month)` : '';
    console.log(`\nSpend, ${b.month} to date: ${fmtUsd(b.monthToDate?.costUsd, 2)}${change}`);
    const top = (b.topWorkloads ?? []).slice(0, 5) as { workload: string; costUsd: string; sharePercent?: number }[];
    if (top.length) console.log(table(top.map((w) => [w.workload, fmtUsd(w.costUsd, 2), w.sharePercent !== undefined ? `${w.sharePercent}%` : '']), ['top workloads', 'cost', 'share']));
    if (b.unpriced?.requests) console.log(`    unpriced: ${fmtInt(b.unpriced.requests)} requests (${fmtInt(b.unpriced.tokens ?? 0)} tokens) without a price, never counted as $0`);
  } else console.log(`\n! GET /v1/reports/summary: ${errorText(s)}`);

  const f = await call(base, 'GET', '/v1/forecast?horizonMonths=3', undefined, key);
  if (f.status === 200) {
    const org = f.body?.organisation ?? f.body;
    const months = (Array.isArray(org?.months) ? org.months : []) as { month?: string; expectedUsd?: unknown; p10Usd?: unknown; p90Usd?: unknown }[];
    if (months.length) {
      console.log('\nForecast (GET /v1/forecast?horizonMonths=3):');
      console.log(table(months.map((m) => [String(m.month ?? '?'), fmtUsd(m.expectedUsd), `${fmtUsd(m.p10Usd)} - ${fmtUsd(m.p90Usd)}`]), ['month', 'expected', 'p10 - p90']));
      const growth = Number(org?.monthlyGrowthRate);
      const mape = org?.backtest?.mape;
      const notes = [org?.method ? `method ${org.method}` : '', Number.isFinite(growth) ? `growth ${(growth * 100).toFixed(1)}%/month` : '', typeof mape === 'number' ? `backtest MAPE ${(mape * (mape <= 1 ? 100 : 1)).toFixed(1)}%` : ''].filter(Boolean);
      if (notes.length) console.log(`    ${notes.join(', ')}`);
    } else console.log(`\nForecast: ${JSON.stringify(f.body).slice(0, 300)}`);
  } else if (f.status !== 404) console.log(`\n! GET /v1/forecast: ${errorText(f)}`);

  const p = await call(base, 'GET', '/v1/plan', undefined, key);
  if (p.status === 200) {
    const root = p.body?.plan ?? p.body;
    const rows = (Array.isArray(root?.workloads) ? root.workloads : Array.isArray(root?.data) ? root.data : Array.isArray(root) ? root : []) as Record<string, any>[];
    if (rows.length) {
      console.log('\nPlan (GET /v1/plan):');
      const saving = (w: Record<string, any>) => Math.max(Number(w.monthlySavingsUsd ?? 0) || 0, Number(w.pendingEvaluation?.monthlySavingsUsd ?? 0) || 0);
      const sorted = [...rows].sort((a, b) => saving(b) - saving(a) || Number(b.currentMonthlyCostUsd ?? 0) - Number(a.currentMonthlyCostUsd ?? 0));
      console.log(
        table(
          sorted.map((w) => {
            const pending = w.pendingEvaluation && !w.candidate ? w.pendingEvaluation : null;
            const savesNow = Number(w.monthlySavingsUsd ?? 0) > 0 || !pending;
            return [
              String(w.workload ?? w.slug ?? '?'),
              String(w.recommendation ?? '—') + (pending ? ' (evaluate)' : ''),
              String(w.candidate?.modelId ?? pending?.modelId ?? ''),
              w.currentMonthlyCostUsd !== undefined ? fmtUsd(w.currentMonthlyCostUsd) : '—',
              savesNow ? (w.monthlySavingsUsd !== undefined ? fmtUsd(w.monthlySavingsUsd) : '—') : `${fmtUsd(pending.monthlySavingsUsd)} if it passes`,
              typeof w.breakEvenMonths === 'number' ? w.breakEvenMonths.toFixed(1) : '—',
            ];
          }),
          ['workload', 'recommendation', 'candidate', 'now/month', 'saves/month', 'break-even (months)'],
        ),
      );
      const phases = (Array.isArray(root?.phases) ? root.phases : []) as { id?: string; title?: string; monthlySavingsUsd?: unknown }[];
      for (const ph of phases) if (Number(ph.monthlySavingsUsd) > 0) console.log(`    ${ph.title ?? ph.id}: saves ${fmtUsd(ph.monthlySavingsUsd)}/month`);
      const net = root?.cumulativeSavings?.totalNetSavingsUsd;
      if (net !== undefined) console.log(`    net savings over the plan's horizon: ${fmtUsd(net)}`);
    } else console.log(`\nPlan: ${JSON.stringify(p.body).slice(0, 300)}`);
  } else if (p.status !== 404) console.log(`\n! GET /v1/plan: ${errorText(p)}`);
}

/**
 * `npm run demo`: migrate, start the whole product (API and workers in one
 * process), make sure the demo organisation exists, fill it with six months of
 * generated usage, prices, budgets, annotations and evaluations (all through
 * the public API, like any client), print where to look, and keep serving.
 * Safe to re-run: events have deterministic ids (re-sent ones are duplicates)
 * and everything else is created only when missing.
 *
 * DEMO_SCALE (default 1) scales the volume; DEMO_NO_SERVE=1 exits after the summary.
 */
async function main(): Promise<void> {
  const started = Date.now();
  const scale = process.env.DEMO_SCALE ? Number(process.env.DEMO_SCALE) : 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`DEMO_SCALE must be a positive number, got ${process.env.DEMO_SCALE}`);
  const serve = !['1', 'true', 'yes'].includes((process.env.DEMO_NO_SERVE ?? '').toLowerCase());

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
  const created = await call(base, 'POST', '/v1/api-keys', { name: `demo key ${new Date().toISOString()}`, scopes: ['admin'] }, token);
  if (created.status !== 201 && created.status !== 200) throw new Error(`demo API key failed: ${errorText(created)}`);
  const key = created.body.key as string;
  const phases: [string, number][] = [['start', Date.now() - started]];
  let mark = Date.now();
  const phase = (name: string) => {
    phases.push([name, Date.now() - mark]);
    mark = Date.now();
  };

  // The same anchor as the stored events (if any) regenerates them identically: a re-run sends duplicates, not conflicts.
  const end = new Date();
  const previous = await storedAnchor(base, key);
  const anchor = previous ?? new Date(Math.floor(end.getTime() / HOUR_MS) * HOUR_MS);
  const options: DemoOptions = { seed: DEMO_SEED, end, anchor, months: DEMO_MONTHS, scale };
  const from = demoStart(end, DEMO_MONTHS);
  console.log(`• usage events: ${DEMO_MONTHS} months (${from.toISOString().slice(0, 10)} to ${end.toISOString().slice(0, 10)}), ${DEMO_WORKLOADS.length} workloads, scale ${scale}${previous ? `, story anchored at ${anchor.toISOString()} (from the stored events)` : ''}`);
  const totals = await ingest(base, key, options);
  if (totals.conflicts) console.log('  note: conflicts are ids already stored with other content (e.g. sent with another DEMO_SCALE); the stored events were kept');
  phase('ingest');

  console.log('• self-hosted model price');
  await priceSelfHosted(base, key, new Date(Math.floor(demoStart(anchor, DEMO_MONTHS).getTime() / DAY_MS) * DAY_MS), new Date(end.getTime() + 1000));
  phase('reprice');

  console.log('• rollups');
  await waitForRollups(base, key);
  phase('rollups');

  console.log('• budgets');
  await ensureBudgets(base, key);
  console.log('• workload annotations and evaluations');
  await annotateAndEvaluate(base, key);
  await printSummary(base, key);
  phase('summary');

  console.log(`\nDemo ready in ${fmtSecs(Date.now() - started)} (${phases.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)} s`).join(', ')}).`);
  const publicUrl = config.http.publicUrl;
  const dashboard = await call(base, 'GET', '/app');
  console.log(`
Crossover is running (API and workers) at ${publicUrl}
  API docs     ${publicUrl}/docs
  Dashboard    ${publicUrl}/app${dashboard.status >= 400 ? '   (not in this build yet)' : ''}
  Health       ${publicUrl}/health/ready
  Demo login   ${DEMO_EMAIL} / ${DEMO_PASSWORD}
  API key      ${key}   (admin scope; try: curl -H "Authorization: Bearer ${key}" ${publicUrl}/v1/reports/summary)`);

  if (totals.rejected > 0) console.log(`\n! ${fmtInt(totals.rejected)} events were rejected (see above).`);
  if (!serve) {
    await app.close();
    process.exit(totals.rejected > 0 ? 1 : 0);
  }
  console.log('Press Ctrl+C to stop.');
  const stop = async () => {
    await app.close();
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

#!/usr/bin/env node
// @ts-check
// bench/single-events: one event per POST /v1/events (what a service sends
// after each LLM call), at a constant arrival rate, then past capacity, then
// as fast as a closed loop can go. Issue 14's goals are printed beside the
// figures; nothing about timing is asserted.
//
//   npm run build && node bench/single-events.mjs
//   BENCH_SECONDS=10 node bench/single-events.mjs
//   BENCH_URL=http://127.0.0.1:3000 BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/crossover \
//     BENCH_SERVER_PID=12345 node bench/single-events.mjs
//
// Environment (all optional):
//   BENCH_RATE=500              steady phase: requests/s offered (open loop)
//   BENCH_SECONDS=20            steady phase: seconds (0 skips the phase)
//   BENCH_WARMUP_RATE=100       warm-up: requests/s (not reported, but checked for loss)
//   BENCH_WARMUP_SECONDS=5      warm-up: seconds (0 skips it)
//   BENCH_OVERLOAD_RATE=3000    overload phase: requests/s offered (open loop)
//   BENCH_OVERLOAD_SECONDS=10   overload phase: seconds (0 skips it)
//   BENCH_CLOSED_CONCURRENCY=32 max-throughput phase: requests in flight (closed loop)
//   BENCH_CLOSED_SECONDS=10     max-throughput phase: seconds (0 skips it)
//   BENCH_SOCKETS=256           keep-alive connections the open loop may open
//   BENCH_TIMEOUT_MS=30000      a request not answered this long after it was due counts as a timeout
//   BENCH_URL                   measure a running server instead of starting dist/main.js
//   BENCH_SERVER_PID            with BENCH_URL: that server's pid, for its CPU and RSS
//   BENCH_DATABASE_URL          the server's database (default .../crossover_bench); with BENCH_URL the
//                               loss check and the postgres CPU need it
//   BENCH_METRICS_TOKEN         Bearer token for GET /metrics, if the server has METRICS_TOKEN
//   MAX_INFLIGHT_REQUESTS       passed on to the server the bench starts (its default is 128)
//   BENCH_SETTLE_SECONDS=10     how long the loss check waits for acknowledged events to show up
//   BENCH_JSON=1                adds one JSON line with every figure
//   BENCH_SERVER_LOG=1          echoes the started server's output
//   BENCH_API_WORKERS=N         (or --api-workers=N) start ROLE=api with API_WORKERS=N and one ROLE=worker
//                               apart, instead of one ROLE=all process
//
// Progress goes to stderr, the report to stdout. Exit code: 0 whatever the
// timings, 2 when the loss check finds a mismatch, 1 when the bench could not run.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ensureDatabase, freePort, startTopology, stopTopology, topologyName, waitReady } from './lib/server.mjs';
import { signup } from './lib/api.mjs';
import { cpuMeter, rssOf } from './lib/cpu.mjs';
import { fixed, int, percentile } from './lib/stats.mjs';
import { closedLoop, makeLoadClient, openLoop } from './lib/open-loop.mjs';

// Issue 14's goals for single-event webhooks.
const GOAL_P99_MS = 20; // at 500 requests/s
const GOAL_P99_RATE = 500;
const GOAL_CPU_US = 400; // server CPU per request
const GOAL_RATE = 2_000; // requests/s per API process
const HELD_LIMIT_MS = 10_000; // "never held for tens of seconds": read as no answer slower than 10 s

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (s) => process.stderr.write(`${s}\n`);

const USAGE = `usage: [ENV=value ...] node bench/single-events.mjs

  BENCH_RATE=500 BENCH_SECONDS=20                 steady phase (open loop)
  BENCH_WARMUP_RATE=100 BENCH_WARMUP_SECONDS=5     warm-up (not reported)
  BENCH_OVERLOAD_RATE=3000 BENCH_OVERLOAD_SECONDS=10
  BENCH_CLOSED_CONCURRENCY=32 BENCH_CLOSED_SECONDS=10
  BENCH_SOCKETS=256 BENCH_TIMEOUT_MS=30000 BENCH_SETTLE_SECONDS=10
  BENCH_URL, BENCH_SERVER_PID, BENCH_DATABASE_URL, BENCH_METRICS_TOKEN, MAX_INFLIGHT_REQUESTS
  BENCH_JSON=1, BENCH_SERVER_LOG=1
  BENCH_API_WORKERS=N (or --api-workers=N): ROLE=api with API_WORKERS=N plus one ROLE=worker, not one ROLE=all
A phase with 0 seconds is skipped. See bench/README.md.`;

function num(name, fallback, { min = 0, max = Number.MAX_SAFE_INTEGER, integer = true } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(String(raw).replace(/[_,]/g, ''));
  if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) throw new Error(`${name} must be a number from ${min} to ${max} (got ${raw})`);
  return v;
}
const flag = (name) => /^(1|true|yes|on)$/i.test(process.env[name] ?? '');

function loadSettings() {
  const url = (process.env.BENCH_URL ?? '').replace(/\/+$/, '') || null;
  const arg = process.argv.find((a) => a.startsWith('--api-workers='));
  if (arg) process.env.BENCH_API_WORKERS = arg.slice('--api-workers='.length);
  // Unset: one ROLE=all process, as before. N: ROLE=api with API_WORKERS=N, and one ROLE=worker apart.
  const apiWorkers = num('BENCH_API_WORKERS', null, { min: 1, max: 64 });
  if (apiWorkers !== null && url) throw new Error('BENCH_API_WORKERS (--api-workers) chooses how the bench starts the server; it cannot apply to BENCH_URL');
  return {
    apiWorkers,
    warmup: { rate: num('BENCH_WARMUP_RATE', 100, { min: 1, integer: false }), seconds: num('BENCH_WARMUP_SECONDS', 5, { integer: false }) },
    steady: { rate: num('BENCH_RATE', 500, { min: 1, integer: false }), seconds: num('BENCH_SECONDS', 20, { integer: false }) },
    overload: { rate: num('BENCH_OVERLOAD_RATE', 3_000, { min: 1, integer: false }), seconds: num('BENCH_OVERLOAD_SECONDS', 10, { integer: false }) },
    closed: { concurrency: num('BENCH_CLOSED_CONCURRENCY', 32, { min: 1, max: 4096 }), seconds: num('BENCH_CLOSED_SECONDS', 10, { integer: false }) },
    sockets: num('BENCH_SOCKETS', 256, { min: 1, max: 65_536 }),
    timeoutMs: num('BENCH_TIMEOUT_MS', 30_000, { min: 100 }),
    settleSeconds: num('BENCH_SETTLE_SECONDS', 10),
    url,
    serverPid: url ? num('BENCH_SERVER_PID', null, { min: 1 }) : null,
    databaseUrl: process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/crossover_bench',
    databaseGiven: !!process.env.BENCH_DATABASE_URL,
    metricsToken: process.env.BENCH_METRICS_TOKEN || null,
    maxInflight: url ? null : process.env.MAX_INFLIGHT_REQUESTS || '128 (server default)',
    json: flag('BENCH_JSON'),
    serverLog: flag('BENCH_SERVER_LOG'),
  };
}

function machine() {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model?.trim() ?? 'unknown', memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10, os: `${os.platform()} ${os.release()}`, node: process.version };
}

// ---------------------------------------------------------------- payloads

const MODELS = [
  ['openai', 'gpt-4o-mini'],
  ['openai', 'gpt-4o'],
  ['anthropic', 'claude-sonnet-4-5'],
  ['google', 'gemini-2.5-flash'],
];
const WORKLOADS = ['support-chat', 'rag-answer', 'ticket-triage', 'code-review', 'email-draft', 'search-rerank'];

/**
 * The body a service posts right after one LLM call: its own unique id, the
 * time of the call (now), the model, token usage and latency. Built at send
 * time (a few µs of client CPU) so that the timestamp is current.
 */
function eventBody(id, i) {
  const [provider, model] = MODELS[i % MODELS.length];
  const inputTokens = 200 + ((i * 7919) % 6_000);
  const outputTokens = 20 + ((i * 104_729) % 900);
  const event = {
    id,
    timestamp: new Date().toISOString(),
    provider,
    model,
    workload: WORKLOADS[i % WORKLOADS.length],
    environment: 'production',
    usage: { inputTokens, outputTokens, cachedInputTokens: i % 3 === 0 ? Math.floor(inputTokens / 2) : 0 },
    latencyMs: 300 + ((i * 31) % 4_000),
    status: 'ok',
    tags: { team: i % 2 ? 'growth' : 'support' },
  };
  if (i % 4) event.project = 'web';
  return Buffer.from(JSON.stringify(event));
}

// ---------------------------------------------------------------- server-side samplers

/** Every 200 ms: the server's RSS and the client's own queue of requests waiting for a socket; peaks kept. */
function sampler(pid, load) {
  const s = { rssStart: rssOf(pid), rssPeak: null, queuePeak: 0 };
  const take = () => {
    const rss = rssOf(pid);
    if (rss !== null && (s.rssPeak === null || rss > s.rssPeak)) s.rssPeak = rss;
    s.queuePeak = Math.max(s.queuePeak, load.queued());
  };
  take();
  const timer = setInterval(take, 200);
  return {
    stop() {
      clearInterval(timer);
      take();
      s.rssEnd = rssOf(pid);
      return s;
    },
  };
}

/** Sum of a metric's samples in a Prometheus text exposition (null when absent or not served). */
async function scrape(baseUrl, token) {
  try {
    const res = await fetch(`${baseUrl}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(10_000) });
    if (res.status !== 200) return { error: `HTTP ${res.status}` };
    const text = await res.text();
    const read = (name) => {
      let sum = null;
      for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+(\\S+)`, 'gm'))) sum = (sum ?? 0) + Number(m[1]);
      return sum;
    };
    return { shed: read('crossover_http_shed_requests'), inflight: read('crossover_http_inflight_requests') };
  } catch (e) {
    return { error: /** @type {any} */ (e).cause?.code ?? (e instanceof Error ? e.message : String(e)) };
  }
}

// ---------------------------------------------------------------- phases

/**
 * Runs one phase and sums it up. Every answered 2xx with `accepted: 1` adds
 * its event id to `acked`; ids of requests answered otherwise go to
 * `refused` (an error status: the event must not be stored) or `unknown`
 * (no answer: it may or may not have been stored).
 */
async function runPhase(name, kind, cfg, ctx) {
  const { load, headers, runId, baseUrl, s } = ctx;
  const before = await scrape(baseUrl, s.metricsToken);
  const sample = sampler(ctx.serverPid, load);
  const meter = cpuMeter(ctx.serverPid, ctx.database, ctx.workerPids);
  const prefix = `${runId}-${name[0]}`;
  const send = (i, due) => {
    const id = `${prefix}${i}`;
    return load.post('/v1/events', eventBody(id, i), headers, due).then((o) => ({ ...o, id }));
  };
  const run = kind === 'open' ? await openLoop({ rate: cfg.rate, seconds: cfg.seconds, send }) : await closedLoop({ concurrency: cfg.concurrency, seconds: cfg.seconds, send });
  const cpu = meter.stop();
  const samples = sample.stop();
  const after = await scrape(baseUrl, s.metricsToken);

  const p = {
    name,
    kind,
    offeredRate: kind === 'open' ? cfg.rate : null,
    concurrency: kind === 'closed' ? cfg.concurrency : null,
    sendSeconds: run.sendSeconds,
    seconds: run.seconds,
    requests: run.outcomes.length,
    ok: 0,
    okAccepted: 0,
    okNotAccepted: 0,
    s503: 0,
    s503Overloaded: 0,
    s503RetryAfter: 0,
    s429: 0,
    other: 0,
    otherStatuses: {},
    clientErrors: 0,
    timeouts: 0,
    /** @type {Record<string, number>} */
    errorKinds: {},
    /** @type {number[]} */
    lat2xx: [],
    /** @type {number[]} */
    lat503: [],
    /** @type {number[]} */
    wire2xx: [],
    /** @type {number[]} */
    wire503: [],
    /** @type {number[]} */
    lagMs: [],
  };
  for (const o of run.outcomes) {
    p.lagMs.push(o.lagMs);
    if (o.status === null) {
      if (o.error === 'timeout') p.timeouts++;
      else p.clientErrors++;
      p.errorKinds[o.error] = (p.errorKinds[o.error] ?? 0) + 1;
      ctx.unknown.add(o.id);
    } else if (o.status >= 200 && o.status < 300) {
      p.ok++;
      p.lat2xx.push(o.ms);
      if (o.wireMs !== null) p.wire2xx.push(o.wireMs);
      if (o.json?.accepted === 1) {
        p.okAccepted++;
        ctx.acked.add(o.id);
      } else {
        // A 2xx that did not accept its one event (duplicate, conflict, rejected): the payload is wrong.
        p.okNotAccepted++;
        ctx.unknown.add(o.id);
        if (!ctx.firstNotAccepted) ctx.firstNotAccepted = JSON.stringify(o.json).slice(0, 300);
      }
    } else {
      ctx.refused.add(o.id);
      if (o.status === 503) {
        p.s503++;
        p.lat503.push(o.ms);
        if (o.wireMs !== null) p.wire503.push(o.wireMs);
        if (o.json?.error?.code === 'overloaded') p.s503Overloaded++;
        if (o.retryAfter !== null) p.s503RetryAfter++;
      } else if (o.status === 429) p.s429++;
      else {
        p.other++;
        p.otherStatuses[o.status] = (p.otherStatuses[o.status] ?? 0) + 1;
        if (!ctx.firstOther) ctx.firstOther = `HTTP ${o.status} ${JSON.stringify(o.json)?.slice(0, 300)}`;
      }
    }
  }
  p.answered = p.requests - p.clientErrors - p.timeouts;
  p.cpu = cpu;
  p.rss = samples;
  p.shed = before.shed != null && after.shed != null ? after.shed - before.shed : null;
  p.metricsError = before.error ?? after.error ?? null;
  return p;
}

// ---------------------------------------------------------------- report

const MiB = (b) => (b === null || b === undefined ? 'n/a' : `${int(b / 2 ** 20)} MiB`);
function lat(x) {
  if (x === null || x === undefined) return 'n/a';
  if (x < 10) return `${x.toFixed(2)} ms`;
  if (x < 100) return `${x.toFixed(1)} ms`;
  return `${int(x)} ms`;
}
const latLine = (v) => (v.length ? `p50 ${lat(percentile(v, 50))}  p90 ${lat(percentile(v, 90))}  p99 ${lat(percentile(v, 99))}  max ${lat(percentile(v, 100))}  (n=${int(v.length)})` : 'none');
const perReq = (secs, n) => (secs === null || secs === undefined || !n ? null : (secs / n) * 1e6);
const us = (x) => (x === null ? 'n/a' : `${int(x)} µs`);

function phaseLines(p, m) {
  const head =
    p.kind === 'open'
      ? `${p.name}: open loop, offered ${int(p.offeredRate)} req/s for ${fixed(p.sendSeconds, 1)} s (${int(p.requests)} requests scheduled)`
      : `${p.name}: closed loop, ${p.concurrency} in flight for ${fixed(p.sendSeconds, 1)} s (${int(p.requests)} requests sent)`;
  const statuses = [
    `2xx ${int(p.ok)}${p.okNotAccepted ? ` (${int(p.okNotAccepted)} not accepted:1)` : ''}`,
    `503 ${int(p.s503)}`,
    `429 ${int(p.s429)}`,
    `other ${int(p.other)}${p.other ? ` ${JSON.stringify(p.otherStatuses)}` : ''}`,
    `client errors ${int(p.clientErrors)}${p.clientErrors ? ` ${JSON.stringify(p.errorKinds)}` : ''}`,
    `timeouts ${int(p.timeouts)}`,
  ].join(', ');
  const lines = [
    head,
    `  achieved        ${int(p.ok / p.sendSeconds)} 2xx/s, ${int(p.answered / p.sendSeconds)} answers/s over the ${fixed(p.sendSeconds, 1)} s of sending (last answer after ${fixed(p.seconds, 2)} s)`,
    `  answers         ${statuses}`,
    `  2xx latency     ${latLine(p.lat2xx)}`,
    `  503 latency     ${latLine(p.lat503)}${p.s503 ? `; ${int(p.s503Overloaded)} with code "overloaded", ${int(p.s503RetryAfter)} with Retry-After` : ''}`,
  ];
  if (p.cpu) {
    const cores = (x) => (x === null ? 'n/a' : `${fixed(x / p.seconds, 2)} cores`);
    // Whatever the three parts do not explain ran elsewhere (Redis, postgres background work, someone's test
    // suite); past a quarter of a core the phase's figures are not worth much.
    const parts = [p.cpu.server, p.cpu.postgres, p.cpu.client, ...(p.cpu.worker === null ? [] : [p.cpu.worker])];
    const rest = p.cpu.machine === null || parts.includes(null) ? null : Math.max(0, p.cpu.machine - parts.reduce((a, b) => a + b, 0));
    const busyElsewhere = rest !== null && rest / p.seconds > 0.25;
    // With a separate ROLE=worker, "server" is the API processes alone (the rollups run in the worker).
    const worker = p.cpu.worker === null ? '' : `, worker ${cores(p.cpu.worker)} (${us(perReq(p.cpu.worker, p.answered))} per answer)`;
    lines.push(
      `  CPU             server ${cores(p.cpu.server)}${worker}, postgres backends ${cores(p.cpu.postgres)}, bench client ${cores(p.cpu.client)}, everything else ${cores(rest)}; machine busy ${cores(p.cpu.machine)} of ${m.cpus}${busyElsewhere ? '  (NOT QUIET: something else took CPU)' : ''}`,
      `  CPU per request server ${us(perReq(p.cpu.server, p.answered))} per answer${p.ok !== p.answered ? ` (${us(perReq(p.cpu.server, p.ok))} per 2xx)` : ''}, postgres ${us(perReq(p.cpu.postgres, p.answered))} per answer`,
    );
  } else lines.push('  CPU             n/a (Linux only)');
  lines.push(
    `  server RSS      peak ${MiB(p.rss.rssPeak)} (at start ${MiB(p.rss.rssStart)}, at end ${MiB(p.rss.rssEnd)})`,
    `  shed (/metrics) ${p.shed === null ? `n/a${p.metricsError ? ` (${p.metricsError})` : ''}` : int(p.shed)}`,
    `  client          send lag p99 ${lat(percentile(p.lagMs, 99))} (max ${lat(percentile(p.lagMs, 100))}); requests waiting for a socket, peak ${int(p.rss.queuePeak)}`,
    `  on a socket     (latency without the wait for a free connection) 2xx p50 ${lat(percentile(p.wire2xx, 50))} p99 ${lat(percentile(p.wire2xx, 99))}; 503 p50 ${lat(percentile(p.wire503, 50))} p99 ${lat(percentile(p.wire503, 99))}`,
    '',
  );
  return lines;
}

/** "met", or how far off: "1.53x over" for an upper bound, "0.23x of it" for a lower bound. */
const upper = (value, goal) => (value === null ? 'n/a' : value <= goal ? 'met' : `${fixed(value / goal, 2)}x over`);
const lower = (value, goal) => (value === null ? 'n/a' : value >= goal ? 'met' : `${fixed(value / goal, 2)}x of it`);

function goalLines(phases, s) {
  const lines = ['goals (issue 14)'];
  const steady = phases.find((p) => p.name === 'steady');
  const overload = phases.find((p) => p.name === 'overload');
  const closed = phases.find((p) => p.name === 'closed-loop');
  if (steady) {
    const p99 = percentile(steady.lat2xx, 99);
    const failed = steady.requests - steady.okAccepted;
    const at = steady.offeredRate === GOAL_P99_RATE ? '' : ` (this run offered ${int(steady.offeredRate)}/s, not ${GOAL_P99_RATE}/s)`;
    const verdict = p99 === null ? 'n/a' : p99 < GOAL_P99_MS ? (failed ? `met for the 2xx, but ${int(failed)} of ${int(steady.requests)} requests were not accepted` : 'met') : `${fixed(p99 / GOAL_P99_MS, 2)}x over`;
    lines.push(`  p99 at ${int(steady.offeredRate)}/s: ${lat(p99)} (goal < ${GOAL_P99_MS} ms at ${GOAL_P99_RATE}/s: ${verdict})${at}`);
    const cpu = steady.cpu ? perReq(steady.cpu.server, steady.answered) : null;
    // A 503 costs the server next to nothing, so when many were shed the per-answer figure flatters; show per 2xx too.
    const per2xx = steady.cpu && steady.s503 ? perReq(steady.cpu.server, steady.ok) : null;
    const shedNote = per2xx === null ? '' : `; but ${int(steady.s503)} of the ${int(steady.answered)} answers were cheap 503s: ${us(per2xx)} per 2xx`;
    lines.push(`  CPU per request at ${int(steady.offeredRate)}/s: ${us(cpu)} (goal <= ${GOAL_CPU_US} µs: ${upper(cpu, GOAL_CPU_US)})${shedNote}`);
  }
  if (closed) {
    const rate = closed.ok / closed.sendSeconds;
    const perProcess = s.apiWorkers ?? 1;
    const cpu = closed.cpu ? perReq(closed.cpu.server, closed.answered) : null;
    lines.push(
      `  capacity (closed loop, ${closed.concurrency} in flight): ${int(rate)} req/s${perProcess > 1 ? ` over ${perProcess} API processes, ${int(rate / perProcess)} each` : ''} (goal >= ${int(GOAL_RATE)}/s per API process: ${lower(rate / perProcess, GOAL_RATE)}); CPU per request there ${us(cpu)} (goal <= ${GOAL_CPU_US} µs: ${upper(cpu, GOAL_CPU_US)})${cpu ? `, so one core serves ~${int(1e6 / cpu)} req/s` : ''}`,
    );
  }
  if (overload) {
    const all = [...overload.lat2xx, ...overload.lat503];
    const worst = percentile(all, 100);
    const held = all.filter((x) => x >= HELD_LIMIT_MS).length + overload.timeouts;
    lines.push(
      `  overload at ${int(overload.offeredRate)}/s: ${int(overload.s503)} refused with 503, p99 ${lat(percentile(overload.lat503, 99))}; Retry-After on ${overload.s503 ? `${int(overload.s503RetryAfter)} of ${int(overload.s503)}` : 'n/a'}`,
      `  slowest answer under overload: ${lat(worst)}; ${int(held)} held >= ${HELD_LIMIT_MS / 1000} s or timed out (goal: refused fast, never held for tens of seconds: ${held ? 'not met' : 'met'})`,
    );
  }
  const rss = phases.map((p) => p.rss.rssPeak).filter((x) => x !== null);
  if (rss.length) {
    const first = phases[0].rss.rssStart;
    lines.push(`  RSS: peak ${MiB(Math.max(...rss))} over all phases, ${MiB(first)} before the first (goal: stays bounded; per phase: ${phases.map((p) => `${p.name} ${MiB(p.rss.rssPeak)}`).join(', ')})`);
  }
  lines.push('');
  return lines;
}

// ---------------------------------------------------------------- loss check

/**
 * Compares what the server acknowledged with what is stored. Waits (bounded,
 * polling) until every acknowledged id is there, in case a future ingestion
 * path stores after answering.
 */
async function lossCheck(s, orgId, runId, ctx) {
  const c = new pg.Client({ connectionString: s.databaseUrl });
  await c.connect();
  try {
    // The bench connects as a superuser, which row-level security does not apply to. runId is [a-z0-9] only (no LIKE wildcards).
    const q = () => c.query(`SELECT event_id FROM usage_events WHERE org_id = $1 AND event_id LIKE $2`, [orgId, `${runId}-%`]);
    const deadline = performance.now() + s.settleSeconds * 1000;
    let rows;
    for (;;) {
      rows = (await q()).rows;
      const present = new Set(rows.map((r) => r.event_id));
      let missing = 0;
      for (const id of ctx.acked) if (!present.has(id)) missing++;
      if (!missing || performance.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const stored = rows.map((r) => r.event_id);
    const present = new Set(stored);
    const r = { stored: stored.length, distinct: present.size, acked: ctx.acked.size, lost: 0, refusedButStored: 0, unknownStored: 0, unexplained: 0 };
    for (const id of ctx.acked) if (!present.has(id)) r.lost++;
    for (const id of present) {
      if (ctx.acked.has(id)) continue;
      if (ctx.refused.has(id)) r.refusedButStored++;
      else if (ctx.unknown.has(id)) r.unknownStored++;
      else r.unexplained++;
    }
    r.unknown = ctx.unknown.size;
    r.ok = r.lost === 0 && r.stored === r.distinct && r.refusedButStored === 0 && r.unexplained === 0 && (r.stored === r.acked || r.unknownStored === r.stored - r.acked);
    return r;
  } finally {
    await c.end();
  }
}

function checkLine(r, runId) {
  if (!r) return `check: SKIPPED (with BENCH_URL, set BENCH_DATABASE_URL to the server's database to check that nothing acknowledged was lost)`;
  const detail = `lost ${int(r.lost)}, stored twice ${int(r.stored - r.distinct)}, stored although refused ${int(r.refusedButStored)}, stored without any answer ${int(r.unknownStored)} of ${int(r.unknown)}, stored but never sent ${int(r.unexplained)}`;
  return r.ok
    ? `check: OK: ${int(r.stored)} events stored with id prefix ${runId}- ${r.stored === r.acked ? '=' : 'vs'} ${int(r.acked)} answers 2xx with accepted:1 (${detail})`
    : `check: MISMATCH: ${int(r.stored)} events stored with id prefix ${runId}- (${int(r.distinct)} distinct) but ${int(r.acked)} answers 2xx with accepted:1 (${detail})`;
}

// ---------------------------------------------------------------- main

async function main() {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const s = loadSettings();
  const m = machine();
  if (!s.url && !existsSync(path.join(repoRoot, 'dist', 'main.js'))) {
    say(`dist/main.js not found. This bench runs the built server and builds nothing: run \`npm run build\` first (or set BENCH_URL).`);
    return 1;
  }
  let stack = null;
  let load = null;
  const cleanup = async () => {
    load?.close();
    await stopTopology(stack).catch(() => {});
  };
  process.once('SIGINT', () => {
    say('interrupted; stopping');
    cleanup().finally(() => process.exit(130));
  });

  try {
    let baseUrl = s.url;
    if (!baseUrl) {
      if (await ensureDatabase(s.databaseUrl)) say(`created database ${new URL(s.databaseUrl).pathname.slice(1)}`);
      const port = await freePort();
      baseUrl = `http://127.0.0.1:${port}`;
      say(`starting node dist/main.js on port ${port} (${topologyName(s.apiWorkers)}, rate limits lifted, MAX_INFLIGHT_REQUESTS ${s.maxInflight})...`);
      stack = await startTopology({ repoRoot, port, databaseUrl: s.databaseUrl, echoLog: s.serverLog, apiWorkers: s.apiWorkers });
    } else await waitReady(baseUrl, null);
    say(`server ready at ${baseUrl}`);

    const { orgId, apiKey } = await signup(baseUrl, 'single-events');

    load = makeLoadClient(baseUrl, { sockets: s.sockets, timeoutMs: s.timeoutMs });
    const runId = `se${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const ctx = {
      s,
      load,
      baseUrl,
      runId,
      headers: { authorization: `Bearer ${apiKey}` },
      // The API's processes (a cluster primary and its forks when API_WORKERS > 1), read at each sample.
      serverPid: stack?.api.pids ?? s.serverPid,
      workerPids: stack?.worker?.pids ?? null,
      database: s.url && !s.databaseGiven ? null : decodeURIComponent(new URL(s.databaseUrl).pathname.slice(1)),
      acked: new Set(),
      refused: new Set(),
      unknown: new Set(),
    };

    const plan = /** @type {[string, 'open' | 'closed', any][]} */ ([
      ['warm-up', 'open', s.warmup],
      ['steady', 'open', s.steady],
      ['overload', 'open', s.overload],
      ['closed-loop', 'closed', s.closed],
    ]).filter(([, , cfg]) => cfg.seconds > 0);
    const phases = [];
    for (const [name, kind, cfg] of plan) {
      say(kind === 'open' ? `${name}: ${int(cfg.rate)} req/s for ${cfg.seconds} s...` : `${name}: ${cfg.concurrency} in flight for ${cfg.seconds} s...`);
      const p = await runPhase(name, kind, cfg, ctx);
      say(`${name}: ${int(p.ok)} 2xx, ${int(p.s503)} 503, ${int(p.requests - p.ok - p.s503)} other of ${int(p.requests)}`);
      if (name !== 'warm-up') phases.push(p);
    }

    const check = s.url && !s.databaseGiven ? null : await lossCheck(s, orgId, runId, ctx);

    const lines = [
      '',
      `machine: ${m.cpus} CPU (${m.cpuModel}), ${m.memGiB} GiB, ${m.os}, node ${m.node}`,
      `  the bench client, the server (${s.url ? 'as given' : topologyName(s.apiWorkers)}), PostgreSQL and Redis all share these ${m.cpus} CPUs`,
      `settings: server ${s.url ?? `started by the bench (${topologyName(s.apiWorkers)}, LOG_LEVEL=warn, MAX_INFLIGHT_REQUESTS ${s.maxInflight} per API process)`}; ${s.sockets} sockets; timeout ${int(s.timeoutMs)} ms after the due time; warm-up ${int(s.warmup.rate)}/s for ${s.warmup.seconds} s (not reported)`,
      `  one event per request (POST /v1/events), fresh org, ids ${runId}-*; open-loop latency runs from each request's due time`,
      '',
      ...phases.flatMap((p) => phaseLines(p, m)),
      ...goalLines(phases, s),
    ];
    if (ctx.firstNotAccepted) lines.push(`first 2xx that did not accept its event: ${ctx.firstNotAccepted}`);
    if (ctx.firstOther) lines.push(`first other status: ${ctx.firstOther}`);
    lines.push(checkLine(check, runId), '');
    process.stdout.write(lines.join('\n'));

    if (s.json) {
      const strip = ({ lat2xx, lat503, wire2xx, wire503, lagMs, ...rest }) => ({
        ...rest,
        lat2xx: { p50: percentile(lat2xx, 50), p90: percentile(lat2xx, 90), p99: percentile(lat2xx, 99), max: percentile(lat2xx, 100) },
        lat503: { p50: percentile(lat503, 50), p90: percentile(lat503, 90), p99: percentile(lat503, 99), max: percentile(lat503, 100) },
        wire2xx: { p50: percentile(wire2xx, 50), p99: percentile(wire2xx, 99) },
        wire503: { p50: percentile(wire503, 50), p99: percentile(wire503, 99) },
        sendLagP99Ms: percentile(lagMs, 99),
        serverCpuUsPerAnswer: rest.cpu ? perReq(rest.cpu.server, rest.answered) : null,
      });
      const settings = { ...s, metricsToken: s.metricsToken ? '(set)' : null };
      process.stdout.write(`${JSON.stringify({ bench: 'single-events', at: new Date().toISOString(), machine: m, settings, phases: phases.map(strip), check })}\n`);
    }
    for (const proc of [stack?.api, stack?.worker]) {
      if (proc && proc.log.length) say(`${proc.role === 'worker' ? 'worker' : 'server'} output (LOG_LEVEL=warn), last 1500 characters:\n${proc.log.join('').slice(-1500)}`);
    }
    return check && !check.ok ? 2 : 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    say(`bench/single-events failed: ${e.stack ?? e}`);
    process.exitCode = 1;
  },
);

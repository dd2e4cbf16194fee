#!/usr/bin/env node
// @ts-check
// bench/decision: GET /v1/budgets/decision (what a gateway asks before each LLM request) at a constant
// arrival rate, open loop, against one org with a few budgets (one hard). Issue 15's goal is printed beside
// the figures: p99 < 5 ms at 1,000 requests/s. Nothing about timing is asserted.
//
//   npm run build && node bench/decision.mjs
//   BENCH_RATE=1000 BENCH_SECONDS=20 node bench/decision.mjs
//
// Environment (all optional):
//   BENCH_RATE=1000            requests/s offered (open loop: latency runs from each request's due time)
//   BENCH_SECONDS=20           seconds of the measured phase
//   BENCH_WARMUP_SECONDS=3     warm-up at the same rate (not reported)
//   BENCH_SOCKETS=64           keep-alive connections
//   BENCH_TIMEOUT_MS=10000     a request not answered this long after it was due counts as a timeout
//   BENCH_URL                  measure a running server instead of starting dist/main.js (its per-key rate
//                              limit, RATE_LIMIT_PER_MINUTE, must allow the rate: 60,000/min at 1,000/s)
//   BENCH_DATABASE_URL         the started server's database (default .../crossover_bench)
//   BENCH_JSON=1               adds one JSON line with every figure
//   BENCH_SERVER_LOG=1         echoes the started server's output
//
// Progress goes to stderr, the report to stdout. Exit code 0 whatever the timings, 1 when the bench could not run.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ensureDatabase, freePort, startTopology, stopTopology } from './lib/server.mjs';
import { apiClient, ok, signup } from './lib/api.mjs';
import { cpuMeter } from './lib/cpu.mjs';
import { fixed, int, percentile } from './lib/stats.mjs';
import { openLoop } from './lib/open-loop.mjs';

const GOAL_P99_MS = 5;
const GOAL_RATE = 1_000;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (s) => process.stderr.write(`${s}\n`);
const num = (name, fallback) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number (got ${raw})`);
  return v;
};

/**
 * A keep-alive GET client; latency from `dueMs` (the open loop's schedule), never rejects. The measured loop's
 * client: raw node:http, not the typed client (bench/lib/api.mjs), whose per-request work would count in the figures.
 */
function makeGetClient(baseUrl, sockets, timeoutMs) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  function get(pathname, headers, dueMs) {
    return new Promise((resolve) => {
      let settled = false;
      const done = (o) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(o);
      };
      const req = http.request({ hostname: url.hostname, port: url.port, path: pathname, method: 'GET', agent, headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          let json = null;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString());
          } catch {
            // counted by status
          }
          done({ status: res.statusCode, ms: performance.now() - dueMs, json });
        });
        res.on('error', (/** @type {NodeJS.ErrnoException} */ e) => done({ status: null, ms: performance.now() - dueMs, error: e.code ?? e.message }));
      });
      const timer = setTimeout(() => {
        done({ status: null, ms: performance.now() - dueMs, error: 'timeout' });
        req.destroy();
      }, Math.max(1, dueMs + timeoutMs - performance.now()));
      req.on('error', (/** @type {NodeJS.ErrnoException} */ e) => done({ status: null, ms: performance.now() - dueMs, error: e.code ?? e.message }));
      req.end();
    });
  }
  return { get, close: () => agent.destroy() };
}

const lat = (x) => (x === null ? 'n/a' : x < 10 ? `${x.toFixed(2)} ms` : `${x.toFixed(1)} ms`);

async function main() {
  const s = {
    rate: num('BENCH_RATE', GOAL_RATE),
    seconds: num('BENCH_SECONDS', 20),
    warmupSeconds: num('BENCH_WARMUP_SECONDS', 3),
    sockets: num('BENCH_SOCKETS', 64),
    timeoutMs: num('BENCH_TIMEOUT_MS', 10_000),
    url: (process.env.BENCH_URL ?? '').replace(/\/+$/, '') || null,
    databaseUrl: process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/crossover_bench',
    json: /^(1|true)$/i.test(process.env.BENCH_JSON ?? ''),
    serverLog: /^(1|true)$/i.test(process.env.BENCH_SERVER_LOG ?? ''),
  };
  let stack = null;
  let baseUrl = s.url;
  try {
    if (!baseUrl) {
      if (await ensureDatabase(s.databaseUrl)) say(`created database ${s.databaseUrl}`);
      const port = await freePort();
      say('starting dist/main.js (ROLE=all) ...');
      stack = await startTopology({ repoRoot, port, databaseUrl: s.databaseUrl, echoLog: s.serverLog });
      baseUrl = `http://127.0.0.1:${port}`;
    }
    const { orgId, apiKey } = await signup(baseUrl, 'decision');
    const admin = apiClient(baseUrl, { key: apiKey });
    const key = await ok(admin.POST('/v1/api-keys', { body: { name: 'gateway', scopes: ['decide'] } }));
    /** @type {import('../src/generated/openapi.js').components['schemas']['CreateBudgetDto'][]} */
    const budgets = [
      { name: 'Org monthly', limitUsd: '50000', thresholds: [80, 100] },
      { name: 'Support chat, hard 24h', scope: { workload: 'support-chat' }, window: '24h', hard: true, limitUsd: '500', thresholds: [100] },
      { name: 'Acme monthly', scope: { customer: 'acme' }, limitUsd: '2000', thresholds: [100] },
      { name: 'Growth team 7d', scope: { tag: { key: 'team', value: 'growth' } }, window: '7d', limitUsd: '1000', thresholds: [100] },
    ];
    for (const b of budgets) await ok(admin.POST('/v1/budgets', { body: b }));
    // Some usage so the figures are not all zero.
    const events = Array.from({ length: 50 }, (_, i) => ({
      id: `bench-decision-${i}`,
      timestamp: new Date(Date.now() - 60_000).toISOString(),
      provider: 'openai',
      model: 'gpt-4o-mini',
      workload: 'support-chat',
      customer: 'acme',
      tags: { team: 'growth' },
      usage: { inputTokens: 10_000, outputTokens: 500 },
    }));
    await ok(admin.POST('/v1/events', { body: { events } }));

    const headers = { authorization: `Bearer ${key.key}` };
    // What a gateway sends: the three budgets of this request's scope apply (and the org-wide one).
    const query = { workload: 'support-chat', customer: 'acme', tags: 'team:growth' };
    const first = await ok(apiClient(baseUrl, { key: key.key }).GET('/v1/budgets/decision', { params: { query } }));
    say(`decision answers: allow=${first.allow}, ${first.budgets.length} budgets, source=${first.source}`);
    const pathname = `/v1/budgets/decision?${new URLSearchParams(query)}`;
    const client = makeGetClient(baseUrl, s.sockets, s.timeoutMs);

    if (s.warmupSeconds > 0) {
      say(`warm-up: ${s.rate} req/s for ${s.warmupSeconds} s`);
      await openLoop({ rate: s.rate, seconds: s.warmupSeconds, send: (_i, due) => client.get(pathname, headers, due) });
    }
    say(`measuring: ${s.rate} req/s for ${s.seconds} s (open loop)`);
    const meter = stack ? cpuMeter(stack.api.pid, null, null) : null;
    const run = await openLoop({ rate: s.rate, seconds: s.seconds, send: (_i, due) => client.get(pathname, headers, due) });
    const cpu = meter ? meter.stop() : null;
    client.close();

    const answered = run.outcomes.filter((o) => o.status === 200);
    const lats = answered.map((o) => o.ms);
    const statuses = {};
    for (const o of run.outcomes) statuses[o.status ?? o.error] = (statuses[o.status ?? o.error] ?? 0) + 1;
    const sources = {};
    for (const o of answered) sources[o.json?.source] = (sources[o.json?.source] ?? 0) + 1;
    const p = (q) => percentile(lats, q);
    const cpus = os.cpus();
    const lines = [
      `bench/decision: GET ${pathname}`,
      `machine: ${cpus.length} × ${cpus[0]?.model?.trim()}, node ${process.version}; server: ${s.url ?? 'dist/main.js ROLE=all, one process'} (the load generator shares the machine)`,
      `budgets: ${budgets.length} in the org (1 hard), ${first.budgets.length} apply to the request`,
      `offered ${int(s.rate)} req/s for ${s.seconds} s: ${int(run.outcomes.length)} requests, answered 200: ${int(answered.length)}, achieved ${fixed(answered.length / run.seconds, 0)} req/s`,
      `statuses: ${JSON.stringify(statuses)}; sources: ${JSON.stringify(sources)}`,
      `latency (from due time): p50 ${lat(p(50))}  p90 ${lat(p(90))}  p99 ${lat(p(99))}  max ${lat(p(100))}`,
      cpu?.server ? `server CPU per request: ${int((cpu.server / run.outcomes.length) * 1e6)} µs` : null,
      `goal p99 < ${GOAL_P99_MS} ms at ${int(GOAL_RATE)} req/s: p99 / goal = ${p(99) === null ? 'n/a' : fixed(p(99) / GOAL_P99_MS, 2)} (${p(99) !== null && p(99) < GOAL_P99_MS && s.rate >= GOAL_RATE ? 'met' : 'not met'})`,
      '',
    ].filter((x) => x !== null);
    process.stdout.write(lines.join('\n'));
    if (s.json) {
      process.stdout.write(`${JSON.stringify({ bench: 'decision', at: new Date().toISOString(), orgId, settings: s, requests: run.outcomes.length, ok: answered.length, seconds: run.seconds, statuses, sources, p50: p(50), p90: p(90), p99: p(99), max: p(100), goalRatio: p(99) === null ? null : p(99) / GOAL_P99_MS })}\n`);
    }
    return 0;
  } finally {
    if (stack) {
      if (s.serverLog || stack.api.log.length) say(`server output (LOG_LEVEL=warn), last 1000 characters:\n${stack.api.log.join('').slice(-1000)}`);
      await stopTopology(stack);
    }
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    say(`bench/decision failed: ${e.stack ?? e}`);
    process.exitCode = 1;
  },
);

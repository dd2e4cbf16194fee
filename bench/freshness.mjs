#!/usr/bin/env node
// @ts-check
// Freshness benchmark: a steady RATE events/s (default 1,000) for SECONDS
// (default 60) posted through POST /v1/events in batches of BATCH (default
// 100, i.e. one batch every 100 ms). Once a second one event of the batch is
// a probe with its own workload slug; the probe's report is polled
// (GET /v1/reports/spend?granularity=hour&workload=<slug>) every POLL_MS
// (default 100) until its request shows up. Freshness delay = from the
// moment its POST was sent to the first report response that counts it.
//
//   node bench/freshness.mjs
//   SECONDS=15 node bench/freshness.mjs        # quick check
//   RATE=2000 BATCH=200 SECONDS=120 node bench/freshness.mjs
//   PREFILL=1800000 SECONDS=30 node bench/freshness.mjs   # as if 30 min into an hour at 1,000 ev/s
//   KEEP=1 keeps the bench database; BENCH_JSON=1 prints one JSON line at the end.
//
// The rollup job recomputes a whole (org, hour) from the raw events, so its
// cost grows with the events already in the hour: a short run on a fresh
// database only sees the start of an hour. PREFILL COPYs that many events
// into every hour the load will touch (and rolls them up) before it starts.
//
// Prints figures beside the goal (p95 < 5 s); never asserts timings.
import pg from 'pg';
import {
  benchResources,
  appLogSummary, clearRedisPrefix, dbUrl, dropDatabase, ensureBuilt, ensureDatabase, envFlag, envInt, fmtInt, fmtMs, line, log, machineInfo,
  now, onInterrupt, percentile, Phases, printMachine, sleep, startApp,
} from './lib/reports-common.mjs';
import { apiClient, ok, signup } from './lib/api.mjs';
import { catalogPrices, copyEvents } from './lib/reports-copy.mjs';

const RATE = envInt('RATE', 1_000);
const SECONDS = envInt('SECONDS', 60);
const BATCH = envInt('BATCH', 100);
const PROBE_EVERY_MS = envInt('PROBE_EVERY_MS', 1_000);
const POLL_MS = envInt('POLL_MS', 100);
const PROBE_TIMEOUT_S = envInt('PROBE_TIMEOUT_S', 60);
const MAX_INFLIGHT = envInt('MAX_INFLIGHT', 64);
/** Events COPYed into each hour the load will write to, before it starts (0: the hour starts empty). */
const PREFILL = process.env.PREFILL && Number(process.env.PREFILL.replace(/_/g, '')) !== 0 ? envInt('PREFILL', 0) : 0;
const DATABASE = process.env.BENCH_DATABASE ?? 'crossover_bench_freshness';
const REDIS_PREFIX = process.env.BENCH_REDIS_PREFIX ?? 'crossover-bench-freshness';
const KEEP = envFlag('KEEP');
const JSON_OUT = envFlag('BENCH_JSON');
const GOAL_P95_MS = 5_000;
const HOUR = 3_600_000;

const phases = new Phases();
const owned = benchResources({ database: DATABASE, redisPrefix: REDIS_PREFIX, keep: KEEP });
const cleanup = (opts) => owned.cleanup(opts);

/**
 * One probe: its workload slug, when it was sent, and the delay until the report counted it (null: never within
 * PROBE_TIMEOUT_S; undefined: still watched).
 * @typedef {{ n: number, slug: string, tsMs: number, sentAt: number, polls: number, pollErrors: number, delay: number | null | undefined, elapsedAtPost: number, lastError: string }} Probe
 */
/** @typedef {import('../src/generated/openapi.js').components['schemas']['UsageEventDoc']} UsageEvent */

const hourStartIso = (ms) => new Date(Math.floor(ms / HOUR) * HOUR).toISOString();
const nextHourIso = (ms) => new Date(Math.floor(ms / HOUR) * HOUR + HOUR).toISOString();
const randInt = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo + 1));

/** Polls the probe's spend report until it counts the probe's request; resolves with the delay or null (timeout). */
async function watchProbe(probe, key) {
  const client = apiClient(owned.app.baseUrl, { key, timeoutMs: 10_000 });
  const query = { from: hourStartIso(probe.tsMs), to: nextHourIso(probe.tsMs), granularity: /** @type {const} */ ('hour'), workload: probe.slug };
  const deadline = probe.sentAt + PROBE_TIMEOUT_S * 1000;
  for (;;) {
    const t = now();
    try {
      const res = await ok(client.GET('/v1/reports/spend', { params: { query } }));
      probe.polls++;
      if (Number(res.totals.requests) >= 1) return now() - probe.sentAt;
    } catch (e) {
      probe.pollErrors++;
      probe.lastError = e instanceof Error ? e.message : String(e);
    }
    if (now() > deadline) return null;
    await sleep(Math.max(0, POLL_MS - (now() - t)));
  }
}

async function runLoad(key) {
  const runTag = Date.now().toString(36);
  const ingest = apiClient(owned.app.baseUrl, { key, timeoutMs: 30_000 });
  const intervalMs = (BATCH / RATE) * 1000;
  const ticks = Math.round((SECONDS * 1000) / intervalMs);
  const postLatencies = [];
  const probes = [];
  const watchers = [];
  let inflight = 0;
  let maxInflight = 0;
  let accepted = 0;
  let rejected = 0;
  let postErrors = 0;
  let lastPostError = '';
  let behindMs = 0;
  let lastDone = 0;
  let probeNo = 0;
  const pending = new Set();
  const t0 = now();
  let nextReport = 10_000;

  for (let k = 0; k < ticks; k++) {
    const due = t0 + k * intervalMs;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    else behindMs = Math.max(behindMs, -wait);
    while (inflight >= MAX_INFLIGHT) await Promise.race(pending);

    const sentAtWall = Date.now();
    const ts = new Date(sentAtWall).toISOString();
    /** @type {Probe | null} */
    let probe = null;
    if (now() - t0 >= probeNo * PROBE_EVERY_MS) {
      probe = { n: probeNo, slug: `probe-${runTag}-${probeNo}`, tsMs: sentAtWall, sentAt: 0, polls: 0, pollErrors: 0, delay: undefined, elapsedAtPost: 0, lastError: '' };
      probeNo++;
    }
    /** @type {UsageEvent[]} */
    const events = [];
    for (let j = 0; j < BATCH; j++) {
      events.push({
        id: `fresh-${runTag}-${k}-${j}`,
        timestamp: ts,
        provider: 'openai',
        model: 'gpt-4o',
        workload: probe && j === 0 ? probe.slug : `fresh-${(k * BATCH + j) % 10}`,
        usage: { inputTokens: randInt(100, 2_000), outputTokens: randInt(20, 500) },
      });
    }
    const sentAt = now();
    if (probe) {
      probe.sentAt = sentAt;
      probe.elapsedAtPost = sentAt - t0;
      probes.push(probe);
    }
    inflight++;
    maxInflight = Math.max(maxInflight, inflight);
    // The load itself through the typed client too: a batch every BATCH/RATE seconds (100 ms by default), where
    // building a Request costs microseconds; the bench measures how long the reports take to count it.
    const p = ok(ingest.POST('/v1/events', { body: { events } }))
      .then((res) => {
        postLatencies.push(now() - sentAt);
        accepted += res.accepted;
        rejected += res.rejected + res.conflicts;
        if (probe) {
          if (res.results?.[0]?.status !== 'accepted') {
            probe.delay = null;
            probe.lastError = `probe not accepted: ${JSON.stringify(res.results?.[0])}`;
          } else {
            watchers.push(watchProbe(probe, key).then((d) => (probe.delay = d)));
          }
        }
      })
      .catch((e) => {
        postErrors++;
        lastPostError = e.message;
        if (probe) probe.delay = null;
      })
      .finally(() => {
        inflight--;
        lastDone = now();
        pending.delete(p);
      });
    pending.add(p);

    const elapsed = now() - t0;
    if (elapsed >= nextReport) {
      const seen = probes.flatMap((x) => (typeof x.delay === 'number' ? [x.delay] : []));
      log(
        `  ${(elapsed / 1000).toFixed(0).padStart(4)} s  ${fmtInt(accepted).padStart(9)} accepted  ${fmtInt((accepted / elapsed) * 1000).padStart(6)} ev/s  ` +
          `probes seen ${seen.length}/${probes.length}${seen.length ? `, p50 ${fmtMs(percentile(seen, 0.5))}, max ${fmtMs(Math.max(...seen))}` : ''}`,
      );
      nextReport += 10_000;
    }
  }
  await Promise.all(pending);
  // The schedule spans ticks × interval; the last batch's answer may come later.
  const loadMs = Math.max(lastDone - t0, ticks * intervalMs);
  log(`  load done: ${fmtInt(accepted)} accepted in ${fmtMs(loadMs)}; waiting for ${probes.filter((x) => x.delay === undefined).length} probe(s)…`);
  await Promise.all(watchers);
  return { runTag, ticks, loadMs, accepted, rejected, postErrors, lastPostError, postLatencies, probes, maxInflight, behindMs, t0Wall: Date.now() - (now() - t0) };
}

/** After the load: how long until the report counts every stored request in the load's hours (the backlog drained). */
async function catchUp(key, orgId, firstWallMs) {
  const fromIso = hourStartIso(firstWallMs);
  const toIso = nextHourIso(Date.now());
  const expected = Number(
    (await owned.db.query(`SELECT coalesce(sum(requests), 0)::text AS n FROM usage_events WHERE org_id = $1 AND ts >= $2 AND ts < $3`, [orgId, fromIso, toIso])).rows[0].n,
  );
  const client = apiClient(owned.app.baseUrl, { key });
  const query = { from: fromIso, to: toIso, granularity: /** @type {const} */ ('hour') };
  const t0 = now();
  let counted = 0;
  while (now() - t0 < PROBE_TIMEOUT_S * 1000) {
    const res = await ok(client.GET('/v1/reports/spend', { params: { query } }));
    counted = Number(res.totals.requests);
    if (counted >= expected) return { ms: now() - t0, counted, expected };
    await sleep(POLL_MS);
  }
  return { ms: null, counted, expected };
}

/** COPYs PREFILL events into each hour the load will touch, marks them dirty and waits for the worker to roll them up. */
async function prefill(orgId) {
  const first = Math.floor(Date.now() / HOUR) * HOUR;
  const last = Math.floor((Date.now() + SECONDS * 1000 + 60_000) / HOUR) * HOUR;
  const { versions, models } = await catalogPrices(owned.db);
  for (let h = first; h <= last; h += HOUR) {
    const r = await copyEvents({ database: DATABASE, orgId, n: PREFILL, fromMs: h, toMs: h + HOUR, seed: 42 + (h / HOUR) % 1000, models, versions });
    log(`  ${new Date(h).toISOString()}: COPY ${fmtInt(r.copied)} events in ${fmtMs(r.ms)}`);
  }
  await owned.db.query('ANALYZE usage_events');
  const t0 = now();
  await owned.db.query(
    `INSERT INTO dirty_buckets (org_id, hour, marked_at) SELECT $1, h, clock_timestamp() FROM generate_series($2::timestamptz, $3::timestamptz, interval '1 hour') h
     ON CONFLICT (org_id, hour) DO NOTHING`,
    [orgId, new Date(first), new Date(last)],
  );
  while ((await owned.db.query(`SELECT count(*)::int AS n FROM dirty_buckets WHERE org_id = $1`, [orgId])).rows[0].n > 0) await sleep(100);
  const ms = now() - t0;
  log(`  rolled up by the worker in ${fmtMs(ms)} (sweeper pickup + one recompute of a ${fmtInt(PREFILL)}-event hour)`);
  return { hours: (last - first) / HOUR + 1, rollupMs: ms };
}

async function main() {
  onInterrupt(() => cleanup({ interrupted: true }));
  log(`Crossover freshness benchmark: ${fmtInt(RATE)} events/s for ${SECONDS} s in batches of ${BATCH} (one every ${((BATCH / RATE) * 1000).toFixed(0)} ms), probe every ${PROBE_EVERY_MS} ms, poll every ${POLL_MS} ms`);
  log(`database ${DATABASE}, Redis prefix ${REDIS_PREFIX}${KEEP ? ', KEEP=1' : ''}`);
  await ensureDatabase(DATABASE);
  const machine = await machineInfo(DATABASE);
  printMachine(machine);

  const built = await phases.run('build (only if dist/ is missing or BUILD=1)', async () => ensureBuilt());
  if (!built) log('  dist/main.js present: not rebuilt');

  const { apiKey, orgId } = await phases.run('start app + sign up', async () => {
    await clearRedisPrefix(REDIS_PREFIX);
    owned.app = await startApp({ database: DATABASE, redisPrefix: REDIS_PREFIX, name: 'crossover-bench-freshness' });
    log(`  app pid ${owned.app.pid} at ${owned.app.baseUrl}, ready in ${fmtMs(owned.app.readyMs)} (log: ${owned.app.logFile})`);
    const s = await signup(owned.app.baseUrl, 'freshness');
    log(`  org ${s.orgId}`);
    return s;
  });

  owned.db = new pg.Client({ connectionString: dbUrl(DATABASE) });
  await owned.db.connect();
  const pre = PREFILL ? await phases.run(`prefill ${fmtInt(PREFILL)} events per hour`, () => prefill(orgId)) : null;

  const load = await phases.run(`steady load ${fmtInt(RATE)} ev/s × ${SECONDS} s with probes`, () => runLoad(apiKey));
  const drain = await phases.run('catch-up: report counts every accepted event', () => catchUp(apiKey, orgId, load.t0Wall));

  const delays = load.probes.map((p) => p.delay).filter((d) => typeof d === 'number');
  const lost = load.probes.filter((p) => typeof p.delay !== 'number');
  const achieved = (load.accepted / load.loadMs) * 1000;
  const p50 = percentile(delays, 0.5);
  const p95 = percentile(delays, 0.95);
  const max = delays.length ? Math.max(...delays) : NaN;

  log('\nResults');
  line('target ingest rate', `${fmtInt(RATE)} events/s`, `(${fmtInt(load.ticks)} batches of ${BATCH})`);
  line('achieved ingest rate (accepted)', `${fmtInt(achieved)} events/s`, `(${fmtInt(load.accepted)} in ${fmtMs(load.loadMs)})`);
  line('rejected / failed posts', `${load.rejected} / ${load.postErrors}`, load.lastPostError ? `last: ${load.lastPostError.slice(0, 120)}` : '');
  line('POST /v1/events latency p50 / p95 / max', `${fmtMs(percentile(load.postLatencies, 0.5))} / ${fmtMs(percentile(load.postLatencies, 0.95))} / ${fmtMs(Math.max(...load.postLatencies))}`);
  line('max concurrent posts; worst schedule lag', `${load.maxInflight}; ${fmtMs(load.behindMs)}`);
  line('probes seen / sent', `${delays.length} / ${load.probes.length}`, lost.length ? `(${lost.length} not seen within ${PROBE_TIMEOUT_S} s)` : '');
  line('freshness delay p50', fmtMs(p50));
  line('freshness delay p95', fmtMs(p95), `goal < ${GOAL_P95_MS / 1000} s → ${p95 < GOAL_P95_MS ? 'met' : 'NOT met'}`);
  line('freshness delay max', fmtMs(max));
  line('freshness delay min', fmtMs(delays.length ? Math.min(...delays) : NaN));
  line('report polls per probe (mean)', (load.probes.reduce((a, p) => a + p.polls, 0) / Math.max(1, load.probes.length)).toFixed(1));
  line('catch-up after load stopped', drain.ms === null ? `not caught up (${fmtInt(drain.counted)}/${fmtInt(drain.expected)} requests)` : fmtMs(drain.ms));
  if (pre) line('hour prefill (events already in the hour)', fmtInt(PREFILL), `(initial rollup ${fmtMs(pre.rollupMs)})`);

  // Freshness over the run, per 10 s window: does it drift as the hour fills?
  log('\nFreshness by time of post (10 s windows)');
  const windows = new Map();
  for (const p of load.probes) {
    const w = Math.floor(p.elapsedAtPost / 10_000);
    if (!windows.has(w)) windows.set(w, []);
    if (typeof p.delay === 'number') windows.get(w).push(p.delay);
  }
  for (const [w, ds] of [...windows.entries()].sort((a, b) => a[0] - b[0])) {
    line(`${w * 10}-${w * 10 + 10} s`, ds.length ? `p50 ${fmtMs(percentile(ds, 0.5))}, max ${fmtMs(Math.max(...ds))}` : 'none seen', `(${ds.length} probes)`);
  }
  if (lost.length) log(`  lost probes, first: ${JSON.stringify(lost.slice(0, 3).map((p) => ({ n: p.n, polls: p.polls, pollErrors: p.pollErrors, err: p.lastError })))}`);
  phases.print();

  const logs = appLogSummary(owned.app.logFile);
  if (logs.warnings || logs.errors) {
    log(`\nApp log: ${logs.warnings} warning(s), ${logs.errors} error(s) in ${owned.app.logFile}`);
    for (const s of logs.samples) log(`  ${s}`);
  }

  if (JSON_OUT) {
    log(
      JSON.stringify({
        bench: 'freshness',
        machine,
        rate: RATE,
        prefill: PREFILL,
        prefillRollupMs: pre ? Math.round(pre.rollupMs) : null,
        seconds: SECONDS,
        batch: BATCH,
        achievedEventsPerSec: Math.round(achieved),
        accepted: load.accepted,
        rejected: load.rejected,
        postErrors: load.postErrors,
        postLatencyMs: { p50: +percentile(load.postLatencies, 0.5).toFixed(1), p95: +percentile(load.postLatencies, 0.95).toFixed(1), max: +Math.max(...load.postLatencies).toFixed(1) },
        probes: { sent: load.probes.length, seen: delays.length },
        freshnessMs: { p50: Math.round(p50), p95: Math.round(p95), max: Math.round(max), min: delays.length ? Math.round(Math.min(...delays)) : null },
        catchUpMs: drain.ms === null ? null : Math.round(drain.ms),
        goal: { p95Ms: GOAL_P95_MS, met: p95 < GOAL_P95_MS },
        phasesMs: phases.toJSON(),
      }),
    );
  }
}

main()
  .then(() => cleanup())
  .catch(async (e) => {
    log(`\n✗ ${e.stack ?? e.message}`);
    if (owned.app) log(`  app log: ${owned.app.logFile}`);
    await cleanup();
    process.exit(1);
  });

#!/usr/bin/env node
// @ts-check
// Reports benchmark: N usage events (default 10,000,000) of one org over 90
// days are COPYed straight into usage_events, every hour of the range is
// marked dirty and the app's own worker rolls them up; then the 90-day spend
// report (granularity=month, groupBy=workload,model) is timed through the
// HTTP API and compared with the same GROUP BY over the raw events.
//
//   node bench/reports.mjs                      # 10M events
//   N=300000 node bench/reports.mjs             # quick check
//   KEEP=1 ...  keep the bench database        BENCH_JSON=1 ...  one JSON line at the end
//
// Prints figures and ratios beside the goals; never asserts timings.
import pg from 'pg';
import {
  benchResources,
  appLogSummary, clearRedisPrefix, dbUrl, dropDatabase, ensureBuilt, ensureDatabase, envFlag, envInt, fmtInt, fmtMs, fmtRate, line, log,
  machineInfo, now, onInterrupt, percentile, Phases, printMachine, sleep, startApp,
} from './lib/reports-common.mjs';
import { apiClient, ok, signup } from './lib/api.mjs';
import { catalogPrices, copyEvents } from './lib/reports-copy.mjs';

const N = envInt('N', 10_000_000);
const DAYS = envInt('DAYS', 90);
const RUNS = envInt('RUNS', 50);
const WARMUP = envInt('WARMUP', 3);
const SEED = envInt('SEED', 42);
const ROLLUP_TIMEOUT_S = envInt('ROLLUP_TIMEOUT_S', 4 * 3600);
const DATABASE = process.env.BENCH_DATABASE ?? 'crossover_bench_reports';
const REDIS_PREFIX = process.env.BENCH_REDIS_PREFIX ?? 'crossover-bench-reports';
const KEEP = envFlag('KEEP');
const JSON_OUT = envFlag('BENCH_JSON');
const GOAL_P95_MS = 50;
const GOAL_RATIO = 100;
const GOAL_BYTES_PER_EVENT = 600;
const HOUR = 3_600_000;

const phases = new Phases();
const owned = benchResources({ database: DATABASE, redisPrefix: REDIS_PREFIX, keep: KEEP });
const cleanup = (opts) => owned.cleanup(opts);

/** COPY with a progress line every 10%. */
async function copyWithProgress({ orgId, fromMs, toMs, models, versions }) {
  const t0 = now();
  let nextMark = 1;
  const onProgress = (rows) => {
    while (nextMark <= 10 && rows >= (N * nextMark) / 10) {
      const s = (now() - t0) / 1000;
      log(`  ${String(nextMark * 10).padStart(3)}%  ${fmtInt(rows).padStart(12)} rows  ${s.toFixed(1).padStart(7)} s  ${fmtInt(rows / s).padStart(9)} rows/s`);
      nextMark++;
    }
  };
  return copyEvents({ database: DATABASE, orgId, n: N, fromMs, toMs, seed: SEED, models, versions, onProgress });
}

async function rollupAll(orgId, fromMs, toMs) {
  const hours = Math.round((toMs - fromMs) / HOUR);
  const t0 = now();
  const ins = await owned.db.query(
    `INSERT INTO dirty_buckets (org_id, hour, marked_at)
     SELECT $1, h, clock_timestamp() FROM generate_series($2::timestamptz, $3::timestamptz - interval '1 hour', interval '1 hour') h
     ON CONFLICT (org_id, hour) DO UPDATE SET marked_at = excluded.marked_at`,
    [orgId, new Date(fromMs), new Date(toMs)],
  );
  log(`  marked ${fmtInt(ins.rowCount)} hours dirty; waiting for the worker (sweeper every 3 s, metering concurrency 4)`);
  let firstDoneMs = null;
  let nextMark = 1;
  let last = hours;
  let lastChange = now();
  for (;;) {
    const left = (await owned.db.query(`SELECT count(*)::int AS n FROM dirty_buckets WHERE org_id = $1`, [orgId])).rows[0].n;
    const done = hours - left;
    if (firstDoneMs === null && left < hours) firstDoneMs = now() - t0;
    if (left !== last) {
      last = left;
      lastChange = now();
    }
    while (nextMark <= 10 && done >= (hours * nextMark) / 10) {
      const s = (now() - t0) / 1000;
      log(`  ${String(nextMark * 10).padStart(3)}%  ${fmtInt(done).padStart(6)}/${fmtInt(hours)} hours  ${s.toFixed(1).padStart(7)} s  ${fmtRate(done / s).padStart(7)} hours/s`);
      nextMark++;
    }
    if (left === 0) break;
    if (!owned.app.isRunning()) throw new Error(`the app exited during the rollups; see ${owned.app.logFile}`);
    if ((now() - t0) / 1000 > ROLLUP_TIMEOUT_S) throw new Error(`rollups not done after ${ROLLUP_TIMEOUT_S} s (${left} hours still dirty)`);
    if (now() - lastChange > 120_000) log(`  … no progress for ${((now() - lastChange) / 1000).toFixed(0)} s (${left} hours dirty)`);
    await sleep(200);
  }
  const ms = now() - t0;
  const rollupRows = (await owned.db.query(`SELECT count(*)::int AS n FROM usage_rollups_hourly WHERE org_id = $1`, [orgId])).rows[0].n;
  return { hours, ms, firstDoneMs, hoursPerSec: (hours / ms) * 1000, eventsPerSec: (N / ms) * 1000, rollupRows };
}

/**
 * Bytes of usage_events on disk: heap (with TOAST and free-space maps), indexes and their total, summed over the
 * partitions when the table is partitioned (a partitioned parent and its indexes hold no data themselves), and each
 * index summed over its partitions by the parent index's name.
 */
async function storage(db) {
  const rels = `SELECT 'usage_events'::regclass AS relid UNION SELECT relid FROM pg_partition_tree('usage_events')`;
  const t = (
    await db.query(
      `SELECT sum(pg_table_size(relid))::float8 AS heap, sum(pg_indexes_size(relid))::float8 AS indexes, sum(pg_total_relation_size(relid))::float8 AS total,
              count(*) FILTER (WHERE relid <> 'usage_events'::regclass)::int AS partitions
         FROM (${rels}) r`,
    )
  ).rows[0];
  const indexes = (
    await db.query(
      `SELECT coalesce(pg_partition_root(i.indexrelid), i.indexrelid)::regclass::text AS name, sum(pg_relation_size(i.indexrelid))::float8 AS bytes
         FROM pg_index i WHERE i.indrelid IN (SELECT relid FROM (${rels}) r) GROUP BY 1 ORDER BY 2 DESC`,
    )
  ).rows;
  return { heap: t.heap, indexes: t.indexes, total: t.total, partitions: t.partitions, byIndex: indexes };
}

/**
 * One spend report, following nextCursor if the rows do not fit in one page. Through the typed client: its
 * per-request cost (a Request, a JSON parse) is microseconds against a report of tens of milliseconds.
 * @param {string} baseUrl
 * @param {string} key
 * @param {string} fromIso
 * @param {string} toIso
 */
async function spendReport(baseUrl, key, fromIso, toIso) {
  const client = apiClient(baseUrl, { key });
  const query = { from: fromIso, to: toIso, granularity: /** @type {const} */ ('month'), groupBy: 'workload,model', limit: 500 };
  const rows = [];
  let pages = 0;
  /** @type {string | undefined} */
  let cursor;
  let totals;
  do {
    const res = await ok(client.GET('/v1/reports/spend', { params: { query: { ...query, cursor } } }));
    rows.push(...res.rows);
    totals ??= res.totals;
    cursor = res.nextCursor ?? undefined;
    pages++;
  } while (cursor);
  return { rows, totals, pages };
}

const RAW_SQL = `
  SELECT (date_trunc('month', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS period, workload, model_id AS model,
         trim_scale(sum(cost_usd))::text AS "costUsd", sum(requests)::text AS requests,
         coalesce(sum(requests) FILTER (WHERE status = 'error'), 0)::text AS errors,
         sum(input_tokens)::text AS "inputTokens", sum(output_tokens)::text AS "outputTokens",
         sum(cached_input_tokens)::text AS "cachedInputTokens", sum(cache_write_tokens)::text AS "cacheWriteTokens",
         sum(reasoning_tokens)::text AS "reasoningTokens"
    FROM usage_events
   WHERE org_id = $1 AND ts >= $2 AND ts < $3
   GROUP BY 1, 2, 3
   ORDER BY 1, sum(cost_usd) DESC, 2, 3`;

/** Row-by-row comparison of the report (rollups) with the raw GROUP BY. */
function compare(reportRows, rawRows) {
  const key = (p, w, m) => `${p}|${w}|${m}`;
  const raw = new Map(rawRows.map((r) => [key(new Date(r.period).toISOString(), r.workload, r.model), r]));
  let equal = 0;
  const diffs = [];
  for (const r of reportRows) {
    const x = raw.get(key(r.period, r.workload, r.model));
    const same =
      x &&
      x.costUsd === r.costUsd &&
      Number(x.requests) === r.requests &&
      Number(x.errors) === r.errors &&
      Number(x.inputTokens) === r.inputTokens &&
      Number(x.outputTokens) === r.outputTokens &&
      Number(x.cachedInputTokens) === r.cachedInputTokens &&
      Number(x.reasoningTokens) === r.reasoningTokens;
    if (same) equal++;
    else if (diffs.length < 3) diffs.push({ report: r, raw: x ?? null });
  }
  return { equal, reportRows: reportRows.length, rawRows: rawRows.length, diffs };
}

async function main() {
  onInterrupt(() => cleanup({ interrupted: true }));
  const toMs = Math.floor(Date.now() / HOUR) * HOUR; // the current hour's start: no future events
  const fromMs = toMs - DAYS * 24 * HOUR;
  const fromIso = new Date(fromMs).toISOString();
  const toIso = new Date(toMs).toISOString();

  log(`Crossover reports benchmark: ${fmtInt(N)} events, 1 org, ${DAYS} days (${fromIso} → ${toIso}), 30 workloads, 10 models`);
  log(`database ${DATABASE}, Redis prefix ${REDIS_PREFIX}${KEEP ? ', KEEP=1' : ''}`);
  await ensureDatabase(DATABASE);
  const machine = await machineInfo(DATABASE);
  printMachine(machine);

  const built = await phases.run('build (only if dist/ is missing or BUILD=1)', async () => ensureBuilt());
  if (!built) log('  dist/main.js present: not rebuilt');

  const { orgId, apiKey } = await phases.run('start app + sign up', async () => {
    await clearRedisPrefix(REDIS_PREFIX);
    owned.app = await startApp({ database: DATABASE, redisPrefix: REDIS_PREFIX, name: 'crossover-bench-reports' });
    log(`  app pid ${owned.app.pid} at ${owned.app.baseUrl}, ready in ${fmtMs(owned.app.readyMs)} (log: ${owned.app.logFile})`);
    const s = await signup(owned.app.baseUrl, 'reports');
    log(`  org ${s.orgId}`);
    return s;
  });

  owned.db = new pg.Client({ connectionString: dbUrl(DATABASE) });
  await owned.db.connect();

  const { versions, models } = await catalogPrices(owned.db);
  const load = await phases.run(`load: generate + COPY ${fmtInt(N)} events`, async () => {
    log(`  catalog prices found for ${versions.size}/10 models (others: list prices from economics.json)`);
    const r = await copyWithProgress({ orgId, fromMs, toMs, models, versions });
    log(`  COPY ${fmtInt(r.copied)} rows in ${fmtMs(r.ms)}: ${fmtInt(r.rowsPerSec)} rows/s`);
    await owned.db.query(
      `INSERT INTO workloads (org_id, id, slug, updated_at) SELECT $1, gen_random_uuid(), w, now() FROM (SELECT DISTINCT workload w FROM usage_events WHERE org_id = $1) s ON CONFLICT (org_id, slug) DO NOTHING`,
      [orgId],
    );
    await owned.db.query(
      `INSERT INTO projects (org_id, id, slug) SELECT $1, gen_random_uuid(), p FROM (SELECT DISTINCT project p FROM usage_events WHERE org_id = $1 AND project IS NOT NULL) s ON CONFLICT (org_id, slug) DO NOTHING`,
      [orgId],
    );
    return r;
  });
  if (load.copied !== N) throw new Error(`COPY stored ${load.copied} rows, expected ${N}`);

  const analyzeMs = await phases.run('ANALYZE usage_events', async () => {
    const t0 = now();
    await owned.db.query('ANALYZE usage_events');
    return now() - t0;
  });
  const size = await storage(owned.db);
  const perEvent = (bytes) => bytes / load.copied;
  log(
    `  usage_events${size.partitions ? ` (${size.partitions} partitions)` : ''}: ${(size.heap / 2 ** 30).toFixed(2)} GiB heap, ` +
      `${(size.indexes / 2 ** 30).toFixed(2)} GiB indexes, ${(size.total / 2 ** 30).toFixed(2)} GiB in all`,
  );
  log(`  bytes per event: heap ${perEvent(size.heap).toFixed(0)}, indexes ${perEvent(size.indexes).toFixed(0)}, total ${perEvent(size.total).toFixed(0)}`);
  for (const i of size.byIndex) log(`    ${i.name.padEnd(40)} ${perEvent(i.bytes).toFixed(1).padStart(7)} bytes per event`);

  const rollup = await phases.run('rollups by the app worker', () => rollupAll(orgId, fromMs, toMs));
  log(`  ${fmtInt(rollup.hours)} hours → ${fmtInt(rollup.rollupRows)} rollup rows in ${fmtMs(rollup.ms)} (first hour done after ${fmtMs(rollup.firstDoneMs ?? 0)})`);
  log(`  ${(N / Math.max(1, rollup.rollupRows)).toFixed(1)} events per rollup row (key: hour × project × workload × environment × provider × model)`);

  // Autovacuum would analyze the freshly filled rollup table; it may be off on a dev server (see machine), so do it here.
  const analyzeRollupsMs = await phases.run('ANALYZE usage_rollups_hourly', async () => {
    const t0 = now();
    await owned.db.query('ANALYZE usage_rollups_hourly');
    return now() - t0;
  });

  const report = await phases.run(`spend report over HTTP: ${WARMUP} warm-ups + ${RUNS} runs`, async () => {
    // The first warm-up (or, with WARMUP=0, an extra one) also gives the report's shape before any run.
    let shape = await spendReport(owned.app.baseUrl, apiKey, fromIso, toIso);
    for (let i = 1; i < WARMUP; i++) shape = await spendReport(owned.app.baseUrl, apiKey, fromIso, toIso);
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = now();
      shape = await spendReport(owned.app.baseUrl, apiKey, fromIso, toIso);
      times.push(now() - t0);
    }
    const r = {
      p50: percentile(times, 0.5),
      p95: percentile(times, 0.95),
      min: Math.min(...times),
      max: Math.max(...times),
      mean: times.reduce((a, b) => a + b, 0) / times.length,
      rows: shape.rows.length,
      pages: shape.pages,
      totals: shape.totals,
      lastRows: shape.rows,
    };
    log(`  ${r.rows} rows (${r.pages} page${r.pages > 1 ? 's' : ''}); p50 ${fmtMs(r.p50)}, p95 ${fmtMs(r.p95)}, min ${fmtMs(r.min)}, max ${fmtMs(r.max)}`);
    return r;
  });

  const raw = await phases.run('same GROUP BY over raw usage_events (SQL, once)', async () => {
    const t0 = now();
    const res = await owned.db.query(RAW_SQL, [orgId, new Date(fromMs), new Date(toMs)]);
    const ms = now() - t0;
    log(`  ${res.rowCount} rows in ${fmtMs(ms)}`);
    return { ms, rows: res.rows };
  });

  const check = compare(report.lastRows, raw.rows);
  const rawRequests = raw.rows.reduce((a, r) => a + Number(r.requests), 0);
  const ratio = raw.ms / report.p50;
  const ratioP95 = raw.ms / report.p95;

  log('\nResults');
  line('events loaded (COPY)', fmtInt(load.copied));
  line('COPY load rate', `${fmtInt(load.rowsPerSec)} rows/s`, `(${fmtMs(load.ms)})`);
  line('rollup throughput', `${fmtRate(rollup.hoursPerSec)} hours/s`, `(${fmtInt(rollup.hours)} hours in ${fmtMs(rollup.ms)})`);
  line('rollup throughput (events)', `${fmtInt(rollup.eventsPerSec)} events/s`);
  line('report p50 (month × workload × model)', fmtMs(report.p50));
  line('report p95', fmtMs(report.p95), `goal < ${GOAL_P95_MS} ms → ${report.p95 < GOAL_P95_MS ? 'met' : 'NOT met'}`);
  line('raw GROUP BY over usage_events', fmtMs(raw.ms));
  line('ratio raw / report p50', `${ratio.toFixed(1)}×`, `goal ≥ ${GOAL_RATIO}× → ${ratio >= GOAL_RATIO ? 'met' : 'NOT met'}`);
  line('ratio raw / report p95', `${ratioP95.toFixed(1)}×`);
  line('storage per event: heap', `${perEvent(size.heap).toFixed(0)} bytes`);
  line('storage per event: indexes', `${perEvent(size.indexes).toFixed(0)} bytes`);
  line(
    'storage per event: total',
    `${perEvent(size.total).toFixed(0)} bytes`,
    `goal ≤ ${GOAL_BYTES_PER_EVENT} at 10M events → ${perEvent(size.total) <= GOAL_BYTES_PER_EVENT ? 'met' : 'NOT met'}${N < 10_000_000 ? ` (measured at ${fmtInt(N)})` : ''}`,
  );
  line('report = raw, row by row', `${check.equal}/${check.reportRows} rows (raw ${check.rawRows})`);
  line('report total requests vs raw', `${fmtInt(report.totals.requests)} vs ${fmtInt(rawRequests)}`);
  if (check.diffs.length) log(`  first differences: ${JSON.stringify(check.diffs).slice(0, 1500)}`);
  phases.print();

  const logs = appLogSummary(owned.app.logFile);
  if (logs.warnings || logs.errors) {
    log(`\nApp log: ${logs.warnings} warning(s), ${logs.errors} error(s) in ${owned.app.logFile}`);
    for (const s of logs.samples) log(`  ${s}`);
  }

  if (JSON_OUT) {
    log(
      JSON.stringify({
        bench: 'reports',
        n: N,
        days: DAYS,
        machine,
        copy: { rows: load.copied, ms: Math.round(load.ms), rowsPerSec: Math.round(load.rowsPerSec) },
        analyzeMs: Math.round(analyzeMs),
        storage: {
          partitions: size.partitions,
          heapBytes: size.heap,
          indexBytes: size.indexes,
          totalBytes: size.total,
          bytesPerEvent: { heap: +perEvent(size.heap).toFixed(1), indexes: +perEvent(size.indexes).toFixed(1), total: +perEvent(size.total).toFixed(1) },
          indexBytesPerEvent: Object.fromEntries(size.byIndex.map((i) => [i.name, +perEvent(i.bytes).toFixed(1)])),
        },
        analyzeRollupsMs: Math.round(analyzeRollupsMs),
        rollup: { hours: rollup.hours, ms: Math.round(rollup.ms), hoursPerSec: +rollup.hoursPerSec.toFixed(2), eventsPerSec: Math.round(rollup.eventsPerSec), rows: rollup.rollupRows },
        report: { granularity: 'month', groupBy: 'workload,model', rows: report.rows, pages: report.pages, runs: RUNS, p50Ms: +report.p50.toFixed(2), p95Ms: +report.p95.toFixed(2), minMs: +report.min.toFixed(2), maxMs: +report.max.toFixed(2) },
        rawMs: +raw.ms.toFixed(1),
        ratioP50: +ratio.toFixed(1),
        ratioP95: +ratioP95.toFixed(1),
        goals: {
          p95Ms: GOAL_P95_MS,
          ratio: GOAL_RATIO,
          bytesPerEvent: GOAL_BYTES_PER_EVENT,
          p95Met: report.p95 < GOAL_P95_MS,
          ratioMet: ratio >= GOAL_RATIO,
          bytesPerEventMet: perEvent(size.total) <= GOAL_BYTES_PER_EVENT,
        },
        consistent: check.equal === check.reportRows && check.reportRows === check.rawRows,
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

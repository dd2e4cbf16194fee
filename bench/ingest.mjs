#!/usr/bin/env node
// @ts-check
// bench/ingest: how fast POST /v1/events stores events, against how fast
// Postgres takes the same rows by raw COPY on the same machine.
//
//   node bench/ingest.mjs                 # builds nothing; starts dist/main.js itself
//   BENCH_URL=http://127.0.0.1:3000 BENCH_DATABASE_URL=postgresql://... node bench/ingest.mjs
//
// It prints figures and ratios; it never asserts timing (see bench/README.md).
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadSettings, USAGE } from './lib/config.mjs';
import { makeEvents, toBatchBodies, toCsv } from './lib/events.mjs';
import { ensureDatabase, freePort, startTopology, stopTopology, topologyName, waitReady } from './lib/server.mjs';
import { signup } from './lib/api.mjs';
import { makeClient, postBatches } from './lib/http.mjs';
import { dropScratch, prepareScratch, timeCopy } from './lib/copy.mjs';
import { fixed, int, ms, percentile } from './lib/stats.mjs';
import { cpuMeter, rssPeak } from './lib/cpu.mjs';

const GOAL = 0.5; // API rate / COPY rate, from the issue
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const say = (s) => process.stderr.write(`${s}\n`); // progress on stderr, the report on stdout

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.platform()} ${os.release()}`,
    node: process.version,
  };
}

async function dbFacts(databaseUrl, orgId, idPrefix) {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const version = (await c.query('SHOW server_version')).rows[0].server_version;
    // The connecting role is a superuser here, which RLS does not apply to.
    const stored = Number((await c.query(`SELECT count(*) FROM usage_events WHERE org_id = $1 AND event_id LIKE $2 || '-%'`, [orgId, idPrefix])).rows[0].count);
    // usage_events is partitioned: its own reltuples means nothing, its partitions' sum does.
    const tableRows = Number((await c.query(`SELECT sum(c.reltuples)::bigint AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'usage_events'::regclass`)).rows[0].n);
    return { version, stored, tableRows };
  } finally {
    await c.end();
  }
}

/** Adds up what the server answered for every batch: a batch fails unless it is 200 with every event accepted. */
function tally(outcomes) {
  const t = { batches: outcomes.length, events: 0, accepted: 0, duplicates: 0, conflicts: 0, rejected: 0, failedBatches: 0, errors: /** @type {string[]} */ ([]), latencies: /** @type {number[]} */ ([]) };
  outcomes.forEach((o, i) => {
    t.events += o.size;
    if (o.ms !== null) t.latencies.push(o.ms);
    if (o.counts) {
      t.accepted += o.counts.accepted ?? 0;
      t.duplicates += o.counts.duplicates ?? 0;
      t.conflicts += o.counts.conflicts ?? 0;
      t.rejected += o.counts.rejected ?? 0;
    }
    if (!o.counts || o.counts.accepted !== o.size) {
      t.failedBatches++;
      if (t.errors.length < 5) {
        const firstBad = o.counts?.results?.find((r) => r.status !== 'accepted');
        t.errors.push(`batch ${i}: ${o.status === null ? 'no response' : `HTTP ${o.status}`} ${o.error ?? `accepted ${o.counts.accepted}/${o.size}; first: ${JSON.stringify(firstBad)}`}`);
      }
    }
  });
  return t;
}

function report(s, m, db, api, copy) {
  const apiRate = api.accepted / api.seconds;
  const copyRate = copy.rows / copy.seconds;
  const ratio = apiRate / copyRate;
  const p50 = percentile(api.latencies, 50);
  const p99 = percentile(api.latencies, 99);
  const lines = [
    '',
    `machine: ${m.cpus} CPU (${m.cpuModel}), ${m.memGiB} GiB, ${m.os}, node ${m.node}, PostgreSQL ${db.version}`,
    `settings: N=${int(s.n)} batch=${s.batch} connections=${s.connections} warm-up=${s.warmup} batches, copy repeats=${s.copyRepeats}, server ${s.url ?? `started by the bench (${topologyName(s.apiWorkers)})`}, copy target ${s.copyIndexes ? 'with usage_events indexes' : 'LIKE usage_events INCLUDING DEFAULTS (no indexes)'}`,
    '',
    `ingest via API: ${int(api.events)} events in ${int(api.batches)} batches of ${s.batch} over ${s.connections} connections`,
    `  events/s        ${int(apiRate)}   (accepted events / ${fixed(api.seconds, 2)} s wall time)`,
    `  batch p50 / p99 ${ms(p50)} / ${ms(p99)}`,
    `  accepted        ${int(api.accepted)} of ${int(api.events)}; stored for the org: ${int(db.stored)}`,
  ];
  if (api.failedBatches || api.duplicates || api.conflicts || api.rejected) {
    lines.push(`  FAILURES        ${api.failedBatches} batch(es) not fully accepted; duplicates ${api.duplicates}, conflicts ${api.conflicts}, rejected ${api.rejected}`);
    for (const e of api.errors) lines.push(`    ${e}`);
  }
  if (api.cpu) {
    // CPU seconds over the run's wall time: 1.00 is one core busy throughout.
    // CPU per event is far steadier than the rate when the machine is shared.
    const cores = (x) => (x === null ? 'n/a' : `${fixed(x / api.seconds, 2)} cores`);
    const perEvent = (x) => (x === null || !api.accepted ? 'n/a' : `${int((x / api.accepted) * 1e6)} µs/event`);
    if (api.cpu.worker === null) {
      lines.push(
        `  CPU during run  server ${cores(api.cpu.server)}, postgres backends of this database ${cores(api.cpu.postgres)}, bench client ${cores(api.cpu.client)}; machine busy ${cores(api.cpu.machine)} of ${m.cpus}`,
        `  CPU per event   server ${perEvent(api.cpu.server)}, postgres backends ${perEvent(api.cpu.postgres)}`,
      );
    } else {
      // API and rollups in separate processes: the sum is what compares with a ROLE=all server's figure.
      const both = api.cpu.server === null ? null : api.cpu.server + api.cpu.worker;
      lines.push(
        `  CPU during run  API processes ${cores(api.cpu.server)}, worker ${cores(api.cpu.worker)}, postgres backends of this database ${cores(api.cpu.postgres)}, bench client ${cores(api.cpu.client)}; machine busy ${cores(api.cpu.machine)} of ${m.cpus}`,
        `  CPU per event   API processes ${perEvent(api.cpu.server)}, worker ${perEvent(api.cpu.worker)} (together ${perEvent(both)}), postgres backends ${perEvent(api.cpu.postgres)}`,
      );
    }
  }
  if (api.rss.peak !== null) {
    const mib = (b) => `${int(b / 2 ** 20)} MiB`;
    lines.push(`  server RSS      peak ${mib(api.rss.peak)} during the run (${mib(api.rss.start)} before it; goal < 300 MB: ${api.rss.peak < 300e6 ? 'met' : 'not met'})`);
  }
  lines.push(
    `raw COPY of the same rows: ${int(copyRate)} rows/s   (${int(copy.rows)} rows; median of ${copy.runs.length} COPYs: ${copy.runs.map((x) => fixed(x, 2)).join(' / ')} s; ${fixed(copy.wallSeconds, 2)} s with psql start-up)`,
    `ratio API / COPY: ${fixed(ratio, 2)}   (goal >= ${GOAL})`,
    '',
  );
  process.stdout.write(lines.join('\n'));

  if (s.json) {
    const figures = {
      bench: 'ingest',
      at: new Date().toISOString(),
      machine: m,
      postgres: db.version,
      settings: { n: s.n, batch: s.batch, connections: s.connections, warmupBatches: s.warmup, externalServer: !!s.url, apiWorkers: s.apiWorkers, copyIndexes: s.copyIndexes, copyRepeats: s.copyRepeats },
      api: {
        events: api.events,
        batches: api.batches,
        accepted: api.accepted,
        duplicates: api.duplicates,
        conflicts: api.conflicts,
        rejected: api.rejected,
        failedBatches: api.failedBatches,
        storedForOrg: db.stored,
        seconds: api.seconds,
        eventsPerSec: apiRate,
        batchP50Ms: p50,
        batchP99Ms: p99,
        batchMaxMs: percentile(api.latencies, 100),
        cpuSeconds: api.cpu,
      },
      copy: { rows: copy.rows, seconds: copy.seconds, wallSeconds: copy.wallSeconds, runsSeconds: copy.runs, rowsPerSec: copyRate, csvBytes: copy.csvBytes },
      ratio,
      goal: GOAL,
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  }
}

async function main() {
  const s = loadSettings();
  if (s.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const m = machine();
  let stack = null;
  let client = null;
  let scratchMade = false;

  // Ctrl-C must not leave a server running or a scratch table behind.
  const cleanup = async () => {
    client?.close();
    await stopTopology(stack).catch(() => {});
    if (scratchMade) await dropScratch(s.databaseUrl).catch((e) => say(`could not drop the scratch table: ${e.message}`));
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
      say(`starting node dist/main.js on port ${port}, ${topologyName(s.apiWorkers)} (migrations run on start)...`);
      stack = await startTopology({ repoRoot, port, databaseUrl: s.databaseUrl, echoLog: s.serverLog, apiWorkers: s.apiWorkers });
    } else await waitReady(baseUrl, null);
    say(`server ready at ${baseUrl}`);

    client = makeClient(baseUrl, s.connections);
    const { orgId, apiKey } = await signup(baseUrl, 'ingest');

    // All payloads are built before any clock starts.
    const runId = `b${Date.now().toString(36)}`;
    const now = Date.now();
    const events = makeEvents(runId, s.n, now);
    const bodies = toBatchBodies(events, s.batch);
    const warmBodies = toBatchBodies(makeEvents(`${runId}w`, s.warmup * s.batch, now, 7), s.batch);
    const csvText = toCsv(events, orgId);

    // COPY first, while the server is idle: after the API run its rollup
    // worker recomputes the hours just ingested and would compete with COPY.
    say(`COPY of ${int(s.n)} rows into the scratch table...`);
    await prepareScratch(s.databaseUrl, { indexes: s.copyIndexes });
    scratchMade = true;
    const copy = await timeCopy(s.databaseUrl, csvText, s.n, { repeats: s.copyRepeats, keepCsv: s.keepCsv });
    if (copy.file) say(`kept ${copy.file}`);

    if (warmBodies.length) {
      say(`warm-up: ${warmBodies.length} batches (not measured)...`);
      const warm = tally((await postBatches(client, apiKey, warmBodies, s.connections)).outcomes);
      if (warm.failedBatches) say(`warm-up: ${warm.failedBatches} batch(es) failed:\n  ${warm.errors.join('\n  ')}`);
    }

    say(`posting ${int(s.n)} events in ${bodies.length} batches over ${s.connections} connections...`);
    const meter = cpuMeter(stack?.api.pids, decodeURIComponent(new URL(s.databaseUrl).pathname.slice(1)), stack?.worker?.pids);
    const memory = rssPeak(stack?.api.pids);
    const run = await postBatches(client, apiKey, bodies, s.connections);
    const api = { ...tally(run.outcomes), seconds: run.seconds, cpu: meter.stop(), rss: memory.stop() };

    // Counted by the measured run's id prefix (the warm-up's ids differ).
    const db = await dbFacts(s.databaseUrl, orgId, runId);
    report(s, m, db, api, copy);
    for (const proc of [stack?.api, stack?.worker]) {
      if (proc && proc.log.length) say(`${proc.role === 'worker' ? 'worker' : 'server'} output (LOG_LEVEL=warn), last 1500 characters:\n${proc.log.join('').slice(-1500)}`);
    }
  } finally {
    await cleanup();
  }
}

main().catch((e) => {
  say(`bench/ingest failed: ${e.stack ?? e}`);
  process.exitCode = 1;
});

// The baseline: a raw COPY of the same rows into a scratch copy of usage_events.
//
// pg-copy-streams is not installed, so the COPY goes through psql's \copy,
// which is COPY ... FROM STDIN with psql streaming the file. psql's \timing
// measures the \copy itself (reading the file, sending it, the server
// parsing and writing every row, the commit), not psql's start-up or login.
import { spawn } from 'node:child_process';
import { writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { COPY_COLUMNS } from './events.mjs';

export const SCRATCH = 'bench_copy_scratch';

async function withClient(databaseUrl, fn) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** (Re)creates the scratch table shaped like usage_events. */
export async function prepareScratch(databaseUrl, { indexes }) {
  await withClient(databaseUrl, async (c) => {
    const exists = await c.query(`SELECT to_regclass('public.usage_events') AS t`);
    if (!exists.rows[0].t) throw new Error(`usage_events does not exist in ${databaseUrl}: is it the server's database (migrated)?`);
    // Dropped and recreated rather than only truncated: a leftover from an
    // interrupted run may have been made with the other --copy-indexes setting.
    await c.query(`DROP TABLE IF EXISTS ${SCRATCH}`);
    await c.query(`CREATE TABLE ${SCRATCH} (LIKE usage_events INCLUDING DEFAULTS${indexes ? ' INCLUDING INDEXES' : ''})`);
  });
}

/** Empty before every COPY, so each one writes into the same empty table. */
export async function truncateScratch(databaseUrl) {
  await withClient(databaseUrl, (c) => c.query(`TRUNCATE ${SCRATCH}`));
}

export async function dropScratch(databaseUrl) {
  await withClient(databaseUrl, (c) => c.query(`DROP TABLE IF EXISTS ${SCRATCH}`));
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/** One \copy of the file into the (truncated) scratch table: rows, seconds by psql's \timing, and wall seconds with psql's start-up. */
async function copyOnce(databaseUrl, file, expectedRows) {
  await truncateScratch(databaseUrl);
  const copy = `\\copy ${SCRATCH} (${COPY_COLUMNS.join(', ')}) FROM '${file}' WITH (FORMAT csv)`;
  const started = performance.now();
  const res = await run('psql', [databaseUrl, '-X', '-v', 'ON_ERROR_STOP=1', '-c', '\\timing on', '-c', copy]);
  const wallSeconds = (performance.now() - started) / 1000;
  if (res.code !== 0) throw new Error(`psql \\copy failed (exit ${res.code}): ${res.err || res.out}`);
  const rows = Number(/COPY (\d+)/.exec(res.out)?.[1]);
  const ms = Number(/Time: ([\d.]+) ms/.exec(res.out)?.[1]);
  if (!Number.isFinite(ms)) throw new Error(`could not read psql's timing from: ${res.out}`);
  const counted = await withClient(databaseUrl, async (c) => Number((await c.query(`SELECT count(*) FROM ${SCRATCH}`)).rows[0].count));
  if (rows !== expectedRows || counted !== expectedRows) throw new Error(`COPY stored ${counted} rows (psql said ${rows}), expected ${expectedRows}`);
  return { rows, seconds: ms / 1000, wallSeconds };
}

/**
 * Writes the CSV to /tmp and COPYs it `repeats` times (truncating in
 * between); reports the median run. A COPY of 50-100k rows takes well under
 * a second here, so one run alone is at the mercy of whatever else the
 * machine is doing at that moment.
 */
export async function timeCopy(databaseUrl, csvText, expectedRows, { repeats = 3, keepCsv = false } = {}) {
  const file = path.join(os.tmpdir(), `crossover-bench-copy-${process.pid}.csv`);
  await writeFile(file, csvText);
  try {
    const runs = [];
    for (let i = 0; i < repeats; i++) runs.push(await copyOnce(databaseUrl, file, expectedRows));
    const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
    const median = sorted[Math.floor((sorted.length - 1) / 2)];
    return { ...median, runs: runs.map((r) => r.seconds), csvBytes: Buffer.byteLength(csvText), file: keepCsv ? file : null };
  } finally {
    if (!keepCsv) await rm(file, { force: true });
  }
}

// COPY of generated events into usage_events through psql's \copy ... FROM STDIN
// (a real COPY FROM STDIN; pg-copy-streams is not a dependency), and the live
// catalog prices the generator uses.
import { spawn } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import { now, PG_HOST, PG_PORT, PG_USER } from './reports-common.mjs';
import { COPY_COLUMNS, eventCsvStream, MODELS } from './reports-datagen.mjs';

/** Live catalog prices (model_prices) for the generator's models, so stored costs match what the app would charge. */
export async function catalogPrices(client) {
  const res = await client.query(
    `SELECT DISTINCT ON (provider, model_id) provider, model_id, id::text AS id, input_per_mtok::float8 AS "in", output_per_mtok::float8 AS out,
            cached_input_per_mtok::float8 AS cached, cache_write_per_mtok::float8 AS "cacheWrite"
       FROM model_prices WHERE model_id = ANY($1) AND effective_from <= now() AND (effective_to IS NULL OR effective_to > now())
      ORDER BY provider, model_id, effective_from DESC`,
    [MODELS.map((m) => m.modelId)],
  );
  const versions = new Map();
  const models = MODELS.map((m) => {
    const p = res.rows.find((r) => r.provider === m.provider && r.model_id === m.modelId);
    if (!p) return m;
    versions.set(m.modelId, p.id);
    return { ...m, in: p.in, out: p.out, cached: p.cached ?? m.cached, cacheWrite: p.cacheWrite ?? m.cacheWrite };
  });
  return { versions, models };
}

/**
 * Streams `n` generated events (see eventCsvStream) into usage_events with one
 * COPY FROM STDIN. Returns { copied, ms, rowsPerSec }.
 * @param {{ database: string, orgId: string, n: number, fromMs: number, toMs: number, seed: number, models: unknown[], versions: Map<string, unknown>, onProgress?: (copied: number) => void }} opts
 */
export async function copyEvents({ database, orgId, n, fromMs, toMs, seed, models, versions, onProgress }) {
  const t0 = now();
  const psql = spawn(
    'psql',
    ['-h', PG_HOST, '-p', String(PG_PORT), '-U', PG_USER, '-d', database, '-X', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy usage_events (${COPY_COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT csv)`],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  psql.stdout.on('data', (d) => (stdout += d));
  psql.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => psql.once('close', (code) => resolve(code)));
  const source = eventCsvStream({ orgId, n, fromMs, toMs, seed, models, priceVersions: versions, onProgress });
  try {
    await pipeline(source, psql.stdin);
  } catch (e) {
    const code = await exited;
    throw new Error(`COPY failed (psql exit ${code}): ${stderr.trim() || e.message}`);
  }
  const code = await exited;
  if (code !== 0) throw new Error(`COPY failed (psql exit ${code}): ${stderr.trim()}`);
  const copied = Number(/COPY (\d+)/.exec(stdout)?.[1] ?? NaN);
  const ms = now() - t0;
  return { copied, ms, rowsPerSec: (copied / ms) * 1000 };
}

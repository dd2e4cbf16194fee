// Settings for bench/ingest.mjs, from argv (--n=50000) or the environment (BENCH_N=50000).
// argv wins over env so a one-off run can override an exported default.

const DEFAULTS = {
  n: 100_000,
  batch: 500,
  connections: 8,
  warmup: null, // null: one batch per connection (see resolve below)
};

function argvMap(argv) {
  const out = {};
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (m) out[m[1]] = m[2] ?? 'true';
  }
  return out;
}

function positiveInt(name, raw, fallback, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}) {
  if (raw === undefined || raw === '') return fallback;
  const v = Number(String(raw).replace(/[_,]/g, ''));
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new Error(`${name} must be an integer from ${min} to ${max} (got ${raw})`);
  return v;
}

const truthy = (v) => v !== undefined && /^(1|true|yes|on)$/i.test(String(v));

export function loadSettings(argv = process.argv.slice(2), env = process.env) {
  const a = argvMap(argv);
  if (a.help || a.h) return { help: true };
  const n = positiveInt('N', a.n ?? env.BENCH_N ?? env.N, DEFAULTS.n);
  // The API takes at most 1,000 events per request.
  const batch = positiveInt('batch', a.batch ?? env.BENCH_BATCH, DEFAULTS.batch, { max: 1000 });
  const connections = positiveInt('connections', a.c ?? a.connections ?? env.BENCH_C ?? env.C, DEFAULTS.connections, { max: 1024 });
  // Warm-up batches are posted (untimed) before the measured run so that the
  // first C cold requests (JIT, pool connections, prepared plans) do not
  // land in a 200-sample p99.
  const warmup = positiveInt('warmup', a.warmup ?? env.BENCH_WARMUP, connections, { min: 0 });
  const url = (a.url ?? env.BENCH_URL ?? '').replace(/\/+$/, '') || null;
  const databaseUrl = a['database-url'] ?? env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/crossover_bench';
  // Unset: the bench starts one ROLE=all process, as before. N: ROLE=api with API_WORKERS=N, and one ROLE=worker apart.
  const apiWorkers = positiveInt('api-workers', a['api-workers'] ?? env.BENCH_API_WORKERS, null, { max: 64 });
  if (apiWorkers !== null && url) throw new Error('--api-workers (BENCH_API_WORKERS) chooses how the bench starts the server; it cannot apply to --url (BENCH_URL)');
  return {
    help: false,
    n,
    batch,
    connections,
    warmup,
    url,
    databaseUrl,
    apiWorkers,
    // The baseline is a bare scratch table (LIKE ... INCLUDING DEFAULTS).
    // With --copy-indexes it also gets usage_events' primary key and indexes,
    // which is closer to what the API's INSERT has to maintain.
    // COPY is repeated (median reported): one sub-second run is too noisy.
    copyRepeats: positiveInt('copy repeats', a['copy-repeats'] ?? env.BENCH_COPY_REPEATS, 3, { max: 50 }),
    copyIndexes: truthy(a['copy-indexes'] ?? env.BENCH_COPY_INDEXES),
    json: truthy(a.json ?? env.BENCH_JSON),
    keepCsv: truthy(a['keep-csv'] ?? env.BENCH_KEEP_CSV),
    serverLog: truthy(a['server-log'] ?? env.BENCH_SERVER_LOG),
  };
}

export const USAGE = `usage: node bench/ingest.mjs [--n=100000] [--batch=500] [--c=8] [--warmup=C]
                            [--url=http://host:port] [--database-url=postgresql://...] [--api-workers=N]
                            [--copy-indexes] [--copy-repeats=3] [--json] [--keep-csv] [--server-log]

Environment equivalents: BENCH_N (or N), BENCH_BATCH, BENCH_C (or C), BENCH_WARMUP,
BENCH_URL, BENCH_DATABASE_URL, BENCH_API_WORKERS, BENCH_COPY_INDEXES=1, BENCH_COPY_REPEATS,
BENCH_JSON=1, BENCH_KEEP_CSV=1,
BENCH_SERVER_LOG=1. See bench/README.md.`;

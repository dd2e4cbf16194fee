// Synthetic usage events, and the same events as usage_events rows for COPY.
//
// Everything is generated (and serialised) before any timing starts, so the
// client's own JSON/CSV work does not count against either rate. The
// generator is seeded, so two runs with the same N post the same shapes;
// only the ids (run prefix) differ.
import { createHash, randomUUID } from 'node:crypto';

const DAY_MS = 24 * 60 * 60 * 1000;

// Catalog ids the server prices out of the box; USD per million tokens
// (input, output, cached input). Used only to fill cost_usd in the COPY rows
// with a plausible decimal: the COPY side does not need the server's exact price.
const MODELS = [
  { provider: 'openai', model: 'gpt-4o', price: [2.5, 10, 1.25] },
  { provider: 'anthropic', model: 'claude-sonnet-4.5', price: [3, 15, 0.3] },
  { provider: 'google', model: 'gemini-2.5-flash', price: [0.3, 2.5, 0.075] },
];
const TEAMS = ['a', 'b', 'c', 'd'];
// The server stores the id of the catalog price row it used (a uuid); one
// stand-in per model keeps the COPY rows the same width.
const PRICE_VERSION = new Map(MODELS.map((m) => [m.model, randomUUID()]));

/** mulberry32: a tiny seeded PRNG, good enough to vary the payloads. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` events with ids `${prefix}-${i}`, timestamps spread over the 30
 * days before `now` (the API rejects timestamps in the future).
 */
export function makeEvents(prefix, count, now = Date.now(), seed = 42) {
  const rand = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const events = new Array(count);
  for (let i = 0; i < count; i++) {
    const m = MODELS[i % MODELS.length];
    const inputTokens = int(50, 20_000);
    const outputTokens = int(10, 4_000);
    const event = {
      id: `${prefix}-${i}`,
      timestamp: new Date(now - 60_000 - Math.floor(rand() * 30 * DAY_MS)).toISOString(),
      provider: m.provider,
      model: m.model,
      workload: `wl-${i % 20}`,
      environment: 'production',
      usage: {
        inputTokens,
        outputTokens,
        cachedInputTokens: Math.floor(inputTokens * rand() * 0.5), // a subset of the input
        reasoningTokens: Math.floor(outputTokens * rand() * 0.3), // a subset of the output
      },
      requests: 1,
      latencyMs: int(80, 9_000),
      status: 'ok',
      tags: { team: TEAMS[i % TEAMS.length] },
    };
    // Most events name a project, some do not (a nullable column on both sides).
    if (i % 5 !== 0) event.project = `proj-${i % 7}`;
    events[i] = event;
  }
  return events;
}

/** Request bodies, one Buffer per batch, serialised up front. */
export function toBatchBodies(events, batchSize) {
  const bodies = [];
  for (let i = 0; i < events.length; i += batchSize) {
    const slice = events.slice(i, i + batchSize);
    bodies.push({ size: slice.length, body: Buffer.from(JSON.stringify({ events: slice })) });
  }
  return bodies;
}

/** The server's content hash input: JSON with sorted keys (src/ingestion/event-validator.ts). */
function stableStringify(value) {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The usage_events columns the COPY fills; received_at is left to its default, as the API's INSERT does. */
export const COPY_COLUMNS = [
  'org_id', 'event_id', 'ts', 'provider', 'model', 'model_id', 'workload', 'project', 'environment', 'requests',
  'input_tokens', 'output_tokens', 'cached_input_tokens', 'cache_write_tokens', 'reasoning_tokens', 'latency_ms',
  'status', 'tags', 'client_cost_usd', 'cost_usd', 'unpriced', 'price_version_id', 'usage_format', 'content_hash',
];

/** CSV field: empty and unquoted is NULL in COPY's CSV format; anything else is quoted when it needs to be. */
function csv(v) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
}

function costUsd(e) {
  const [pin, pout, pcached] = MODELS.find((m) => m.model === e.model).price;
  const u = e.usage;
  const usd = ((u.inputTokens - u.cachedInputTokens) * pin + u.cachedInputTokens * pcached + u.outputTokens * pout) / 1e6;
  return usd.toFixed(12);
}

/** The events as CSV lines, with the values the API would store for the same org. */
export function toCsv(events, orgId) {
  const lines = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const u = e.usage;
    const hash = createHash('sha256').update(stableStringify(e)).digest().subarray(0, 16).toString('hex'); // the app stores the first 16 bytes
    lines[i] = [
      orgId, e.id, e.timestamp, e.provider, e.model, e.model, e.workload, e.project ?? null, e.environment, e.requests,
      u.inputTokens, u.outputTokens, u.cachedInputTokens, 0, u.reasoningTokens, e.latencyMs,
      e.status, JSON.stringify(e.tags), null, costUsd(e), 'false', PRICE_VERSION.get(e.model), 'canonical', `\\x${hash}`,
    ]
      .map(csv)
      .join(',');
  }
  return lines.join('\n') + '\n';
}

// Streamed generator of realistic usage_events rows as CSV, for COPY FROM STDIN.
// Nothing is held in memory beyond one chunk: rows are produced hour by hour,
// in time order (as ingestion would write them), with per-hour counts fixed
// up front so that exactly N rows come out.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

/** Column order of the CSV (and of the \copy column list). */
export const COPY_COLUMNS = [
  'org_id', 'event_id', 'ts', 'received_at', 'provider', 'model', 'model_id', 'workload', 'project', 'environment', 'requests',
  'input_tokens', 'output_tokens', 'cached_input_tokens', 'cache_write_tokens', 'reasoning_tokens', 'latency_ms', 'status', 'tags',
  'client_cost_usd', 'cost_usd', 'unpriced', 'price_version_id', 'usage_format', 'content_hash',
];

/**
 * The 10 models (catalog ids, list prices per million tokens from
 * src/reference/economics.json; replaced by the live model_prices rows when
 * the catalog has them). `popularity` weighs the choice of a workload's
 * primary model; `speed` scales latency.
 */
export const MODELS = [
  { provider: 'openai', modelId: 'gpt-4o-mini', sent: ['gpt-4o-mini', 'gpt-4o-mini-2024-07-18'], format: 'openai-chat', in: 0.15, out: 0.6, cached: 0.075, popularity: 9, speed: 0.6 },
  { provider: 'openai', modelId: 'gpt-4o', sent: ['gpt-4o', 'gpt-4o-2024-08-06'], format: 'openai-chat', in: 2.5, out: 10, cached: 1.25, popularity: 7, speed: 1 },
  { provider: 'openai', modelId: 'gpt-4.1', sent: ['gpt-4.1', 'gpt-4.1-2025-04-14'], format: 'openai-chat', in: 2, out: 8, cached: 0.5, popularity: 4, speed: 1 },
  { provider: 'openai', modelId: 'gpt-4.1-mini', sent: ['gpt-4.1-mini'], format: 'openai-chat', in: 0.4, out: 1.6, cached: 0.1, popularity: 5, speed: 0.6 },
  { provider: 'openai', modelId: 'gpt-5-mini', sent: ['gpt-5-mini'], format: 'openai-responses', in: 0.25, out: 2, cached: 0.025, popularity: 4, speed: 1.4, reasoning: true },
  { provider: 'openai', modelId: 'o4-mini', sent: ['o4-mini', 'o4-mini-2025-04-16'], format: 'openai-responses', in: 1.1, out: 4.4, cached: 0.275, popularity: 2, speed: 2, reasoning: true },
  { provider: 'anthropic', modelId: 'claude-sonnet-4.5', sent: ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929'], format: 'anthropic', in: 3, out: 15, cached: 0.3, cacheWrite: 3.75, popularity: 6, speed: 1.2 },
  { provider: 'anthropic', modelId: 'claude-haiku-4.5', sent: ['claude-haiku-4-5'], format: 'anthropic', in: 1, out: 5, cached: 0.1, cacheWrite: 1.25, popularity: 4, speed: 0.7 },
  { provider: 'google', modelId: 'gemini-2.5-flash', sent: ['gemini-2.5-flash'], format: 'gemini', in: 0.3, out: 2.5, cached: 0.03, popularity: 5, speed: 0.6 },
  { provider: 'google', modelId: 'gemini-2.5-pro', sent: ['gemini-2.5-pro'], format: 'gemini', in: 1.25, out: 10, cached: 0.125, popularity: 2, speed: 1.5 },
];

const WORKLOAD_SLUGS = [
  'support-chat', 'rag-answer', 'doc-summarize', 'code-review', 'search-rerank', 'email-draft', 'ticket-triage', 'sql-assistant',
  'product-descriptions', 'translation', 'meeting-notes', 'contract-review', 'sentiment-tagging', 'onboarding-bot', 'fraud-explain',
  'report-writer', 'data-extraction', 'faq-answer', 'lead-scoring', 'resume-screen', 'content-moderation', 'agent-planner',
  'title-generator', 'invoice-parse', 'chat-memory-summarize', 'spam-filter', 'pr-description', 'changelog-writer', 'alt-text',
  'transcript-cleanup',
];
const PROJECTS = ['web', 'mobile', 'internal-tools', 'platform', 'data'];
const TEAMS = ['growth', 'support', 'platform', 'risk', 'research'];

/** mulberry32: small, fast, seeded. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cdf(weights) {
  const out = new Float64Array(weights.length);
  let s = 0;
  weights.forEach((w, i) => (out[i] = s += w));
  for (let i = 0; i < out.length; i++) out[i] /= s;
  return out;
}
function pick(cum, u) {
  let i = 0;
  while (i < cum.length - 1 && u > cum[i]) i++;
  return i;
}

/**
 * Builds the synthetic org's shape: 30 workloads (Zipf volumes), each with a
 * project, a token profile, a primary model and 1-3 secondary models (A/B
 * tests, fallbacks), deterministic for a seed.
 */
export function buildScenario(seed = 42, models = MODELS) {
  const r = prng(seed);
  const modelCum = cdf(models.map((m) => m.popularity));
  const workloads = WORKLOAD_SLUGS.map((slug, k) => {
    const primary = pick(modelCum, r());
    const mix = [{ model: primary, w: 0.6 + r() * 0.3 }];
    const extra = 1 + Math.floor(r() * 3);
    for (let j = 0; j < extra; j++) {
      const m = pick(modelCum, r());
      if (!mix.some((x) => x.model === m)) mix.push({ model: m, w: (1 - mix[0].w) / extra });
    }
    const heavyInput = /rag|contract|doc|meeting|report|code|transcript|chat-memory|agent/.test(slug);
    return {
      slug,
      volume: 1 / Math.pow(k + 1, 1.1),
      project: k % 7 === 6 ? null : PROJECTS[k % PROJECTS.length],
      inMedian: heavyInput ? 2_000 + r() * 14_000 : 150 + r() * 1_500,
      outMedian: /summarize|tagging|scoring|filter|triage|moderation|title|rerank/.test(slug) ? 20 + r() * 120 : 150 + r() * 900,
      cacheShare: r() < 0.5 ? 0.3 + r() * 0.6 : 0,
      mix,
      mixCum: cdf(mix.map((x) => x.w)),
    };
  });
  return { workloads, workloadCum: cdf(workloads.map((w) => w.volume)), models };
}

/** Relative volume of each hour: business-hours peak, quieter weekends, growth over the window, noise. */
function hourWeights(fromMs, hours, r) {
  const w = new Float64Array(hours);
  for (let h = 0; h < hours; h++) {
    const d = new Date(fromMs + h * 3_600_000);
    const hod = d.getUTCHours();
    const dow = d.getUTCDay();
    const diurnal = 0.25 + Math.exp(-((hod - 15) ** 2) / (2 * 4 ** 2));
    const weekly = dow === 0 || dow === 6 ? 0.55 : 1;
    const growth = 0.7 + (0.6 * h) / hours;
    w[h] = diurnal * weekly * growth * (0.9 + 0.2 * r());
  }
  return w;
}

/**
 * A Readable of CSV text for `N` events of `orgId` in [fromMs, toMs) (whole
 * hours). `onProgress(rowsSoFar)` is called after every chunk.
 * `priceVersions` maps model id → model_prices.id.
 */
export function eventCsvStream({ orgId, n, fromMs, toMs, seed = 42, priceVersions = new Map(), models = MODELS, chunkRows = 2_000, onProgress }) {
  const hours = Math.round((toMs - fromMs) / 3_600_000);
  const r = prng(seed * 7919 + 1);
  const scenario = buildScenario(seed, models);
  const weights = hourWeights(fromMs, hours, r);
  const total = weights.reduce((a, b) => a + b, 0);
  const runTag = Date.now().toString(36);
  const hashPrefix = randomBytes(8).toString('hex'); // + 8 bytes of the row number = 16 bytes, as the app stores
  const tagsCsv = ['{}', ...TEAMS.map((t) => `"{""team"": ""${t}""}"`)];
  const pv = models.map((m) => priceVersions.get(m.modelId) ?? `pv-${m.modelId}`);

  let hour = 0;
  let cumW = 0;
  let leftInHour = 0;
  let hourStart = fromMs;
  let produced = 0;
  let emittedTarget = 0;

  const gauss = () => {
    const u = r() || 1e-12;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  };
  const logNormal = (median, sigma) => median * Math.exp(sigma * gauss());

  function row(i) {
    const wl = scenario.workloads[pick(scenario.workloadCum, r())];
    const m = models[wl.mix[pick(wl.mixCum, r())].model];
    const mi = models.indexOf(m);
    const tsMs = hourStart + Math.floor(r() * 3_600_000);
    const ts = new Date(tsMs).toISOString();
    const receivedAt = new Date(tsMs + 200 + Math.floor(r() * 3_000)).toISOString();
    const error = r() < 0.012;
    const requests = r() < 0.97 ? 1 : 2 + Math.floor(r() * 19);
    let input = Math.max(1, Math.round(logNormal(wl.inMedian, 0.6))) * requests;
    let output = error ? 0 : Math.max(1, Math.round(logNormal(wl.outMedian, 0.7))) * requests;
    let cached = 0;
    let cacheWrite = 0;
    if (wl.cacheShare > 0 && input > 1024) {
      cached = Math.floor(input * wl.cacheShare * (0.7 + 0.3 * r()));
      if (m.cacheWrite && r() < 0.1) cacheWrite = Math.floor((input - cached) * 0.8);
    }
    const reasoning = m.reasoning && output > 0 ? Math.floor(output * (0.3 + 0.5 * r())) : 0;
    // Input includes cached reads and cache writes; output includes reasoning (canonical usage).
    const cost =
      ((input - cached - cacheWrite) * m.in + cached * (m.cached ?? m.in) + cacheWrite * (m.cacheWrite ?? m.in) + output * m.out) / 1e6;
    const costStr = cost.toFixed(12);
    const latency = r() < 0.02 ? '' : String(Math.round((150 + output * 12 * m.speed + input * 0.02) * Math.exp(0.35 * gauss())));
    const env = ((u) => (u < 0.88 ? 'production' : u < 0.96 ? 'staging' : 'development'))(r());
    const tags = r() < 0.7 ? tagsCsv[0] : tagsCsv[1 + Math.floor(r() * TEAMS.length)];
    const clientCost = r() < 0.2 ? costStr : '';
    const sent = m.sent[Math.floor(r() * m.sent.length)];
    const eventId = `bench-${runTag}-${i.toString(36).padStart(7, '0')}`; // time-ordered, like ULIDs
    const hash = `\\x${hashPrefix}${i.toString(16).padStart(16, '0')}`;
    return (
      `${orgId},${eventId},${ts},${receivedAt},${m.provider},${sent},${m.modelId},${wl.slug},${wl.project ?? ''},${env},${requests},` +
      `${input},${output},${cached},${cacheWrite},${reasoning},${latency},${error ? 'error' : 'ok'},${tags},` +
      `${clientCost},${costStr},false,${pv[mi]},${m.format},${hash}\n`
    );
  }

  function nextChunk() {
    let s = '';
    let k = 0;
    while (k < chunkRows && produced < n) {
      if (leftInHour === 0) {
        if (hour >= hours) break;
        cumW += weights[hour];
        const target = hour === hours - 1 ? n : Math.round((n * cumW) / total);
        leftInHour = target - emittedTarget;
        emittedTarget = target;
        hourStart = fromMs + hour * 3_600_000;
        hour++;
        continue;
      }
      s += row(produced);
      produced++;
      leftInHour--;
      k++;
    }
    return k ? s : null;
  }

  return new Readable({
    highWaterMark: 1 << 20,
    read() {
      for (;;) {
        const chunk = nextChunk();
        if (chunk === null) {
          this.push(null);
          return;
        }
        onProgress?.(produced);
        if (!this.push(chunk)) return;
      }
    },
  });
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A fake OpenAI + Anthropic admin API, served from plain data with Node's http
 * module. It ships in the product: the demo runs it so a newcomer sees a
 * reconciliation without credentials, and the tests sync from it.
 *
 * It serves the documented shapes of the four reports a connector reads, with
 * real pagination (bucket pages, has_more / next_page) and auth checks:
 *   OpenAI     GET /v1/organization/costs                 (Authorization: Bearer <adminKey>)
 *              GET /v1/organization/usage/completions
 *   Anthropic  GET /v1/organizations/cost_report          (x-api-key: <adminKey>, anthropic-version)
 *              GET /v1/organizations/usage_report/messages
 * A wrong or missing key gets 401 with the presented key ECHOED in the body (as some providers do),
 * which is what proves that Crossover scrubs provider errors before storing them.
 *
 * DATA FORMAT (every row is one result line of one UTC day; omitted counts are 0, omitted names null):
 *   openai.costs:  { day: 'YYYY-MM-DD', lineItem?: 'gpt-4o-2024-08-06, input', projectId?: 'proj_a',
 *                    amount: '12.34' }                   USD as a decimal string, served as a JSON NUMBER literal
 *                                                         with exactly those digits (amount.value), currency "usd"
 *   openai.usage:  { day, hour?: 0-23 (default 0), model?, projectId?, batch?: boolean, serviceTier?: 'default'|'flex'|…,
 *                    inputTokens? (text input, cached included), inputCachedTokens?, inputAudioTokens?,
 *                    outputTokens?, outputAudioTokens?, requests? }
 *   anthropic.costs: { day, amountCents: '123.45' (decimal string in CENTS, served as is), workspaceId?, description?,
 *                    model?, costType?: 'tokens' (default) | 'web_search' | 'code_execution',
 *                    tokenType?: 'uncached_input_tokens' | 'output_tokens' | 'cache_read_input_tokens'
 *                              | 'cache_creation.ephemeral_5m_input_tokens' | 'cache_creation.ephemeral_1h_input_tokens',
 *                    serviceTier?: 'standard'|'batch'|'priority'|'flex', contextWindow?: '0-200k'|'200k-1M' }
 *   anthropic.usage: { day, hour?, model?, workspaceId?, serviceTier?, contextWindow?, uncachedInputTokens?,
 *                    cacheReadInputTokens?, cacheCreation5mInputTokens?, cacheCreation1hInputTokens?, outputTokens? }
 *   <provider>.badRows?: { report: 'costs' | 'usage', day, json: '<raw JSON of one result>' }  served verbatim
 *                    among that day's results (a provider's malformed row; the sync skips and counts it).
 * Usage rows of one bucket with the same grouping are summed, as the real reports aggregate them; with
 * bucket_width=1d an hour's rows land in their day. Buckets cover [start, end) whether or not they have rows.
 *
 * Pages hold min(limit, pageSize) buckets; next_page is an opaque token. Faults: rateLimitOnce answers the
 * first request with 429 and retry-after: 1; serverErrorOnce answers the next request (after the 429, if
 * any) with 500. Both fire once per server.
 */

export interface FakeOpenAiCostRow {
  day: string;
  lineItem?: string | null;
  projectId?: string | null;
  amount: string;
}
export interface FakeOpenAiUsageRow {
  day: string;
  hour?: number;
  model?: string | null;
  projectId?: string | null;
  batch?: boolean | null;
  serviceTier?: string | null;
  inputTokens?: number;
  inputCachedTokens?: number;
  inputAudioTokens?: number;
  outputTokens?: number;
  outputAudioTokens?: number;
  requests?: number;
}
export interface FakeAnthropicCostRow {
  day: string;
  amountCents: string;
  workspaceId?: string | null;
  description?: string | null;
  model?: string | null;
  costType?: string | null;
  tokenType?: string | null;
  serviceTier?: string | null;
  contextWindow?: string | null;
}
export interface FakeAnthropicUsageRow {
  day: string;
  hour?: number;
  model?: string | null;
  workspaceId?: string | null;
  serviceTier?: string | null;
  contextWindow?: string | null;
  uncachedInputTokens?: number;
  cacheReadInputTokens?: number;
  cacheCreation5mInputTokens?: number;
  cacheCreation1hInputTokens?: number;
  outputTokens?: number;
}
export interface FakeBadRow {
  report: 'costs' | 'usage';
  day: string;
  json: string;
}
export interface FakeOpenAiData {
  costs: FakeOpenAiCostRow[];
  usage: FakeOpenAiUsageRow[];
  badRows?: FakeBadRow[];
}
export interface FakeAnthropicData {
  costs: FakeAnthropicCostRow[];
  usage: FakeAnthropicUsageRow[];
  badRows?: FakeBadRow[];
}

export interface FakeProviderOptions {
  port?: number;
  /** Host to listen on (default 127.0.0.1). */
  host?: string;
  adminKey: string;
  openai?: FakeOpenAiData;
  anthropic?: FakeAnthropicData;
  /** Most buckets per page, whatever `limit` asks (small values force several pages). */
  pageSize?: number;
  faults?: { rateLimitOnce?: boolean; serverErrorOnce?: boolean };
}

export interface FakeProviderRequest {
  method: string;
  path: string;
  query: Record<string, string[]>;
  status: number;
  /** When it was answered (epoch ms). */
  at: number;
}

export interface FakeProvider {
  url: string;
  /** Requests answered so far (any status). */
  readonly requests: number;
  /** Every request with its answer's status, in order. */
  log: FakeProviderRequest[];
  /** The served data; replace it to change what the next sync reads. */
  openai: FakeOpenAiData;
  anthropic: FakeAnthropicData;
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const DECIMAL = /^-?\d+(?:\.\d+)?$/;
/** Most buckets one request may span (guards the fake against absurd ranges). */
const MAX_BUCKETS = 24 * 400;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(String(status));
  }
}

function queryOf(url: URL): Record<string, string[]> {
  const q: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) (q[k.replace(/\[\]$/, '')] ??= []).push(v);
  return q;
}

function one(q: Record<string, string[]>, key: string): string | undefined {
  return q[key]?.[0];
}

function bucketsOf(startMs: number, endMs: number, width: string): number[] {
  const step = width === '1h' ? HOUR_MS : DAY_MS;
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs <= startMs) throw new HttpError(400, { error: { type: 'invalid_request_error', message: 'invalid time range' } });
  const first = Math.floor(startMs / step) * step;
  const out: number[] = [];
  for (let t = first; t < endMs; t += step) {
    out.push(t);
    if (out.length > MAX_BUCKETS) throw new HttpError(400, { error: { type: 'invalid_request_error', message: 'range too long' } });
  }
  return out;
}

function rowStart(day: string, hour: number | undefined, width: string): number {
  const dayMs = Date.parse(`${day}T00:00:00Z`);
  return width === '1h' ? dayMs + (hour ?? 0) * HOUR_MS : dayMs;
}

/** Sums rows that share a grouping (everything but the counts) within one bucket. */
function aggregate<T extends object>(rows: T[], counts: (keyof T)[]): T[] {
  const byKey = new Map<string, T>();
  for (const r of rows) {
    const group = Object.fromEntries(Object.entries(r).filter(([k]) => !counts.includes(k as keyof T) && k !== 'hour'));
    const k = JSON.stringify(group);
    const prev = byKey.get(k);
    if (!prev) {
      byKey.set(k, { ...r });
      continue;
    }
    for (const c of counts) (prev as Record<string, unknown>)[c as string] = (Number(prev[c] ?? 0) + Number(r[c] ?? 0)) as never;
  }
  return [...byKey.values()];
}

/** One page of buckets; `render(bucketStart)` gives a bucket's result JSON texts. */
function paginate(buckets: number[], q: Record<string, string[]>, pageSize: number | undefined, defaultLimit: number, maxLimit: number, bucket: (start: number, results: string[]) => string, render: (start: number) => string[]) {
  const limit = Math.min(Number(one(q, 'limit') ?? defaultLimit) || defaultLimit, maxLimit, pageSize ?? Infinity);
  const token = one(q, 'page');
  let offset = 0;
  if (token) {
    const m = /^page_(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m) throw new HttpError(400, { error: { type: 'invalid_request_error', message: 'invalid page token' } });
    offset = Number(m[1]);
  }
  const slice = buckets.slice(offset, offset + limit);
  const next = offset + limit < buckets.length ? Buffer.from(`page_${offset + limit}`).toString('base64url') : null;
  return { data: slice.map((s) => bucket(s, render(s))), hasMore: next !== null, next };
}

function page(data: string[], hasMore: boolean, next: string | null, object: boolean): string {
  return `{${object ? '"object":"page",' : ''}"data":[${data.join(',')}],"has_more":${hasMore},"next_page":${JSON.stringify(next)}}`;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const dayOfMs = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Starts the fake provider on 127.0.0.1 (a free port unless `port` is given). */
export async function startFakeProvider(opts: FakeProviderOptions): Promise<FakeProvider> {
  let requests = 0;
  let rateLimited = false;
  let serverErrored = false;
  const state: FakeProvider = {
    url: '',
    get requests() {
      return requests;
    },
    log: [],
    openai: opts.openai ?? { costs: [], usage: [] },
    anthropic: opts.anthropic ?? { costs: [], usage: [] },
    close: async () => undefined,
  };

  const badRows = (rows: FakeBadRow[] | undefined, report: 'costs' | 'usage', start: number, width: string) =>
    (rows ?? []).filter((r) => r.report === report && (width === '1h' ? rowStart(r.day, 0, '1h') === start : Date.parse(`${r.day}T00:00:00Z`) === start)).map((r) => r.json);

  const openaiCosts = (q: Record<string, string[]>) => {
    const buckets = bucketsOf(Number(one(q, 'start_time')) * 1000, Number(one(q, 'end_time') ?? Math.ceil(Date.now() / DAY_MS) * DAY_MS / 1000) * 1000, '1d');
    const p = paginate(
      buckets,
      q,
      opts.pageSize,
      7,
      180,
      (s, results) => `{"object":"bucket","start_time":${s / 1000},"end_time":${(s + DAY_MS) / 1000},"results":[${results.join(',')}]}`,
      (s) => [
        ...state.openai.costs
          .filter((r) => r.day === dayOfMs(s))
          .map((r) => {
            if (!DECIMAL.test(r.amount)) throw new Error(`fake provider: amount ${r.amount} is not a decimal`);
            return `{"object":"organization.costs.result","amount":{"value":${r.amount},"currency":"usd"},"line_item":${JSON.stringify(r.lineItem ?? null)},"project_id":${JSON.stringify(r.projectId ?? null)}}`;
          }),
        ...badRows(state.openai.badRows, 'costs', s, '1d'),
      ],
    );
    return page(p.data, p.hasMore, p.next, true);
  };

  const openaiUsage = (q: Record<string, string[]>) => {
    const width = one(q, 'bucket_width') ?? '1d';
    const buckets = bucketsOf(Number(one(q, 'start_time')) * 1000, Number(one(q, 'end_time') ?? Math.ceil(Date.now() / DAY_MS) * DAY_MS / 1000) * 1000, width);
    const counts: (keyof FakeOpenAiUsageRow)[] = ['inputTokens', 'inputCachedTokens', 'inputAudioTokens', 'outputTokens', 'outputAudioTokens', 'requests'];
    const p = paginate(
      buckets,
      q,
      opts.pageSize,
      width === '1h' ? 24 : 7,
      width === '1h' ? 168 : 31,
      (s, results) => `{"object":"bucket","start_time":${s / 1000},"end_time":${(s + (width === '1h' ? HOUR_MS : DAY_MS)) / 1000},"results":[${results.join(',')}]}`,
      (s) => [
        ...aggregate(
          state.openai.usage.filter((r) => rowStart(r.day, r.hour, width) === s),
          counts,
        ).map((r) =>
          JSON.stringify({
            object: 'organization.usage.completions.result',
            input_tokens: r.inputTokens ?? 0,
            output_tokens: r.outputTokens ?? 0,
            input_cached_tokens: r.inputCachedTokens ?? 0,
            input_audio_tokens: r.inputAudioTokens ?? 0,
            output_audio_tokens: r.outputAudioTokens ?? 0,
            num_model_requests: r.requests ?? 0,
            project_id: r.projectId ?? null,
            user_id: null,
            api_key_id: null,
            model: r.model ?? null,
            batch: r.batch ?? null,
            service_tier: r.serviceTier ?? null,
          }),
        ),
        ...badRows(state.openai.badRows, 'usage', s, width),
      ],
    );
    return page(p.data, p.hasMore, p.next, true);
  };

  const anthropicRange = (q: Record<string, string[]>) => {
    const start = Date.parse(one(q, 'starting_at') ?? '');
    const endText = one(q, 'ending_at');
    return { start, end: endText ? Date.parse(endText) : Math.ceil(Date.now() / DAY_MS) * DAY_MS };
  };

  const anthropicCosts = (q: Record<string, string[]>) => {
    const { start, end } = anthropicRange(q);
    const buckets = bucketsOf(start, end, '1d');
    const p = paginate(
      buckets,
      q,
      opts.pageSize,
      7,
      31,
      (s, results) => `{"starting_at":${JSON.stringify(iso(s))},"ending_at":${JSON.stringify(iso(s + DAY_MS))},"results":[${results.join(',')}]}`,
      (s) => [
        ...state.anthropic.costs
          .filter((r) => r.day === dayOfMs(s))
          .map((r) =>
            JSON.stringify({
              currency: 'USD',
              amount: r.amountCents,
              workspace_id: r.workspaceId ?? null,
              description: r.description ?? null,
              cost_type: r.costType ?? 'tokens',
              context_window: r.contextWindow ?? null,
              model: r.model ?? null,
              service_tier: r.serviceTier ?? null,
              token_type: r.tokenType ?? null,
            }),
          ),
        ...badRows(state.anthropic.badRows, 'costs', s, '1d'),
      ],
    );
    return page(p.data, p.hasMore, p.next, false);
  };

  const anthropicUsage = (q: Record<string, string[]>) => {
    const { start, end } = anthropicRange(q);
    const width = one(q, 'bucket_width') ?? '1d';
    const buckets = bucketsOf(start, end, width);
    const counts: (keyof FakeAnthropicUsageRow)[] = ['uncachedInputTokens', 'cacheReadInputTokens', 'cacheCreation5mInputTokens', 'cacheCreation1hInputTokens', 'outputTokens'];
    const p = paginate(
      buckets,
      q,
      opts.pageSize,
      width === '1h' ? 24 : 7,
      width === '1h' ? 168 : 31,
      (s, results) => `{"starting_at":${JSON.stringify(iso(s))},"ending_at":${JSON.stringify(iso(s + (width === '1h' ? HOUR_MS : DAY_MS)))},"results":[${results.join(',')}]}`,
      (s) => [
        ...aggregate(
          state.anthropic.usage.filter((r) => rowStart(r.day, r.hour, width) === s),
          counts,
        ).map((r) =>
          JSON.stringify({
            uncached_input_tokens: r.uncachedInputTokens ?? 0,
            cache_creation: { ephemeral_1h_input_tokens: r.cacheCreation1hInputTokens ?? 0, ephemeral_5m_input_tokens: r.cacheCreation5mInputTokens ?? 0 },
            cache_read_input_tokens: r.cacheReadInputTokens ?? 0,
            output_tokens: r.outputTokens ?? 0,
            server_tool_use: { web_search_requests: 0 },
            api_key_id: null,
            workspace_id: r.workspaceId ?? null,
            model: r.model ?? null,
            service_tier: r.serviceTier ?? null,
            context_window: r.contextWindow ?? null,
          }),
        ),
        ...badRows(state.anthropic.badRows, 'usage', s, width),
      ],
    );
    return page(p.data, p.hasMore, p.next, false);
  };

  const routes: Record<string, { provider: 'openai' | 'anthropic'; serve: (q: Record<string, string[]>) => string }> = {
    '/v1/organization/costs': { provider: 'openai', serve: openaiCosts },
    '/v1/organization/usage/completions': { provider: 'openai', serve: openaiUsage },
    '/v1/organizations/cost_report': { provider: 'anthropic', serve: anthropicCosts },
    '/v1/organizations/usage_report/messages': { provider: 'anthropic', serve: anthropicUsage },
  };

  const answer = (req: IncomingMessage, res: ServerResponse) => {
    requests++;
    const url = new URL(req.url ?? '/', 'http://fake');
    // A proxy base URL may carry a path prefix: routes match on their tail.
    const path = Object.keys(routes).find((p) => url.pathname.endsWith(p));
    const q = queryOf(url);
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      state.log.push({ method: req.method ?? '', path: url.pathname, query: q, status, at: Date.now() });
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
    };
    try {
      if (req.method !== 'GET' || !path) throw new HttpError(404, { error: { type: 'not_found_error', message: `no route ${req.method} ${url.pathname}` } });
      const route = routes[path]!;
      const presented = route.provider === 'openai' ? /^Bearer (.*)$/.exec(req.headers.authorization ?? '')?.[1] : (req.headers['x-api-key'] as string | undefined);
      if (presented !== opts.adminKey) {
        // Echoes the presented key, as a careless provider might: the client must scrub it.
        throw new HttpError(401, { error: { type: 'authentication_error', message: `Incorrect API key provided: ${presented ?? '(none)'}` } });
      }
      if (route.provider === 'anthropic' && !req.headers['anthropic-version']) throw new HttpError(400, { error: { type: 'invalid_request_error', message: 'anthropic-version header is required' } });
      if (opts.faults?.rateLimitOnce && !rateLimited) {
        rateLimited = true;
        return send(429, JSON.stringify({ error: { type: 'rate_limit_error', message: 'slow down' } }), { 'retry-after': '1' });
      }
      if (opts.faults?.serverErrorOnce && !serverErrored) {
        serverErrored = true;
        return send(500, JSON.stringify({ error: { type: 'api_error', message: 'internal error' } }));
      }
      send(200, route.serve(q));
    } catch (e) {
      if (e instanceof HttpError) send(e.status, JSON.stringify(e.body));
      else send(500, JSON.stringify({ error: { type: 'api_error', message: (e as Error).message } }));
    }
  };

  const server = createServer(answer);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  state.url = `http://${opts.host ?? '127.0.0.1'}:${address.port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

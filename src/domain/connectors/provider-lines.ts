import { Decimal } from 'decimal.js';
import { parseJsonKeepingNumbers } from './json-text.js';

/*
 * What the providers' admin APIs report, turned into Crossover's provider
 * lines. Every page is untrusted input: the page's frame (data, has_more,
 * next_page) must be right or the page is refused, while each row is checked
 * on its own, so one bad row is skipped and counted and never sinks its
 * neighbours. Shapes, from the providers' published references:
 * - OpenAI Costs API, GET /v1/organization/costs: { object: "page", data: [{ object: "bucket",
 *   start_time, end_time (unix s), results: [{ object: "organization.costs.result",
 *   amount: { value (JSON number), currency ("usd") }, line_item, project_id }] }], has_more, next_page }.
 * - OpenAI Usage API, GET /v1/organization/usage/completions: the same frame; results carry
 *   input_tokens (text, cached included), input_cached_tokens, output_tokens, input_audio_tokens,
 *   output_audio_tokens, num_model_requests, and the group_by values model, project_id, batch, service_tier.
 * - Anthropic Admin API, GET /v1/organizations/usage_report/messages: { data: [{ starting_at,
 *   ending_at (RFC 3339), results: [{ uncached_input_tokens, cache_read_input_tokens,
 *   cache_creation: { ephemeral_5m_input_tokens, ephemeral_1h_input_tokens }, output_tokens,
 *   model, workspace_id, service_tier, context_window, ... }] }], has_more, next_page }.
 * - Anthropic cost report, GET /v1/organizations/cost_report: results carry amount (a DECIMAL
 *   STRING in cents: "123.45" is $1.2345), currency, cost_type, token_type, service_tier,
 *   context_window, model, workspace_id, description.
 */

export type ConnectorProvider = 'openai' | 'anthropic';
export const CONNECTOR_PROVIDERS: readonly ConnectorProvider[] = ['openai', 'anthropic'];

export type ServiceTier = 'default' | 'batch' | 'flex' | 'priority';
export type BucketWidth = '1h' | '1d';

/** Catalog id for a model as a provider names it, '' when the catalog does not know it. */
export type ModelResolver = (provider: ConnectorProvider, model: string) => string;

/** One billed line: USD for one (day, grouping) of the cost report. */
export interface CostLine {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  lineKey: string;
  provider: ConnectorProvider;
  project: string;
  model: string;
  modelId: string;
  lineItem: string;
  serviceTier: ServiceTier;
  costType: string;
  tokenType: string;
  /** USD, exact (12 decimal places at most). */
  amountUsd: Decimal;
  currency: 'USD';
}

/** One counted line: tokens for one (bucket, grouping), canonical semantics (input = ALL input, cache reads and writes included). */
export interface UsageLine {
  /** Bucket start, ISO 8601 UTC. */
  bucketStart: string;
  bucketWidth: BucketWidth;
  lineKey: string;
  provider: ConnectorProvider;
  project: string;
  model: string;
  modelId: string;
  serviceTier: ServiceTier;
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  outputTokens: number;
  audioInputTokens: number;
  audioOutputTokens: number;
}

/** A page as read: its lines, how many rows were skipped (and the first few reasons), and where the next page is. */
export interface ParsedPage<L> {
  lines: L[];
  skipped: number;
  reasons: string[];
  hasMore: boolean;
  nextPage: string | null;
}

/** The page's frame is wrong (not JSON, no data array, has_more without next_page): the provider answered something else. */
export class ProviderFormatError extends Error {}

/** A day range [from, to) in UTC epoch ms; rows outside it are skipped (a replace must only touch its own range). */
export interface DayRange {
  fromMs: number;
  toMs: number;
}

const DAY_MS = 86_400_000;
/** Longest grouping value kept (chars): ids and model names are far shorter; longer is not a real value. */
const MAX_TEXT = 200;
/** Largest token count accepted in one row (tokens): 10^15 is far beyond any day of any organization. */
const MAX_TOKENS = 1e15;
/** Largest |amount| accepted in one row (USD): a trillion dollars a day is not a bill. */
const MAX_USD = new Decimal('1e11');
/** Reasons kept per page (the count is always exact). */
const MAX_REASONS = 5;
/** Longest next_page cursor accepted (chars). */
const MAX_CURSOR = 2_048;

const DECIMAL_TEXT = /^-?(?:0|[1-9]\d{0,14})(?:\.\d{1,20})?(?:[eE][+-]?\d{1,3})?$/;
const INTEGER_TEXT = /^(?:0|[1-9]\d{0,15})$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** The four tiers Crossover prices; every provider spelling maps onto one of them. */
export function normalizeServiceTier(value: unknown, batch?: unknown): ServiceTier {
  if (batch === true || batch === 'true') return 'batch';
  if (typeof value !== 'string') return 'default';
  const v = value.trim().toLowerCase();
  if (v === 'batch') return 'batch';
  if (v === 'flex' || v === 'flex_discount') return 'flex';
  if (v === 'priority' || v === 'priority_on_demand' || v === 'scale') return 'priority';
  // standard (Anthropic), default and auto (OpenAI), and anything new are billed at the standard rate.
  return 'default';
}

/** YYYY-MM-DD of a UTC epoch ms. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

class RowError extends Error {}

function fail(message: string): never {
  throw new RowError(message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A grouping value: null/absent → '', else a short printable string. */
function text(row: Record<string, unknown>, key: string): string {
  const v = row[key];
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') fail(`${key} is not a string`);
  // eslint-disable-next-line no-control-regex
  if (v.length > MAX_TEXT || /[\u0000-\u001f\u007f]|[\uD800-\uDFFF]/.test(v)) fail(`${key} is not a plausible value`);
  return v;
}

/** A token count: absent/null → 0, else a non-negative integer (as number text, since numbers arrive as text). */
function count(value: unknown, key: string): number {
  if (value === null || value === undefined) return 0;
  if (typeof value !== 'string' || !INTEGER_TEXT.test(value)) fail(`${key} is not a non-negative integer`);
  const n = Number(value);
  if (n > MAX_TOKENS) fail(`${key} is implausibly large`);
  return n;
}

function decimal(value: unknown, key: string): Decimal {
  if (typeof value !== 'string' || !DECIMAL_TEXT.test(value)) fail(`${key} is not a decimal`);
  const d = new Decimal(value);
  if (!d.isFinite()) fail(`${key} is not finite`);
  return d;
}

function usd(amount: Decimal, key: string): Decimal {
  const rounded = amount.toDecimalPlaces(12, Decimal.ROUND_HALF_EVEN);
  if (rounded.abs().gt(MAX_USD)) fail(`${key} is implausibly large`);
  return rounded;
}

function unixSeconds(value: unknown, key: string): number {
  if (typeof value !== 'string' || !INTEGER_TEXT.test(value)) fail(`${key} is not unix seconds`);
  return Number(value) * 1000;
}

function rfc3339(value: unknown, key: string): number {
  if (typeof value !== 'string' || !RFC3339.test(value)) fail(`${key} is not an RFC 3339 timestamp`);
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) fail(`${key} is not a date`);
  return ms;
}

function checkInRange(startMs: number, range: DayRange) {
  if (startMs < range.fromMs || startMs >= range.toMs) fail(`bucket ${new Date(startMs).toISOString()} is outside the requested range`);
}

/** Parses the page body and checks its frame; returns the buckets (each an object). */
function frame(body: string): { buckets: Record<string, unknown>[]; hasMore: boolean; nextPage: string | null } {
  let json: unknown;
  try {
    json = parseJsonKeepingNumbers(body);
  } catch {
    throw new ProviderFormatError('the provider answered something that is not JSON');
  }
  if (!isObject(json) || !Array.isArray(json.data)) throw new ProviderFormatError('the provider page has no data array');
  const hasMore = json.has_more === true;
  if (json.has_more !== undefined && typeof json.has_more !== 'boolean') throw new ProviderFormatError('has_more is not a boolean');
  let nextPage: string | null = null;
  if (hasMore) {
    if (typeof json.next_page !== 'string' || !json.next_page || json.next_page.length > MAX_CURSOR) throw new ProviderFormatError('has_more without a usable next_page');
    nextPage = json.next_page;
  }
  return { buckets: json.data as Record<string, unknown>[], hasMore, nextPage };
}

/**
 * Walks buckets and rows; `mapRow` throws RowError for a row it refuses, which is
 * skipped and counted. A bucket that is not an object (or has no results array) counts as one skipped row.
 */
function walk<L>(body: string, bucketStart: (bucket: Record<string, unknown>) => number, mapRow: (row: Record<string, unknown>, startMs: number) => L): ParsedPage<L> {
  const { buckets, hasMore, nextPage } = frame(body);
  const page: ParsedPage<L> = { lines: [], skipped: 0, reasons: [], hasMore, nextPage };
  const skip = (e: unknown) => {
    if (!(e instanceof RowError)) throw e;
    page.skipped++;
    if (page.reasons.length < MAX_REASONS) page.reasons.push(e.message);
  };
  for (const bucket of buckets) {
    let startMs: number;
    let rows: unknown[];
    try {
      if (!isObject(bucket)) fail('bucket is not an object');
      if (!Array.isArray(bucket.results)) fail('bucket has no results array');
      startMs = bucketStart(bucket);
      rows = bucket.results;
    } catch (e) {
      skip(e);
      continue;
    }
    for (const row of rows) {
      try {
        if (!isObject(row)) fail('row is not an object');
        page.lines.push(mapRow(row, startMs));
      } catch (e) {
        skip(e);
      }
    }
  }
  return page;
}

/** OpenAI line items read "gpt-4o-2024-08-06, input", "gpt-4o-mini, cached input", "o3, batch output" or a tool name ("Web search tool calls"). */
export function splitOpenAiLineItem(lineItem: string): { model: string; tokenType: string; tier: ServiceTier | null } {
  const comma = lineItem.lastIndexOf(', ');
  const head = (comma >= 0 ? lineItem.slice(0, comma) : lineItem).trim();
  const kind = comma >= 0 ? lineItem.slice(comma + 2).trim().toLowerCase() : '';
  const audio = /\baudio\b/.test(kind);
  let tokenType = '';
  if (/\bcached\b|\bcache read/.test(kind)) tokenType = audio ? 'cache_read_audio' : 'cache_read';
  else if (/\binput\b/.test(kind)) tokenType = audio ? 'input_audio' : 'input';
  else if (/\boutput\b/.test(kind)) tokenType = audio ? 'output_audio' : 'output';
  const tier = /\bbatch\b/.test(kind) ? 'batch' : /\bflex\b/.test(kind) ? 'flex' : /\bpriority\b/.test(kind) ? 'priority' : null;
  // Display spellings ("GPT-4o mini") become API ids ("gpt-4o-mini").
  const model = head.toLowerCase().replace(/\s+/g, '-');
  return { model, tokenType, tier };
}

/** OpenAI Costs API page → cost lines (amount.value is USD, read digit for digit). */
export function parseOpenAiCostsPage(body: string, range: DayRange, resolve: ModelResolver): ParsedPage<CostLine> {
  return walk(
    body,
    (b) => unixSeconds(b.start_time, 'start_time'),
    (row, startMs) => {
      checkInRange(startMs, range);
      if (!isObject(row.amount)) fail('amount is missing');
      const currency = text(row.amount, 'currency').toUpperCase() || 'USD';
      if (currency !== 'USD') fail(`currency ${currency} is not USD`);
      const amountUsd = usd(decimal(row.amount.value, 'amount.value'), 'amount.value');
      const lineItem = text(row, 'line_item');
      const project = text(row, 'project_id');
      const split = splitOpenAiLineItem(lineItem);
      const modelId = split.model ? resolve('openai', split.model) : '';
      // A line names a model when it has a token kind ("…, input") or its name is a catalog model.
      const model = split.tokenType || modelId ? split.model : '';
      return {
        day: dayOf(startMs),
        lineKey: key([project, lineItem]),
        provider: 'openai',
        project,
        model,
        modelId,
        lineItem,
        serviceTier: split.tier ?? 'default',
        costType: split.tokenType ? 'tokens' : model ? 'tokens' : lineItem ? 'other' : '',
        tokenType: split.tokenType,
        amountUsd,
        currency: 'USD',
      };
    },
  );
}

/** OpenAI Usage API (completions) page → usage lines; canonical input = text input (cached included) + audio input. */
export function parseOpenAiUsagePage(body: string, range: DayRange, width: BucketWidth, resolve: ModelResolver): ParsedPage<UsageLine> {
  return walk(
    body,
    (b) => unixSeconds(b.start_time, 'start_time'),
    (row, startMs) => {
      checkInRange(startMs, range);
      const model = text(row, 'model');
      const project = text(row, 'project_id');
      const tierText = text(row, 'service_tier');
      if (row.batch !== undefined && row.batch !== null && typeof row.batch !== 'boolean') fail('batch is not a boolean');
      const serviceTier = normalizeServiceTier(tierText, row.batch);
      const textIn = count(row.input_tokens, 'input_tokens');
      const cached = count(row.input_cached_tokens, 'input_cached_tokens');
      const audioIn = count(row.input_audio_tokens, 'input_audio_tokens');
      const textOut = count(row.output_tokens, 'output_tokens');
      const audioOut = count(row.output_audio_tokens, 'output_audio_tokens');
      if (cached > textIn) fail('input_cached_tokens exceeds input_tokens');
      return {
        bucketStart: new Date(startMs).toISOString(),
        bucketWidth: width,
        lineKey: key([project, model, row.batch === true ? 'batch' : row.batch === false ? 'nonbatch' : '', tierText]),
        provider: 'openai',
        project,
        model,
        modelId: model ? resolve('openai', model) : '',
        serviceTier,
        requests: count(row.num_model_requests, 'num_model_requests'),
        inputTokens: textIn + audioIn,
        cachedInputTokens: cached,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
        outputTokens: textOut + audioOut,
        audioInputTokens: audioIn,
        audioOutputTokens: audioOut,
      };
    },
  );
}

/** Anthropic cost report token types → Crossover token classes. */
const ANTHROPIC_TOKEN_TYPES: Record<string, string> = {
  uncached_input_tokens: 'input',
  output_tokens: 'output',
  cache_read_input_tokens: 'cache_read',
  'cache_creation.ephemeral_5m_input_tokens': 'cache_write_5m',
  'cache_creation.ephemeral_1h_input_tokens': 'cache_write_1h',
};

/** Anthropic cost report page → cost lines; `amount` is a decimal string in CENTS, so USD = amount / 100 exactly. */
export function parseAnthropicCostPage(body: string, range: DayRange, resolve: ModelResolver): ParsedPage<CostLine> {
  return walk(
    body,
    (b) => rfc3339(b.starting_at, 'starting_at'),
    (row, startMs) => {
      checkInRange(startMs, range);
      const currency = text(row, 'currency').toUpperCase() || 'USD';
      if (currency !== 'USD') fail(`currency ${currency} is not USD`);
      const amountUsd = usd(decimal(row.amount, 'amount').div(100), 'amount');
      const model = text(row, 'model');
      const project = text(row, 'workspace_id');
      const description = text(row, 'description');
      const costType = text(row, 'cost_type');
      const tokenTypeRaw = text(row, 'token_type');
      const tierText = text(row, 'service_tier');
      const contextWindow = text(row, 'context_window');
      const geo = text(row, 'inference_geo');
      return {
        day: dayOf(startMs),
        lineKey: key([project, description, model, costType, tokenTypeRaw, tierText, contextWindow, geo]),
        provider: 'anthropic',
        project,
        model,
        modelId: model ? resolve('anthropic', model) : '',
        lineItem: description,
        serviceTier: normalizeServiceTier(tierText),
        costType,
        tokenType: tokenTypeRaw ? (ANTHROPIC_TOKEN_TYPES[tokenTypeRaw] ?? tokenTypeRaw) : '',
        amountUsd,
        currency: 'USD',
      };
    },
  );
}

/** Anthropic messages usage report page → usage lines; input = uncached + cache reads + 5-minute and 1-hour cache writes. */
export function parseAnthropicUsagePage(body: string, range: DayRange, width: BucketWidth, resolve: ModelResolver): ParsedPage<UsageLine> {
  return walk(
    body,
    (b) => rfc3339(b.starting_at, 'starting_at'),
    (row, startMs) => {
      checkInRange(startMs, range);
      const model = text(row, 'model');
      const project = text(row, 'workspace_id');
      const tierText = text(row, 'service_tier');
      const contextWindow = text(row, 'context_window');
      const geo = text(row, 'inference_geo');
      const uncached = count(row.uncached_input_tokens, 'uncached_input_tokens');
      const read = count(row.cache_read_input_tokens, 'cache_read_input_tokens');
      const creation = row.cache_creation;
      if (creation !== undefined && creation !== null && !isObject(creation)) fail('cache_creation is not an object');
      const write5m = isObject(creation) ? count(creation.ephemeral_5m_input_tokens, 'cache_creation.ephemeral_5m_input_tokens') : 0;
      const write1h = isObject(creation) ? count(creation.ephemeral_1h_input_tokens, 'cache_creation.ephemeral_1h_input_tokens') : 0;
      return {
        bucketStart: new Date(startMs).toISOString(),
        bucketWidth: width,
        lineKey: key([project, model, tierText, contextWindow, geo, text(row, 'api_key_id')]),
        provider: 'anthropic',
        project,
        model,
        modelId: model ? resolve('anthropic', model) : '',
        serviceTier: normalizeServiceTier(tierText),
        // The usage report has no request count.
        requests: 0,
        inputTokens: uncached + read + write5m + write1h,
        cachedInputTokens: read,
        cacheWriteTokens: write5m + write1h,
        cacheWrite1hTokens: write1h,
        outputTokens: count(row.output_tokens, 'output_tokens'),
        audioInputTokens: 0,
        audioOutputTokens: 0,
      };
    },
  );
}

/** A line's key within its day or bucket: its grouping values, joined unambiguously. */
function key(parts: string[]): string {
  return parts.map((p) => p.replace(/\\/g, '\\\\').replace(/\|/g, '\\|')).join('|');
}

/**
 * Lines that share (day or bucket, key) are summed into one: a provider repeating
 * a grouping must not make a replace fail on the primary key, nor be dropped.
 */
export function mergeCostLines(lines: CostLine[]): CostLine[] {
  const byKey = new Map<string, CostLine>();
  for (const l of lines) {
    const k = `${l.day}\u0000${l.lineKey}`;
    const prev = byKey.get(k);
    byKey.set(k, prev ? { ...prev, amountUsd: prev.amountUsd.plus(l.amountUsd) } : l);
  }
  return [...byKey.values()];
}

const USAGE_COUNTS = ['requests', 'inputTokens', 'cachedInputTokens', 'cacheWriteTokens', 'cacheWrite1hTokens', 'outputTokens', 'audioInputTokens', 'audioOutputTokens'] as const;

export function mergeUsageLines(lines: UsageLine[]): UsageLine[] {
  const byKey = new Map<string, UsageLine>();
  for (const l of lines) {
    const k = `${l.bucketStart}\u0000${l.lineKey}`;
    const prev = byKey.get(k);
    if (!prev) {
      byKey.set(k, { ...l });
      continue;
    }
    for (const c of USAGE_COUNTS) prev[c] += l[c];
  }
  return [...byKey.values()];
}

/**
 * How long a 429 asks to wait (ms), from Retry-After in seconds or as an HTTP date,
 * capped at `capMs`; `fallbackMs` when absent or unreadable.
 */
export function retryAfterMs(header: string | undefined, nowMs: number, fallbackMs: number, capMs: number): number {
  let ms = fallbackMs;
  const v = header?.trim();
  if (v && /^\d{1,9}(?:\.\d+)?$/.test(v)) ms = Math.ceil(Number(v) * 1000);
  else if (v) {
    const at = Date.parse(v);
    if (Number.isFinite(at)) ms = Math.max(0, at - nowMs);
  }
  return Math.min(Math.max(ms, 0), capMs);
}

/** Exponential backoff before retry `attempt` (1-based) of a 5xx or a network error (ms): base, 2 x base, 4 x base, … capped. */
export function backoffMs(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), capMs);
}

/** Provider admin keys look like these; any of them in a provider's text is removed even when it is not the connector's own. */
const KEY_LIKE = /\b(?:sk|rk)-[A-Za-z0-9_-]{8,}|\bsk-ant-[A-Za-z0-9_-]{8,}/g;

/**
 * Text from a provider (an error body, a message) with the secret and anything
 * key-shaped replaced, cut to `max` chars: safe for a run's error, a log line or a response.
 */
export function scrubSecret(textIn: string, secret: string, max = 300): string {
  let out = textIn;
  if (secret) out = out.split(secret).join('[redacted]');
  // A provider may echo part of the key (a prefix, a suffix): long enough fragments go too.
  if (secret.length >= 16) {
    for (const part of [secret.slice(0, 12), secret.slice(-12)]) out = out.split(part).join('[redacted]');
  }
  out = out.replace(KEY_LIKE, '[redacted]');
  // eslint-disable-next-line no-control-regex
  out = out.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return out.length > max ? `${out.slice(0, max)}…` : out;
}

/** Day range [from, to) from two YYYY-MM-DD strings (to exclusive), in epoch ms. */
export function dayRange(fromDay: string, toDay: string): DayRange {
  return { fromMs: Date.parse(`${fromDay}T00:00:00Z`), toMs: Date.parse(`${toDay}T00:00:00Z`) };
}

/** YYYY-MM-DD `days` after `day` (negative: before). */
export function addDays(day: string, days: number): string {
  return dayOf(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/*
 * Canonical usage of one event (the contract the API docs quote):
 *
 *   inputTokens        ALL prompt tokens: fresh input + cache reads + cache writes.
 *   cachedInputTokens  subset of inputTokens that was read from the provider's prompt cache.
 *   cacheWriteTokens   subset of inputTokens that was written to the provider's prompt cache.
 *                      Fresh (uncached) input = inputTokens - cachedInputTokens - cacheWriteTokens >= 0.
 *   outputTokens       ALL generated tokens, including reasoning / thinking tokens.
 *   reasoningTokens    subset of outputTokens spent on reasoning (0 when the provider does not say).
 *
 * Every count is a non-negative integer (JS number) no greater than 10,000,000,000.
 *
 * Classes priced apart (optional, absent = 0; each a subset, checked):
 *   cacheWrite1hTokens       ⊆ cacheWriteTokens   Anthropic cache_creation.ephemeral_1h_input_tokens
 *   audio/image/videoInputTokens ⊆ fresh input    Gemini *TokensDetails (prompt minus cache) by modality,
 *                                                 OpenAI prompt_tokens_details.audio_tokens (Realtime: image_tokens)
 *   cachedAudioInputTokens   ⊆ cachedInputTokens  Gemini cacheTokensDetails AUDIO, OpenAI Realtime cached_tokens_details
 *   audioOutputTokens        ⊆ output - reasoning Gemini candidatesTokensDetails AUDIO, OpenAI completion_tokens_details
 * The service tier the object or its response body reports (service_tier) and a gateway's cost
 * (OpenRouter usage.cost) are returned beside the counts.
 *
 * Provider formats are detected from their keys, first match wins, so mixed
 * objects resolve deterministically:
 *   1. gemini            promptTokenCount / candidatesTokenCount / cachedContentTokenCount /
 *                        thoughtsTokenCount / toolUsePromptTokenCount / totalTokenCount
 *   2. canonical         any canonical camelCase key above (Bedrock keys, if also present, are ignored)
 *   3. bedrock-converse  camelCase inputTokens/outputTokens with cacheReadInputTokens / cacheWriteInputTokens
 *                        (Bedrock's inputTokens excludes cache reads and writes, like Anthropic's)
 *   4. openai-chat       prompt_tokens / completion_tokens / prompt_tokens_details / completion_tokens_details
 *   5. anthropic         cache_read_input_tokens / cache_creation_input_tokens (even 0 or null) /
 *                        cache_creation / server_tool_use / service_tier: Anthropic wins over
 *                        Responses when both kinds of key appear, because its cache keys change the sums
 *   6. openai-responses  input_tokens / output_tokens / input_tokens_details / output_tokens_details.
 *                        A bare { input_tokens, output_tokens } lands here: without cache keys Anthropic
 *                        and Responses mean the same numbers, so the choice cannot change a cost.
 * A whole response body is unwrapped once: `usageMetadata` (Gemini) or `usage` (OpenAI, Anthropic),
 * when the top level carries no usage key itself. A count that is null or absent is "not reported" = 0,
 * but each format needs at least one non-null input or output count.
 */

import { Money } from '../money.js';
import type { ServiceTier } from './price.js';
import { REPORTED_SERVICE_TIER_VALUES, serviceTierFromReported } from './service-tier.js';
import { FORMAT_MAPPERS, type ClassKey, type FieldReader, type Mapped, type Obj } from './usage-formats.js';

/** Token counts of one event in canonical semantics (see the block comment above); all counts in tokens. */
export interface CanonicalUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** Subset of cacheWriteTokens written with a 1-hour TTL (Anthropic); absent = 0. */
  cacheWrite1hTokens?: number;
  /** Subsets of FRESH input (input - cached - cache writes) by modality; absent = 0. */
  audioInputTokens?: number;
  imageInputTokens?: number;
  videoInputTokens?: number;
  /** Subset of cachedInputTokens that is audio; absent = 0. */
  cachedAudioInputTokens?: number;
  /** Subset of output - reasoning that is audio; absent = 0. */
  audioOutputTokens?: number;
}

/** Every count of CanonicalUsage present (tokens): what a stored row or a rollup holds, absent classes read as 0. */
export type TokenCounts = Required<CanonicalUsage>;

/** The same counts as PostgreSQL returns bigint sums: decimal text. */
export type TokenCountsText = { [K in keyof TokenCounts]: string };

export type UsageFormat =
  | 'canonical'
  | 'openai-chat'
  | 'openai-responses'
  | 'anthropic'
  | 'gemini'
  | 'bedrock-converse'
  | 'otel';

/** One validation problem; `field` is a path relative to the event, e.g. `usage.prompt_tokens`. */
export interface UsageFieldError {
  field: string;
  message: string;
}

export type UsageResult =
  | {
      ok: true;
      usage: CanonicalUsage;
      format: UsageFormat;
      /** The tier the usage object or response body reports (service_tier), mapped; absent when it reports none. */
      serviceTier?: ServiceTier;
      /** A cost a gateway reported in the usage object (USD, decimal string, at most 12 places). */
      gatewayCostUsd?: string;
    }
  | { ok: false; errors: UsageFieldError[] };

/** Largest accepted token count (10 billion tokens): above it a count is a bug, not usage. */
export const MAX_TOKEN_COUNT = 10_000_000_000;

const GEMINI_KEYS = [
  'promptTokenCount',
  'candidatesTokenCount',
  'cachedContentTokenCount',
  'thoughtsTokenCount',
  'toolUsePromptTokenCount',
  'totalTokenCount',
];
const CANONICAL_KEYS = ['inputTokens', 'outputTokens', 'cachedInputTokens', 'cacheWriteTokens', 'reasoningTokens'];
const CANONICAL_ONLY_KEYS = ['cachedInputTokens', 'cacheWriteTokens', 'reasoningTokens'];
const BEDROCK_MARKERS = ['cacheReadInputTokens', 'cacheWriteInputTokens'];
const CHAT_KEYS = ['prompt_tokens', 'completion_tokens', 'prompt_tokens_details', 'completion_tokens_details'];
const ANTHROPIC_MARKERS = [
  'cache_read_input_tokens',
  'cache_creation_input_tokens',
  'cache_creation',
  'server_tool_use',
  'service_tier',
];
const RESPONSES_KEYS = ['input_tokens', 'output_tokens', 'input_tokens_details', 'output_tokens_details'];
/** Count keys of a usage object; a response body never has them at its top level (service_tier, which it may have, is not one). */
const COUNT_KEYS = [
  ...GEMINI_KEYS,
  ...CANONICAL_KEYS,
  ...BEDROCK_MARKERS,
  ...CHAT_KEYS,
  ...RESPONSES_KEYS,
  'cache_read_input_tokens',
  'cache_creation_input_tokens',
];

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function hasAny(o: Obj, keys: readonly string[]): boolean {
  return keys.some((k) => k in o);
}

function showValue(v: unknown): string {
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return 'array';
  return v === null ? 'null' : typeof v;
}

/**
 * Validates one count (tokens). Returns undefined for absent/null or invalid
 * (an error is recorded for invalid). Numeric strings are accepted only where
 * the transport cannot carry integers (OTLP intValue).
 */
function checkCount(v: unknown, field: string, errors: UsageFieldError[], allowNumericString = false): number | undefined {
  if (v === undefined || v === null) return undefined;
  let n: number;
  if (typeof v === 'number') {
    n = v;
  } else if (allowNumericString && typeof v === 'string' && /^\s*\d+\s*$/.test(v)) {
    n = Number(v.trim());
  } else {
    errors.push({ field, message: `must be a non-negative integer token count, got ${showValue(v)}` });
    return undefined;
  }
  if (!Number.isFinite(n) || !Number.isInteger(n) || n < 0) {
    errors.push({ field, message: `must be a non-negative integer token count, got ${showValue(n)}` });
    return undefined;
  }
  if (n > MAX_TOKEN_COUNT) {
    errors.push({ field, message: `${n} tokens exceeds the maximum of 10,000,000,000 per event` });
    return undefined;
  }
  return n === 0 ? 0 : n;
}

function detailsObject(o: Obj, key: string, field: string, errors: UsageFieldError[]): Obj | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) {
    errors.push({ field, message: `must be an object, got ${showValue(v)}` });
    return undefined;
  }
  return v;
}

function detectFormat(o: Obj): Exclude<UsageFormat, 'otel'> | null {
  if (hasAny(o, GEMINI_KEYS)) return 'gemini';
  if (hasAny(o, CANONICAL_ONLY_KEYS)) return 'canonical';
  if (hasAny(o, BEDROCK_MARKERS)) return 'bedrock-converse';
  if (hasAny(o, CANONICAL_KEYS)) return 'canonical';
  if (hasAny(o, CHAT_KEYS)) return 'openai-chat';
  if (hasAny(o, ANTHROPIC_MARKERS)) return 'anthropic';
  if (hasAny(o, RESPONSES_KEYS)) return 'openai-responses';
  return null;
}

function listAt(o: Obj, key: string, field: string, errors: UsageFieldError[]): unknown[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    errors.push({ field, message: `must be an array, got ${showValue(v)}` });
    return undefined;
  }
  return v;
}

function mapFormat(format: Exclude<UsageFormat, 'otel'>, o: Obj, base: string, errors: UsageFieldError[]): Mapped {
  const reader: FieldReader = {
    p: (key) => `${base}.${key}`,
    c: (obj, key, field) => (obj ? checkCount(obj[key], field, errors) : undefined),
    d: (obj, key, field) => detailsObject(obj, key, field, errors),
    a: (obj, key, field) => listAt(obj, key, field, errors),
    e: (field, message) => errors.push({ field, message }),
  };
  return FORMAT_MAPPERS[format](o, reader);
}

/** Cross-field invariants of canonical usage (tokens); appends errors naming the offending raw field. */
function checkInvariants(m: Mapped, base: string, errors: UsageFieldError[]): void {
  const u = m.usage;
  if (m.input === undefined && m.output === undefined) {
    errors.push({ field: base, message: 'no input or output token count was reported' });
    return;
  }
  if (u.inputTokens > MAX_TOKEN_COUNT) {
    errors.push({ field: m.paths.input, message: `total input of ${u.inputTokens} tokens exceeds 10,000,000,000` });
  }
  if (u.outputTokens > MAX_TOKEN_COUNT) {
    errors.push({ field: m.paths.output, message: `total output of ${u.outputTokens} tokens exceeds 10,000,000,000` });
  }
  if (u.cachedInputTokens + u.cacheWriteTokens > u.inputTokens) {
    errors.push({
      field: u.cacheWriteTokens > 0 ? m.paths.cacheWrite : m.paths.cached,
      message:
        `cached (${u.cachedInputTokens}) + cache-write (${u.cacheWriteTokens}) tokens exceed the ` +
        `${u.inputTokens} input tokens that must include them`,
    });
  }
  if (u.reasoningTokens > u.outputTokens) {
    errors.push({
      field: m.paths.reasoning,
      message: `${u.reasoningTokens} reasoning tokens exceed the ${u.outputTokens} output tokens that must include them`,
    });
  }
  if (errors.length > 0) return;
  // The classes priced apart are subsets (see CanonicalUsage); the first offending class is named.
  const path = (k: ClassKey) => m.paths.classes?.[k] ?? `${base}.${k}`;
  const w1h = u.cacheWrite1hTokens ?? 0;
  if (w1h > u.cacheWriteTokens) {
    errors.push({ field: path('cacheWrite1hTokens'), message: `${w1h} 1-hour cache-write tokens exceed the ${u.cacheWriteTokens} cache-write tokens that must include them` });
  }
  const fresh = u.inputTokens - u.cachedInputTokens - u.cacheWriteTokens;
  const byModality = (u.audioInputTokens ?? 0) + (u.imageInputTokens ?? 0) + (u.videoInputTokens ?? 0);
  if (byModality > fresh) {
    const k: ClassKey = u.audioInputTokens ? 'audioInputTokens' : u.imageInputTokens ? 'imageInputTokens' : 'videoInputTokens';
    errors.push({
      field: path(k),
      message: `audio (${u.audioInputTokens ?? 0}) + image (${u.imageInputTokens ?? 0}) + video (${u.videoInputTokens ?? 0}) input tokens exceed the ${fresh} fresh (uncached) input tokens that must include them`,
    });
  }
  const cachedAudio = u.cachedAudioInputTokens ?? 0;
  if (cachedAudio > u.cachedInputTokens) {
    errors.push({ field: path('cachedAudioInputTokens'), message: `${cachedAudio} cached audio tokens exceed the ${u.cachedInputTokens} cached input tokens that must include them` });
  }
  const audioOut = u.audioOutputTokens ?? 0;
  if (audioOut > u.outputTokens - u.reasoningTokens) {
    errors.push({
      field: path('audioOutputTokens'),
      message: `${audioOut} audio output tokens exceed the ${u.outputTokens - u.reasoningTokens} non-reasoning output tokens that must include them`,
    });
  }
}

/** A provider's service_tier value → Crossover's tier; an unknown value is an error naming the field. */
function reportedTier(raw: Obj, inner: Obj, basePath: string, base: string, errors: UsageFieldError[]): ServiceTier | undefined {
  // The usage object's own (Anthropic) first, then the response body's (OpenAI).
  const [v, field] =
    inner.service_tier !== undefined && inner.service_tier !== null
      ? [inner.service_tier, `${base}.service_tier`]
      : raw !== inner && raw.service_tier !== undefined && raw.service_tier !== null
        ? [raw.service_tier, `${basePath}.service_tier`]
        : [undefined, ''];
  if (v === undefined) return undefined;
  const tier = serviceTierFromReported(v);
  if (tier === null) errors.push({ field, message: `must be one of ${REPORTED_SERVICE_TIER_VALUES.join(', ')}, got ${showValue(v)}` });
  return tier ?? undefined;
}

/** Largest cost accepted (USD, exclusive), the same bound as an event's providerCostUsd. */
const MAX_COST_USD = new Money('1e12');

/** A gateway's cost (JSON number or decimal string, USD) as a decimal string rounded to 12 places, or an error. */
function gatewayCost(g: NonNullable<Mapped['gatewayCost']>, errors: UsageFieldError[]): string | undefined {
  const v = g.value;
  let d: InstanceType<typeof Money> | null = null;
  try {
    if (typeof v === 'number' && Number.isFinite(v)) d = new Money(v);
    else if (typeof v === 'string' && /^\d{1,12}(\.\d{1,12})?$/.test(v)) d = new Money(v);
  } catch {
    d = null;
  }
  if (d === null || d.isNegative() || d.gte(MAX_COST_USD)) {
    errors.push({ field: g.field, message: `must be a non-negative cost in USD below 1e12, got ${showValue(v)}` });
    return undefined;
  }
  return d.toDecimalPlaces(12).toFixed();
}

/**
 * Normalises one event's usage object (any supported provider format, or a whole
 * response body carrying one) to canonical token counts; `basePath` prefixes error fields.
 */
export function normalizeUsage(raw: unknown, basePath = 'usage'): UsageResult {
  if (!isObj(raw)) return { ok: false, errors: [{ field: basePath, message: `must be an object, got ${showValue(raw)}` }] };
  let o = raw;
  let base = basePath;
  if (!hasAny(o, COUNT_KEYS)) {
    const wrapperKey = 'usageMetadata' in o ? 'usageMetadata' : 'usage' in o ? 'usage' : null;
    if (wrapperKey !== null) {
      const inner = o[wrapperKey];
      base = `${basePath}.${wrapperKey}`;
      if (!isObj(inner)) return { ok: false, errors: [{ field: base, message: `must be an object, got ${showValue(inner)}` }] };
      o = inner;
    }
  }
  const format = detectFormat(o);
  if (format === null) {
    return {
      ok: false,
      errors: [
        {
          field: base,
          message:
            'unrecognised usage format: expected canonical (inputTokens, outputTokens, ...), OpenAI ' +
            '(prompt_tokens / input_tokens), Anthropic (input_tokens + cache_*_input_tokens), ' +
            'Gemini (promptTokenCount, ...) or Bedrock Converse keys',
        },
      ],
    };
  }
  const errors: UsageFieldError[] = [];
  const mapped = mapFormat(format, o, base, errors);
  if (errors.length === 0) checkInvariants(mapped, base, errors);
  const serviceTier = reportedTier(raw, o, basePath, base, errors);
  const cost = mapped.gatewayCost ? gatewayCost(mapped.gatewayCost, errors) : undefined;
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    usage: mapped.usage,
    format,
    ...(serviceTier !== undefined ? { serviceTier } : {}),
    ...(cost !== undefined ? { gatewayCostUsd: cost } : {}),
  };
}

/*
 * OpenTelemetry GenAI semantic conventions: gen_ai.usage.input_tokens SHOULD
 * include cached tokens, so cache reads/writes are subsets of it (canonical
 * semantics). Newer names are preferred over legacy/vendor ones when both are set.
 */
const OTEL_INPUT = ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'];
const OTEL_OUTPUT = ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'];
const OTEL_CACHED = [
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cached_tokens',
  'gen_ai.usage.input_tokens.cached',
];
const OTEL_CACHE_WRITE = ['gen_ai.usage.cache_creation.input_tokens'];
const OTEL_REASONING = ['gen_ai.usage.reasoning_tokens', 'gen_ai.usage.output_tokens.reasoning'];

/** Canonical token counts from a span's OpenTelemetry GenAI usage attributes (counts in tokens; OTLP numeric strings accepted). */
export function usageFromOtelAttributes(
  attrs: Record<string, string | number | boolean | undefined>,
  basePath = 'attributes',
): UsageResult {
  const errors: UsageFieldError[] = [];
  const field = (key: string) => `${basePath}["${key}"]`;
  const read = (keys: readonly string[]): { value: number | undefined; field: string } => {
    const key = keys.find((k) => attrs[k] !== undefined) ?? keys[0];
    return { value: checkCount(attrs[key], field(key), errors, true), field: field(key) };
  };
  const input = read(OTEL_INPUT);
  const output = read(OTEL_OUTPUT);
  const cached = read(OTEL_CACHED);
  const write = read(OTEL_CACHE_WRITE);
  const reasoning = read(OTEL_REASONING);
  const mapped: Mapped = {
    input: input.value,
    output: output.value,
    usage: {
      inputTokens: input.value ?? 0,
      outputTokens: output.value ?? 0,
      cachedInputTokens: cached.value ?? 0,
      cacheWriteTokens: write.value ?? 0,
      reasoningTokens: reasoning.value ?? 0,
    },
    paths: { input: input.field, output: output.field, cached: cached.field, cacheWrite: write.field, reasoning: reasoning.field },
  };
  if (errors.length === 0) checkInvariants(mapped, basePath, errors);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, usage: mapped.usage, format: 'otel' };
}

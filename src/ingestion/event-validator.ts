import { hash } from 'node:crypto';
import type { FieldError } from '../common/errors.js';
import { isStorableText, SLUG_PATTERN } from '../common/formats.js';
import { SERVICE_TIERS, type ServiceTier } from '../domain/pricing/price.js';
import { isServiceTier } from '../domain/pricing/service-tier.js';

export const MAX_EVENTS_PER_BATCH = 1000;
export const MAX_FUTURE_MS = 5 * 60 * 1000;
const PROVIDER = /^[a-z0-9][a-z0-9._-]{0,63}$/;
// RFC 3339 date-time: a full date, a time, optional fraction, and a zone (Z or ±hh:mm).
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const MAX_TAGS = 32;
/** The earliest timestamp accepted (ms epoch): PostgreSQL refuses year 0, and no LLM call predates 2000. */
export const MIN_TIMESTAMP_MS = Date.UTC(2000, 0, 1);
const KNOWN_FIELDS = new Set([
  'id', 'timestamp', 'provider', 'model', 'workload', 'project', 'environment', 'usage', 'requests', 'latencyMs', 'status', 'tags',
  'serviceTier', 'providerCostUsd', 'providerCostSource', 'costUsd', 'customer', 'endUser',
]);
/** Longest customer or end-user id kept (both are the org's own opaque ids). */
export const MAX_ATTRIBUTION_LENGTH = 256;
/** The value attribution rollups fold customers beyond their cap into (src/metering/attribution.ts); never a customer's own name. */
export const RESERVED_ATTRIBUTION_VALUE = '(other)';
/** Where a provider-reported cost came from: a short slug (caller, gateway, provider, openrouter, litellm, ...). */
export const COST_SOURCE = /^[a-z][a-z0-9._-]{0,31}$/;
export const DEFAULT_COST_SOURCE = 'caller';
/** The source recorded for a cost read from a gateway's usage object (OpenRouter usage.cost). */
export const GATEWAY_COST_SOURCE = 'gateway';

/** Whether the LLM call an event records succeeded (the event's `status`). */
export const EVENT_OUTCOMES = ['ok', 'error'] as const;
export type EventOutcome = (typeof EVENT_OUTCOMES)[number];

/** An event that passed validation, before its usage is normalised and it is priced. */
export interface ValidEvent {
  id: string;
  ts: Date;
  provider: string;
  model: string;
  workload: string;
  project: string | null;
  environment: string;
  rawUsage: unknown;
  requests: number;
  latencyMs: number | null;
  status: EventOutcome;
  tags: Record<string, string>;
  /** The tier the caller names; null = take the one the usage object reports, else default. */
  serviceTier: ServiceTier | null;
  /** The provider's cost of the event as the caller knows it (providerCostUsd, or its deprecated alias costUsd), USD. */
  clientCostUsd: string | null;
  /** Where clientCostUsd came from; null when the caller sent no source (default: caller). */
  providerCostSource: string | null;
  /** The org's own end customer or account, and an opaque end-user id; null when not sent. */
  customer: string | null;
  endUser: string | null;
  contentHash: Buffer;
}

/**
 * JSON with sorted keys, so that the same event re-sent with keys in another order hashes the same. Written with
 * loops and string appends (the same text as `{${keys.sort().map(k => ...).join(',')}}`, byte for byte, which
 * stored hashes depend on): it runs once per event.
 */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + (stableStringify(value[i]) ?? '');
    return out + ']';
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  out = '{';
  for (let i = 0; i < keys.length; i++) out += (i ? ',' : '') + JSON.stringify(keys[i]) + ':' + stableStringify(obj[keys[i]]);
  return out + '}';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Reports a bad field by its name under the event (`field`, not yet prefixed). */
type ReportError = (field: string, message: string) => void;

/** A string field of 1 to `max` characters (UTF-16 units); null, after reporting why, when absent or unusable. */
function readString(raw: Record<string, unknown>, err: ReportError, key: string, required: boolean, max: number, pattern?: RegExp, patternMsg?: string): string | null {
  const v = raw[key];
  if (v === undefined || v === null) {
    if (required) err(key, 'is required');
    return null;
  }
  if (typeof v !== 'string') {
    err(key, 'must be a string');
    return null;
  }
  if (v.length < 1 || v.length > max) {
    err(key, `must be 1 to ${max} characters`);
    return null;
  }
  if (!isStorableText(v)) {
    err(key, 'must not contain NUL characters or unpaired surrogates');
    return null;
  }
  if (pattern && !pattern.test(v)) {
    err(key, patternMsg ?? 'has an invalid format');
    return null;
  }
  return v;
}

/** id, and timestamp as a Date (ms epoch) at most 5 minutes after `now`. */
function readIdentity(raw: Record<string, unknown>, err: ReportError, now: Date): { id: string | null; ts: Date | null } {
  const id = readString(raw, err, 'id', true, 128);
  const tsRaw = readString(raw, err, 'timestamp', true, 40, RFC3339, 'must be an RFC 3339 date-time with a time zone, e.g. 2026-05-01T12:00:00Z');
  let ts: Date | null = null;
  if (tsRaw) {
    ts = new Date(tsRaw);
    if (Number.isNaN(ts.getTime())) {
      err('timestamp', 'is not a valid date');
      ts = null;
    } else if (ts.getTime() < MIN_TIMESTAMP_MS) {
      err('timestamp', 'must be on or after 2000-01-01T00:00:00Z');
      ts = null;
    } else if (ts.getTime() > now.getTime() + MAX_FUTURE_MS) {
      err('timestamp', 'is more than 5 minutes in the future');
      ts = null;
    }
  }
  return { id, ts };
}

/** provider (lower-cased), model, workload, project and environment (default production), as names. */
function readNames(
  raw: Record<string, unknown>,
  err: ReportError,
): { provider: string | null; model: string | null; workload: string | null; project: string | null; environment: string } {
  const providerRaw = readString(raw, err, 'provider', true, 64);
  const provider = providerRaw ? providerRaw.toLowerCase() : null;
  if (provider && !PROVIDER.test(provider)) err('provider', 'must be a name such as openai, anthropic, google, mistral, meta or self-hosted');
  const model = readString(raw, err, 'model', true, 200);
  const slugMsg = 'must be a slug: lowercase letters, digits, dot, dash or underscore (max 128)';
  const workload = readString(raw, err, 'workload', true, 128, SLUG_PATTERN, slugMsg);
  const project = readString(raw, err, 'project', false, 128, SLUG_PATTERN, slugMsg);
  const environment = readString(raw, err, 'environment', false, 64, SLUG_PATTERN, slugMsg) ?? 'production';
  return { provider, model, workload, project, environment };
}

/** usage present, requests (a count, default 1) and latencyMs (milliseconds, rounded). */
function readCounts(raw: Record<string, unknown>, err: ReportError): { requests: number; latencyMs: number | null } {
  if (raw.usage === undefined || raw.usage === null) err('usage', 'is required');

  let requests = 1;
  if (raw.requests !== undefined) {
    if (!Number.isSafeInteger(raw.requests) || (raw.requests as number) < 1 || (raw.requests as number) > 10_000_000) err('requests', 'must be an integer from 1 to 10,000,000');
    else requests = raw.requests as number;
  }
  let latencyMs: number | null = null;
  if (raw.latencyMs !== undefined && raw.latencyMs !== null) {
    if (typeof raw.latencyMs !== 'number' || !Number.isFinite(raw.latencyMs) || raw.latencyMs < 0 || raw.latencyMs > 86_400_000) err('latencyMs', 'must be a number of milliseconds from 0 to 86,400,000');
    else latencyMs = Math.round(raw.latencyMs);
  }
  return { requests, latencyMs };
}

/** A cost field as a decimal string (USD), null when absent; reports why when unusable. */
function readCost(raw: Record<string, unknown>, err: ReportError, key: string): string | null {
  const c = raw[key];
  if (c === undefined || c === null) return null;
  const text = typeof c === 'number' && Number.isFinite(c) ? String(c) : typeof c === 'string' ? c : null;
  if (text === null || !/^\d{1,12}(\.\d{1,12})?$/.test(text)) {
    err(key, 'must be a non-negative decimal (number or string) below 1e12 with at most 12 decimals');
    return null;
  }
  return text;
}

/**
 * serviceTier (default | batch | flex | priority), and the provider-reported cost: providerCostUsd (USD, or
 * its deprecated alias costUsd, not both) with providerCostSource (a short slug, default caller).
 */
function readTierAndCost(raw: Record<string, unknown>, err: ReportError): { serviceTier: ServiceTier | null; clientCostUsd: string | null; providerCostSource: string | null } {
  let serviceTier: ServiceTier | null = null;
  if (raw.serviceTier !== undefined && raw.serviceTier !== null) {
    if (!isServiceTier(raw.serviceTier)) err('serviceTier', `must be one of ${SERVICE_TIERS.join(', ')}`);
    else serviceTier = raw.serviceTier;
  }
  const given = (k: string) => raw[k] !== undefined && raw[k] !== null;
  if (given('providerCostUsd') && given('costUsd')) err('costUsd', 'is the deprecated name of providerCostUsd: send only providerCostUsd');
  const clientCostUsd = readCost(raw, err, given('providerCostUsd') ? 'providerCostUsd' : 'costUsd');
  const providerCostSource = readString(raw, err, 'providerCostSource', false, 32, COST_SOURCE, 'must be a short lowercase slug such as caller, gateway or provider (max 32)');
  return { serviceTier, clientCostUsd, providerCostSource };
}

/** status (default ok) and string tags. */
function readStatusTags(raw: Record<string, unknown>, err: ReportError): { status: EventOutcome; tags: Record<string, string> } {
  let status: EventOutcome = 'ok';
  if (raw.status !== undefined) {
    if (raw.status !== 'ok' && raw.status !== 'error') err('status', 'must be "ok" or "error"');
    else status = raw.status;
  }
  const tags: Record<string, string> = {};
  if (raw.tags !== undefined && raw.tags !== null) {
    if (!isPlainObject(raw.tags)) err('tags', 'must be an object of string values');
    else {
      const entries = Object.entries(raw.tags);
      if (entries.length > MAX_TAGS) err('tags', `must have at most ${MAX_TAGS} keys`);
      for (const [k, v] of entries) {
        if (k.length > 64) err(`tags.${k.slice(0, 20)}…`, 'tag names are at most 64 characters');
        else if (!isStorableText(k)) err('tags', 'tag names must not contain NUL characters or unpaired surrogates');
        else if (typeof v !== 'string' || v.length > 256) err(`tags.${k}`, 'must be a string of at most 256 characters');
        else if (!isStorableText(v)) err(`tags.${k}`, 'must not contain NUL characters or unpaired surrogates');
        else tags[k] = v;
      }
    }
  }
  return { status, tags };
}

/**
 * An attribution id (customer, endUser, or the end user a provider shape carries): 1 to 256 storable characters,
 * not the rollups' reserved `(other)`. `field` names it in errors.
 */
export function readAttribution(v: unknown, field: string, err: (field: string, message: string) => void): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') err(field, 'must be a string');
  else if (v.length < 1 || v.length > MAX_ATTRIBUTION_LENGTH) err(field, `must be 1 to ${MAX_ATTRIBUTION_LENGTH} characters`);
  else if (!isStorableText(v)) err(field, 'must not contain NUL characters or unpaired surrogates');
  else if (v === RESERVED_ATTRIBUTION_VALUE) err(field, `"${RESERVED_ATTRIBUTION_VALUE}" is reserved for the customers beyond the rollups' cap`);
  else return v;
  return null;
}

/**
 * The end user a provider shape carries when the event names none: OpenAI's request `user` (or its successor
 * `safety_identifier`), Anthropic's `metadata.user_id`, found in the usage object or whole body a gateway logged.
 */
function endUserFromUsage(usage: unknown, err: ReportError): string | null {
  if (!isPlainObject(usage)) return null;
  if (usage.user !== undefined) return readAttribution(usage.user, 'usage.user', err);
  if (usage.safety_identifier !== undefined) return readAttribution(usage.safety_identifier, 'usage.safety_identifier', err);
  const meta = usage.metadata;
  if (isPlainObject(meta) && meta.user_id !== undefined) return readAttribution(meta.user_id, 'usage.metadata.user_id', err);
  return null;
}

/** First 16 bytes of the SHA-256 of the event as sent (stored hashes were cut to this prefix by 20261201070000_events_storage), key order aside: a re-sent id is a duplicate, not a conflict, only when this matches. */
function contentHash(raw: Record<string, unknown>): Buffer {
  return hash('sha256', stableStringify(raw), 'buffer').subarray(0, 16);
}

/**
 * Checks one event and names every bad field (`<prefix>.field`). Hand-written
 * rather than class-validator: it runs up to 1,000 times per request on the
 * hot path, and must report per event without failing the batch.
 */
export function validateEvent(raw: unknown, prefix: string, now: Date): { ok: true; event: ValidEvent } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const err: ReportError = (field, message) => errors.push({ field: `${prefix}.${field}`, message });
  if (!isPlainObject(raw)) return { ok: false, errors: [{ field: prefix, message: 'must be an object' }] };

  for (const key of Object.keys(raw)) if (!KNOWN_FIELDS.has(key)) err(key, 'unknown field');

  // Called in field order, so errors are listed in the order the fields are checked.
  const { id, ts } = readIdentity(raw, err, now);
  const { provider, model, workload, project, environment } = readNames(raw, err);
  const { requests, latencyMs } = readCounts(raw, err);
  const { status, tags } = readStatusTags(raw, err);
  const { serviceTier, clientCostUsd, providerCostSource } = readTierAndCost(raw, err);
  const customer = readAttribution(raw.customer, 'customer', err);
  const endUser = raw.endUser !== undefined && raw.endUser !== null ? readAttribution(raw.endUser, 'endUser', err) : endUserFromUsage(raw.usage, err);

  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    event: {
      id: id!,
      ts: ts!,
      provider: provider!,
      model: model!,
      workload: workload!,
      project,
      environment,
      rawUsage: raw.usage,
      requests,
      latencyMs,
      status,
      tags,
      serviceTier,
      clientCostUsd,
      providerCostSource,
      customer,
      endUser,
      contentHash: contentHash(raw),
    },
  };
}

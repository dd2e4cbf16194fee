import { InvalidError } from '../common/errors.js';
import { serviceTierFromReported } from '../domain/pricing/service-tier.js';

/**
 * OTLP/HTTP JSON traces → usage events. A span becomes an event when it
 * carries the GenAI semantic conventions (gen_ai.provider.name or the older
 * gen_ai.system). Where each field comes from:
 *
 *   id          span.spanId (hex), unique per trace exporter
 *   timestamp   span.endTimeUnixNano (when the call finished)
 *   provider    gen_ai.provider.name, else gen_ai.system
 *   model       gen_ai.response.model, else gen_ai.request.model
 *   workload    span attribute crossover.workload, else the resource's
 *               crossover.workload, else the resource's service.name
 *   project     crossover.project (span, then resource), optional
 *   customer    crossover.customer (span, then resource), optional
 *   endUser     enduser.id, else user.id (span), optional; numbers are taken as their decimal text
 *   environment deployment.environment.name or deployment.environment (resource)
 *   usage       gen_ai.usage.* attributes (see usageFromOtelAttributes)
 *   status      span.status.code 2 (ERROR) → "error", else "ok"
 *   latencyMs   end - start
 *   serviceTier openai.response.service_tier (the tier used), else openai.request.service_tier (the tier
 *               asked for), each also under its deprecated gen_ai.openai.* name; provider values mapped
 *               as for usage objects (scale and auto = default); an unknown value is refused by name
 */
const SERVICE_TIER_ATTRIBUTES = [
  'openai.response.service_tier',
  'gen_ai.openai.response.service_tier',
  'openai.request.service_tier',
  'gen_ai.openai.request.service_tier',
];
type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
type KeyValue = { key: string; value?: AnyValue };
interface OtlpSpan {
  spanId?: string;
  name?: string;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: KeyValue[];
  status?: { code?: number | string };
}
export interface OtlpTracesRequest {
  resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

export type Attributes = Record<string, string | number | boolean | undefined>;

/** A list the request must carry as a JSON array (absent or null is empty); anything else is a malformed envelope, refused whole. */
function listAt(v: unknown, field: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new InvalidError(`Invalid request: ${field}`, [{ field, message: 'must be an array' }]);
  return v;
}

/** An element that must be a JSON object (OTLP messages are objects); null or a scalar is a malformed envelope. */
function objectAt<T>(v: unknown, field: string): T {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new InvalidError(`Invalid request: ${field}`, [{ field, message: 'must be an object' }]);
  return v as T;
}

function flatten(kvs: unknown, field: string): Attributes {
  const out: Attributes = {};
  listAt(kvs, field).forEach((item, i) => {
    const kv = objectAt<KeyValue>(item, `${field}[${i}]`);
    if (typeof kv.key !== 'string') throw new InvalidError(`Invalid request: ${field}[${i}].key`, [{ field: `${field}[${i}].key`, message: 'must be a string' }]);
    const v: AnyValue = kv.value && typeof kv.value === 'object' ? kv.value : {};
    out[kv.key] = v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.doubleValue ?? v.boolValue;
  });
  return out;
}

function nanosToDate(n: string | number | undefined): Date | null {
  if (n === undefined) return null;
  try {
    const d = new Date(Number(BigInt(n) / 1_000_000n));
    // Beyond Date's range (±8.64e15 ms) the span gets no timestamp and is refused by name, alone.
    return Number.isNaN(d.getTime()) ? null : d;
  } catch {
    return null;
  }
}

function slugify(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 128);
}

export interface SpanEvent {
  event: Record<string, unknown>;
  /** The usage attributes, mapped by the caller (pricing domain) into canonical usage. */
  attributes: Attributes;
}

/** Picks the GenAI spans out of an export request and shapes each as an ingest event (usage filled in by the caller). */
export function spansToEvents(body: OtlpTracesRequest): { events: SpanEvent[]; totalSpans: number } {
  const events: SpanEvent[] = [];
  let totalSpans = 0;
  for (const [r, rsItem] of listAt(body.resourceSpans, 'resourceSpans').entries()) {
    const rsField = `resourceSpans[${r}]`;
    const rs = objectAt<NonNullable<OtlpTracesRequest['resourceSpans']>[number]>(rsItem, rsField);
    const resource = flatten(rs.resource && typeof rs.resource === 'object' ? rs.resource.attributes : undefined, `${rsField}.resource.attributes`);
    for (const [s, ssItem] of listAt(rs.scopeSpans, `${rsField}.scopeSpans`).entries()) {
      const ssField = `${rsField}.scopeSpans[${s}]`;
      const ss = objectAt<{ spans?: unknown }>(ssItem, ssField);
      for (const [n, spanItem] of listAt(ss.spans, `${ssField}.spans`).entries()) {
        const spanField = `${ssField}.spans[${n}]`;
        const span = objectAt<OtlpSpan>(spanItem, spanField);
        totalSpans++;
        const a = flatten(span.attributes, `${spanField}.attributes`);
        const provider = a['gen_ai.provider.name'] ?? a['gen_ai.system'];
        if (provider === undefined) continue;
        const end = nanosToDate(span.endTimeUnixNano);
        const start = nanosToDate(span.startTimeUnixNano);
        const workload = a['crossover.workload'] ?? resource['crossover.workload'] ?? resource['service.name'];
        const project = a['crossover.project'] ?? resource['crossover.project'];
        const environment = resource['deployment.environment.name'] ?? resource['deployment.environment'];
        const customer = a['crossover.customer'] ?? resource['crossover.customer'];
        const endUser = a['enduser.id'] ?? a['user.id'];
        const code = span.status && typeof span.status === 'object' ? span.status.code : undefined;
        const tierKey = SERVICE_TIER_ATTRIBUTES.find((k) => a[k] !== undefined);
        // A value no provider spelling maps to reaches the validator as is, which refuses it by name.
        const serviceTier = tierKey === undefined ? undefined : (serviceTierFromReported(a[tierKey]) ?? a[tierKey]);
        events.push({
          attributes: a,
          event: {
            id: span.spanId,
            timestamp: end?.toISOString(),
            provider: String(provider),
            model: a['gen_ai.response.model'] ?? a['gen_ai.request.model'],
            workload: typeof workload === 'string' ? slugify(workload) : workload,
            ...(project !== undefined ? { project: typeof project === 'string' ? slugify(project) : project } : {}),
            ...(environment !== undefined ? { environment: typeof environment === 'string' ? slugify(environment) : environment } : {}),
            ...(customer !== undefined ? { customer: typeof customer === 'number' ? String(customer) : customer } : {}),
            ...(endUser !== undefined ? { endUser: typeof endUser === 'number' ? String(endUser) : endUser } : {}),
            status: code === 2 || code === 'STATUS_CODE_ERROR' ? 'error' : 'ok',
            ...(serviceTier !== undefined ? { serviceTier } : {}),
            ...(start && end ? { latencyMs: Math.max(0, end.getTime() - start.getTime()) } : {}),
          },
        });
      }
    }
  }
  return { events, totalSpans };
}

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
 *   environment deployment.environment.name or deployment.environment (resource)
 *   usage       gen_ai.usage.* attributes (see usageFromOtelAttributes)
 *   status      span.status.code 2 (ERROR) → "error", else "ok"
 *   latencyMs   end - start
 */
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

function flatten(kvs: KeyValue[] | undefined): Attributes {
  const out: Attributes = {};
  for (const kv of kvs ?? []) {
    const v = kv.value ?? {};
    out[kv.key] = v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.doubleValue ?? v.boolValue;
  }
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
  for (const rs of body.resourceSpans ?? []) {
    const resource = flatten(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        totalSpans++;
        const a = flatten(span.attributes);
        const provider = a['gen_ai.provider.name'] ?? a['gen_ai.system'];
        if (provider === undefined) continue;
        const end = nanosToDate(span.endTimeUnixNano);
        const start = nanosToDate(span.startTimeUnixNano);
        const workload = a['crossover.workload'] ?? resource['crossover.workload'] ?? resource['service.name'];
        const project = a['crossover.project'] ?? resource['crossover.project'];
        const environment = resource['deployment.environment.name'] ?? resource['deployment.environment'];
        const code = span.status?.code;
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
            status: code === 2 || code === 'STATUS_CODE_ERROR' ? 'error' : 'ok',
            ...(start && end ? { latencyMs: Math.max(0, end.getTime() - start.getTime()) } : {}),
          },
        });
      }
    }
  }
  return { events, totalSpans };
}

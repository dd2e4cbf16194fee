import { writeFileSync } from 'node:fs';
import { bootApp, type TestApp } from '../support/app.js';
import { createKey, createOrg, type TestOrg } from '../support/factories.js';
import {
  deepJson,
  fillPath,
  hasErrorShape,
  HOSTILE_PATH_VALUES,
  HOSTILE_QUERY_VALUES,
  HOSTILE_VALUES,
  loadOpenApi,
  opKey,
  operationsOf,
  plausible,
  preview,
  resolve,
  seededParam,
  seededPathValue,
  seedResources,
  type OpenApiDocument,
  type Operation,
  type SeededResources,
} from '../support/fuzz.js';

/**
 * A fuzz pass over every operation of the app's own OpenAPI document: hostile
 * path, query, header and body values, one at a time beside plausible
 * neighbours, as the owner of a fresh org per operation (and with an ingest
 * key on ingest routes). Nothing may answer 5xx, and every 4xx carries the
 * error shape. A route added later is fuzzed without editing this file.
 *
 * FUZZ_REPORT=/tmp/fuzz.json writes every failure (method, path, body, status,
 * error) to a file; FUZZ_TIMING=1 prints requests and milliseconds per operation.
 */

/** Operations not fuzzed, with why. Each must still exist in the document (a stale entry fails). */
const SKIPPED: Record<string, string> = {};

/** Writes that change the caller's own access: each gets an org of its own, so the operations after it still run as an owner. */
const ISOLATED = new Set(['POST /v1/me/password', 'PUT /v1/api-keys/{id}/signing-secret', 'PATCH /v1/members/{id}']);

/** Routes guarded by the `ingest` permission: fuzzed with an ingest-only API key, as a producer would call them. */
const INGEST_OPS = new Set(['POST /v1/events', 'POST /v1/otlp/v1/traces']);

/** Starting bodies for operations whose documented examples alone cannot get past the first check. */
function baseBodies(o: Operation, doc: OpenApiDocument, org: TestOrg): unknown[] {
  const ts = new Date(Date.now() - 3_600_000).toISOString();
  const event = { id: 'fuzz-1', timestamp: ts, provider: 'openai', model: 'gpt-4o', workload: 'fuzz', usage: { inputTokens: 10, outputTokens: 2 }, tags: { team: 'a' }, costUsd: '0.1', latencyMs: 5, requests: 1, status: 'ok' };
  const end = String(BigInt(Date.now() - 60_000) * 1_000_000n);
  switch (opKey(o)) {
    case 'POST /v1/events':
      return [event, { events: [event, { ...event, id: 'fuzz-2', usage: { prompt_tokens: 5, completion_tokens: 1 } }] }];
    case 'POST /v1/otlp/v1/traces':
      return [
        {
          resourceSpans: [
            {
              resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
              scopeSpans: [
                {
                  spans: [
                    {
                      spanId: 'abc',
                      startTimeUnixNano: end,
                      endTimeUnixNano: end,
                      status: { code: 2 },
                      attributes: [
                        { key: 'gen_ai.system', value: { stringValue: 'openai' } },
                        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
                        { key: 'gen_ai.usage.input_tokens', value: { intValue: '100' } },
                        { key: 'gen_ai.usage.output_tokens', value: { intValue: 10 } },
                      ],
                    },
                  ],
                },
              ],
            },
          ],
        },
      ];
    case 'POST /v1/me/password':
      return [{ currentPassword: org.password, newPassword: `${org.password}-next` }];
    case 'POST /v1/catalog/reprice':
      return [{ from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString(), dryRun: true, model: 'gpt-4o' }];
    case 'POST /v1/catalog/overrides':
      return [
        { kind: 'custom', provider: 'openai', modelId: 'gpt-4o', inputPerMTok: '1', outputPerMTok: '2', cachedInputPerMTok: '0.5', effectiveFrom: '2026-01-01T00:00:00Z', effectiveTo: '2027-01-01T00:00:00Z', note: 'n' },
        { kind: 'discount', provider: 'openai', percent: '10', effectiveFrom: '2026-01-01T00:00:00Z' },
      ];
    case 'POST /v1/economics/estimate':
      return [{ openModel: 'llama-3.1-8b-instruct', monthlyInputTokens: 1_000_000, monthlyOutputTokens: 100_000, gpu: 'H100-80GB-SXM', precision: 'fp8', currentModel: 'gpt-4o', assumptions: { targetUtilisation: 0.5 } }];
    case 'POST /v1/budgets':
    case 'PATCH /v1/budgets/{id}':
      return [{ name: 'B', scope: { project: 'p', workload: 'w', provider: 'openai' }, monthlyLimitUsd: '100', thresholds: [50, 100] }];
    case 'PUT /v1/digests/schedule':
      return [{ cron: '0 8 * * 1', timezone: 'Europe/Paris', enabled: true }];
    case 'PUT /v1/settings/retention':
      return [{ days: 90 }];
    default: {
      const schema = resolve(doc, o.op.requestBody?.content?.['application/json']?.schema);
      return schema.oneOf ? schema.oneOf.map((s) => plausible(doc, s)) : [plausible(doc, schema)];
    }
  }
}

/** Every JSON path of a value down to `depth` (array items by index): where a hostile value is put, one at a time. */
function pathsOf(v: unknown, depth = 4, prefix: (string | number)[] = []): (string | number)[][] {
  if (depth === 0 || v === null || typeof v !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_x, i) => i).slice(0, 2) : Object.keys(v);
  return keys.flatMap((k) => [[...prefix, k], ...pathsOf((v as Record<string | number, unknown>)[k], depth - 1, [...prefix, k])]);
}

const RAW = '"__raw_json_token__"';
const NESTED_HOSTILE_VALUES: readonly unknown[] = [null, '', 'x'.repeat(10_000), 'a\u0000b', 'x\uD800y', -1, 1.5, 1e308, 2 ** 53 + 2, true, [], {}, 'not-a-date', '0000-01-01T00:00:00Z'];

/** A copy of `base` with the value at `path` replaced (or removed when `value` is `REMOVE`). */
const REMOVE = Symbol('remove');
function withValue(base: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === REMOVE) {
    if (Array.isArray(cur)) cur.splice(last as number, 1);
    else delete cur[last];
  } else cur[last] = value;
  return copy;
}

interface FuzzRequest {
  url: string;
  /** JSON text as sent (hostile bodies are not always valid JSON), or undefined for no body. */
  body?: string;
  headers?: Record<string, string>;
}

/** The hostile requests for one operation, each changing one thing from a plausible request. */
function requestsFor(o: Operation, doc: OpenApiDocument, org: TestOrg, seeded: SeededResources): FuzzRequest[] {
  const params = o.op.parameters ?? [];
  const realPath = seededParam(o.path, seeded);
  const goodUrl = fillPath(o.path, (name) => encodeURIComponent(seededPathValue(o.path, name, seeded) ?? realPath ?? 'missing'));
  const hasBody = !!o.op.requestBody || INGEST_OPS.has(opKey(o));
  const bases = hasBody ? baseBodies(o, doc, org) : [undefined];
  const baseText = bases[0] === undefined ? undefined : JSON.stringify(bases[0]);
  const out: FuzzRequest[] = [];

  // Whatever the operation declares: unknown and hostile query keys, and Accept values it may not serve.
  for (const q of ['unknownParamFromFuzz=1', 'limit=-1', 'cursor=%00', '__proto__[x]=1', 'a=%ED%A0%80']) out.push({ url: `${goodUrl}?${q}`, body: baseText });
  for (const accept of ['text/markdown', 'text/csv', 'application/xml', '*/*;q=x', 'x'.repeat(2000)]) out.push({ url: goodUrl, body: baseText, headers: { accept } });

  for (const p of params.filter((x) => x.in === 'path')) {
    for (const v of HOSTILE_PATH_VALUES) {
      out.push({ url: fillPath(o.path, (name) => (name === p.name ? v : encodeURIComponent(realPath ?? 'missing'))), body: baseText });
    }
  }
  for (const p of params.filter((x) => x.in === 'query')) {
    for (const v of HOSTILE_QUERY_VALUES) out.push({ url: `${goodUrl}?${encodeURIComponent(p.name)}=${v}`, body: baseText });
    out.push({ url: `${goodUrl}?${p.name}=1&${p.name}=2`, body: baseText });
    out.push({ url: `${goodUrl}?${p.name}[a]=1`, body: baseText });
  }
  for (const p of params.filter((x) => x.in === 'header')) {
    for (const v of ['text/plain', 'application/x-protobuf', 'application/json; charset=utf-16', 'x'.repeat(1000), 'application/jsonx']) {
      out.push({ url: goodUrl, body: baseText, headers: { [p.name]: v } });
    }
  }
  if (hasBody) {
    for (const text of ['null', '[]', '"text"', '42', 'true', '{}', '{"a":', '{"a":1}}', deepJson(5_000), `${'['.repeat(100_000)}${']'.repeat(100_000)}`, '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}']) {
      out.push({ url: goodUrl, body: text });
    }
    out.push({ url: goodUrl }); // no body at all
    out.push({ url: goodUrl, body: baseText, headers: { 'content-type': 'text/plain' } });
    for (const base of bases) {
      if (base === null || typeof base !== 'object') continue;
      if (!Array.isArray(base)) out.push({ url: goodUrl, body: JSON.stringify({ ...base, unknownFieldFromFuzz: 1 }) });
      for (const path of pathsOf(base)) {
        out.push({ url: goodUrl, body: JSON.stringify(withValue(base, path, REMOVE)) });
        // Every hostile value at the top level; below it, one of each kind (the bulk of the requests otherwise).
        for (const v of path.length === 1 ? HOSTILE_VALUES : NESTED_HOSTILE_VALUES) out.push({ url: goodUrl, body: JSON.stringify(withValue(base, path, v)) });
        // Number tokens JSON.parse turns into Infinity, a lost-precision integer or -0.
        for (const token of path.length === 1 ? ['1e999', '-1e999', '123456789012345678901234567890', '-0', '0.1e-400'] : ['1e999']) {
          out.push({ url: goodUrl, body: JSON.stringify(withValue(base, path, JSON.parse(RAW))).replace(RAW, token) });
        }
      }
    }
  }
  return out;
}

interface Failure {
  op: string;
  url: string;
  body: string;
  headers?: Record<string, string>;
  status: number;
  error: string;
}

let t: TestApp;
let doc: OpenApiDocument;
beforeAll(async () => {
  // The fuzz sends thousands of requests a minute; the rate limiter is tested elsewhere (test/rate-limit).
  t = await bootApp({ RATE_LIMIT_PER_MINUTE: '10000000', RATE_LIMIT_IP_PER_MINUTE: '10000000' });
  doc = await loadOpenApi(t);
});
afterAll(async () => t.close());

async function send(o: Operation, r: FuzzRequest, auth: Record<string, string>) {
  let req = t.http[o.method as 'get' | 'post' | 'put' | 'patch' | 'delete'](r.url).set(auth);
  const headers = { 'content-type': 'application/json', ...r.headers };
  if (r.body !== undefined) {
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    req = req.send(r.body);
  } else {
    for (const [k, v] of Object.entries(r.headers ?? {})) req = req.set(k, v);
  }
  return req;
}

describe('OpenAPI fuzz: hostile requests to every documented operation', () => {
  it('no operation answers 5xx to any hostile request, every 4xx has the error shape, and every operation is exercised', async () => {
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(0);
    expect(Object.keys(SKIPPED).filter((k) => !ops.some((o) => opKey(o) === k))).toEqual([]);
    expect([...INGEST_OPS].filter((k) => !ops.some((o) => opKey(o) === k))).toEqual([]);

    const failures: Failure[] = [];
    const exercised = new Map<string, number>();
    // Orgs for this test: one shared by reads, one by writes that leave the caller able to go on,
    // and a fresh one for each operation that deletes or changes the caller's own access.
    // (Every org created here stays in the run's database and joins every nightly fan-out, so fewer is kinder to other suites.)
    const shared = new Map<string, { org: TestOrg; seeded: SeededResources }>();
    const orgFor = async (o: Operation) => {
      const pool = o.method === 'get' ? 'read' : o.method === 'delete' || ISOLATED.has(opKey(o)) ? null : 'write';
      if (pool && shared.has(pool)) return shared.get(pool)!;
      const org = await createOrg(t, 'Fuzz');
      const entry = { org, seeded: await seedResources(t, org) };
      if (pool) shared.set(pool, entry);
      return entry;
    };
    for (const o of ops) {
      const key = opKey(o);
      if (SKIPPED[key]) continue;
      const { org, seeded } = await orgFor(o);
      if (seededParam(o.path, seeded) === undefined && o.path.includes('{')) {
        failures.push({ op: key, url: o.path, body: '', status: 0, error: 'no seeded resource for this path parameter: add it to SEEDED_PARAM in test/support/fuzz.ts' });
      }
      const auth = INGEST_OPS.has(key) ? (await createKey(t, org, ['ingest'])).auth : org.auth;
      const requests = requestsFor(o, doc, org, seeded);
      const started = Date.now();
      // Reads in small parallel batches (fast); writes one at a time, so the outcome never depends on two hostile writes racing.
      const batch = o.method === 'get' ? 16 : 1;
      for (let i = 0; i < requests.length; i += batch) {
        await Promise.all(
          requests.slice(i, i + batch).map(async (r) => {
            let status: number;
            let error: string;
            try {
              const res = await send(o, r, auth);
              status = res.status;
              error = preview(res.body?.error ?? res.text, 500);
              if (status >= 400 && status < 500 && !hasErrorShape(res.body)) failures.push({ op: key, url: preview(r.url, 200), body: preview(r.body), headers: r.headers, status, error: `4xx without the error shape: ${error}` });
            } catch (e) {
              status = -1;
              error = `request failed: ${String(e)}`;
            }
            exercised.set(key, (exercised.get(key) ?? 0) + 1);
            if (status >= 500 || status < 0) failures.push({ op: key, url: preview(r.url, 200), body: preview(r.body), headers: r.headers, status, error });
          }),
        );
      }
      if (process.env.FUZZ_TIMING) console.log(`${key}: ${requests.length} requests in ${Date.now() - started} ms`);
    }
    if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, JSON.stringify(failures, null, 1));
    const unexercised = ops.filter((o) => !SKIPPED[opKey(o)] && !exercised.get(opKey(o))).map(opKey);
    expect({ unexercised, failures }).toEqual({ unexercised: [], failures: [] });
    // About 2 minutes alone; 5-8 beside the other suites and a demo: the richer request examples give it more fields to mutate.
  }, 1_200_000);
});

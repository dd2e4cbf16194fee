import { randomBytes } from 'node:crypto';
import type { TestApp } from './app.js';
import { createKey, createMember, type TestOrg } from './factories.js';

/** One operation of the OpenAPI document: a path template (`/v1/budgets/{id}`) and an HTTP method (lower case). */
export interface Operation {
  method: string;
  path: string;
  op: OpenApiOperation;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  nullable?: boolean;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** The app's own OpenAPI document (served at /docs/json), so a new route is covered without editing a list. */
export async function loadOpenApi(t: TestApp): Promise<OpenApiDocument> {
  const res = await t.http.get('/docs/json').expect(200);
  return res.body as OpenApiDocument;
}

/** Every path × method of the document, in document order. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) if (METHODS.has(method)) out.push({ method, path, op });
  }
  return out;
}

/** `METHOD /path/{param}`: the key the fuzz and cross-tenant tables use. */
export const opKey = (o: { method: string; path: string }) => `${o.method.toUpperCase()} ${o.path}`;

/** Follows `$ref` and a single-member `allOf` (how @nestjs/swagger writes nested DTOs). */
export function resolve(doc: OpenApiDocument, s: Schema | undefined): Schema {
  let cur = s ?? {};
  for (let i = 0; i < 10; i++) {
    if (cur.$ref) cur = doc.components?.schemas?.[cur.$ref.split('/').pop()!] ?? {};
    else if (cur.allOf?.length === 1) cur = { ...cur, ...resolve(doc, cur.allOf[0]), allOf: undefined };
    else break;
  }
  return cur;
}

/** A plausible value for a schema (its example, default, first enum value, or a typed placeholder): the neighbour every hostile field sits beside. */
export function plausible(doc: OpenApiDocument, schema: Schema | undefined, depth = 0): unknown {
  const s = resolve(doc, schema);
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if (s.enum?.length) return s.enum[0];
  if (s.oneOf?.length) return plausible(doc, s.oneOf[0], depth + 1);
  switch (s.type) {
    case 'string':
      return 'plausible';
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [plausible(doc, s.items, depth + 1)];
    default:
      if (!s.properties || depth > 4) return {};
      return Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, plausible(doc, v, depth + 1)]));
  }
}

/** JSON nested `levels` deep, written as text (a parser, not the test, has to build it). */
export function deepJson(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** Values that no field should turn into a 5xx: wrong types, boundaries, sizes, characters PostgreSQL refuses, odd dates. */
export const HOSTILE_VALUES: readonly unknown[] = [
  null,
  '',
  ' ',
  'x'.repeat(10_000),
  'a\u0000b',
  'x\uD800y',
  '\uDC00',
  -1,
  0,
  -0.5,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 2,
  -(2 ** 63),
  true,
  false,
  [],
  ['a', 1, null],
  {},
  { nested: { deeper: { deepest: [1, { x: 'y' }] } } },
  'not-a-date',
  '2026-02-30T25:61:61Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00.001Z',
  'definitely-not-an-enum-value',
  '1e400',
  '-0',
  'NaN',
  'Infinity',
  "'; DROP TABLE organizations; --",
  '../../etc/passwd',
  '__proto__',
  '00000000-0000-0000-0000-000000000000',
];

/** Query-string values (always text on the wire): numbers out of range, repeated keys, bad encodings, odd dates. */
export const HOSTILE_QUERY_VALUES: readonly string[] = [
  '',
  '-1',
  '0',
  '1.5',
  '1e309',
  '99999999999999999999',
  'NaN',
  'abc',
  'true',
  'x'.repeat(10_000),
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%FF%FE',
  '%',
  '2026-02-30',
  '2026-02-30T25:61:61Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '1970-01-01T00:00:00Z',
  'definitely-not-an-enum-value',
  ',,,',
  'workload,workload',
  'Not/A_Zone',
  '%5B%5D',
  // Cursors that decode to well-formed JSON of the wrong shape.
  Buffer.from('{"ts":"not-a-date","id":1}').toString('base64url'),
  Buffer.from('{"ts":"0000-01-01T00:00:00Z","id":"x"}').toString('base64url'),
  Buffer.from('null').toString('base64url'),
  Buffer.from('"text"').toString('base64url'),
  Buffer.from('[1,2]').toString('base64url'),
  Buffer.from('{"id":{"$gt":""},"createdAt":[]}').toString('base64url'),
  Buffer.from('{"ts":"2026-01-01T00:00:00Z","id":"a\\u0000b"}').toString('base64url'),
];

/** Path segments (already URL-encoded): malformed UUIDs, traversal, NUL, invalid UTF-8, oversize. */
export const HOSTILE_PATH_VALUES: readonly string[] = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '00000000-0000-0000-0000-00000000000g',
  '%7B00000000-0000-0000-0000-000000000000%7D',
  '-1',
  '0',
  '1e999',
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%FF',
  '..',
  '%2e%2e',
  'a%2Fb',
  "'",
  'UPPER-Case',
  'x'.repeat(200),
  'x'.repeat(10_000),
  '__proto__',
];

export interface SeededResources {
  /** Workload slug registered by an ingested event. */
  workload: string;
  eventId: string;
  budgetId: string;
  webhookId: string;
  apiKeyId: string;
  /** Authorization header of that API key (scopes ingest and read). */
  apiKeyAuth: { Authorization: string };
  memberId: string;
  invitationId: string;
  overrideId: string;
  repriceRunId: string;
  digestId: string;
  evaluationId: string;
  modelId: string;
  /** A connector pointed at a closed local port (never a real provider), and one sync run of it. */
  connectorId: string;
  connectorRunId: string;
}

/**
 * One of each resource that a route names by id, created through the public API in `org`:
 * what the fuzz aims its path parameters at and what the cross-tenant check tries to reach from another org.
 */
export async function seedResources(t: TestApp, org: TestOrg): Promise<SeededResources> {
  const suffix = randomBytes(4).toString('hex');
  const workload = `seeded-${suffix}`;
  const eventId = `seed-${suffix}`;
  const ts = new Date(Date.now() - 3_600_000).toISOString();
  const ingest = await t.http
    .post('/v1/events')
    .set(org.keyAuth)
    .send({ id: eventId, timestamp: ts, provider: 'openai', model: 'gpt-4o', workload, usage: { inputTokens: 1000, outputTokens: 100 } })
    .expect(200);
  if (ingest.body.accepted !== 1) throw new Error(`seed event not accepted: ${JSON.stringify(ingest.body)}`);
  const budget = await t.http.post('/v1/budgets').set(org.auth).send({ name: 'Seeded', scope: {}, monthlyLimitUsd: '100', thresholds: [50, 100] }).expect(201);
  const webhook = await t.http.post('/v1/webhooks').set(org.auth).send({ url: 'http://127.0.0.1:9/seeded', events: ['digest.created'] }).expect(201);
  const key = await createKey(t, org, ['ingest', 'read']);
  const member = await createMember(t, org, 'viewer');
  const invite = await t.http.post('/v1/members').set(org.auth).send({ email: `pending-${suffix}@example.test`, role: 'viewer' }).expect(201);
  const override = await t.http
    .post('/v1/catalog/overrides')
    .set(org.auth)
    .send({ kind: 'discount', provider: 'openai', percent: '10', effectiveFrom: '2026-01-01T00:00:00Z' })
    .expect(201);
  const from = new Date(Date.now() - 86_400_000).toISOString();
  const to = new Date().toISOString();
  const run = await t.http.post('/v1/catalog/reprice').set(org.auth).send({ from, to, dryRun: false }).expect(200);
  const digest = await t.http.post('/v1/digests').set(org.auth).expect(201);
  const evaluation = await t.http
    .post(`/v1/workloads/${workload}/evaluations`)
    .set(org.auth)
    .send({ candidateModel: 'llama-3.1-8b-instruct', baselineModel: 'gpt-4o', sampleSize: 100, metrics: { candidate: { accuracy: 0.9 }, baseline: { accuracy: 0.92 } } })
    .expect(201);
  const connector = await t.http
    .post('/v1/connectors')
    .set(org.auth)
    .send({ provider: 'openai', name: `Seeded ${suffix}`, credentials: { adminKey: 'sk-admin-seeded-not-real' }, baseUrl: 'http://127.0.0.1:9' })
    .expect(201);
  const sync = await t.http.post(`/v1/connectors/${connector.body.id}/sync`).set(org.auth).send({ from: '2026-11-01', to: '2026-11-02' }).expect(202);
  return {
    workload,
    eventId,
    budgetId: budget.body.id,
    webhookId: webhook.body.id,
    apiKeyId: key.id,
    apiKeyAuth: key.auth,
    memberId: member.id,
    invitationId: invite.body.invitation.id,
    overrideId: override.body.id,
    repriceRunId: run.body.id,
    digestId: digest.body.id,
    evaluationId: evaluation.body.id,
    modelId: 'gpt-4o',
    connectorId: connector.body.id,
    connectorRunId: sync.body.runId,
  };
}

/** Whether a response body has the project's error shape `{ error: { code, message } }`. */
export function hasErrorShape(body: unknown): boolean {
  const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return !!e && typeof e.code === 'string' && typeof e.message === 'string';
}

/** A short, printable form of a request body for failure reports (10k strings and deep objects cut down). */
export function preview(v: unknown, max = 300): string {
  let s: string;
  try {
    s = typeof v === 'string' ? v : JSON.stringify(v);
  } catch {
    s = String(v);
  }
  if (s === undefined) return 'undefined';
  return s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
}

/** Which seeded resource each parameterised path names, most specific first; undefined when no rule matches (the caller's test fails). */
const SEEDED_PARAM: readonly [RegExp, Exclude<keyof SeededResources, 'apiKeyAuth'>][] = [
  [/^\/v1\/members\/invitations\/\{id\}/, 'invitationId'],
  [/^\/v1\/members\/\{id\}/, 'memberId'],
  [/^\/v1\/api-keys\/\{id\}/, 'apiKeyId'],
  [/^\/v1\/events\/\{id\}/, 'eventId'],
  [/^\/v1\/catalog\/models\/\{id\}/, 'modelId'],
  [/^\/v1\/catalog\/overrides\/\{id\}/, 'overrideId'],
  [/^\/v1\/catalog\/reprice\/\{id\}/, 'repriceRunId'],
  [/^\/v1\/budgets\/\{id\}/, 'budgetId'],
  [/^\/v1\/webhooks\/\{id\}/, 'webhookId'],
  [/^\/v1\/digests\/\{id\}/, 'digestId'],
  [/^\/v1\/workloads\/\{slug\}/, 'workload'],
  [/^\/v1\/connectors\/\{id\}/, 'connectorId'],
];

/** The seeded value for the path parameters of `path` (`/v1/budgets/{id}` → the budget's id). */
export function seededParam(path: string, s: SeededResources): string | undefined {
  const hit = SEEDED_PARAM.find(([re]) => re.test(path));
  return hit ? (s[hit[1]] as string) : undefined;
}

/** The seeded value of one path parameter: a nested resource's own id (`{runId}`), else the path's seeded resource. */
export function seededPathValue(path: string, name: string, s: SeededResources): string | undefined {
  if (name === 'runId') return s.connectorRunId;
  return seededParam(path, s);
}

/** `path` with every `{param}` replaced by `value` (already URL-safe or URL-encoded by the caller). */
export function fillPath(path: string, value: (name: string) => string): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => value(name));
}

// The OpenAPI document itself (served at /docs/json): valid OpenAPI 3.x, and every operation
// described well enough to generate a typed client and to read without the code: a summary, a
// response schema with an example that satisfies it, the conventions of README "API conventions"
// (pages, money, names, enums). Each test lists every operation at fault, so one run shows them all.
import { Validator } from '@seriousme/openapi-schema-validator';
import ajvModule from 'ajv';
import ajvFormatsModule from 'ajv-formats';
import { MONEY_PATTERN } from '../src/common/api-contract.js';
import { ERROR_CODES } from '../src/common/errors.js';
import { bootApp, type TestApp } from './support/app.js';
import { toJsonSchema } from './support/contract.js';

type Json = Record<string, any>; // the document's JSON, walked generically

const Ajv = ((ajvModule as unknown as { default?: unknown }).default ?? ajvModule) as unknown as typeof ajvModule.default;
const addFormats = ((ajvFormatsModule as unknown as { default?: unknown }).default ?? ajvFormatsModule) as unknown as typeof ajvFormatsModule.default;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
/** Properties that hold a closed set of values, wherever they appear. */
const CLOSED_SETS = new Set(['verdict', 'role', 'status', 'window', 'granularity', 'format', 'costBasis', 'scopes', 'severity', 'dimension']);

/** Operations whose field names a standard fixes, not us. */
const NAMING_EXCEPTIONS: Record<string, string> = {
  'GET /v1/exports/focus': 'FOCUS (FinOps Open Cost and Usage Specification) column names are PascalCase by specification',
};

let t: TestApp;
let doc: Json;

beforeAll(async () => {
  t = await bootApp();
  doc = (await t.http.get('/docs/json').expect(200)).body;
});
afterAll(async () => t?.close());

function operations(): { name: string; path: string; method: string; op: Json }[] {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const method of METHODS) if (item[method]) out.push({ name: `${method.toUpperCase()} ${path}`, path, method, op: item[method] });
  }
  return out;
}

function resolve(schema: Json | undefined): Json {
  let s = schema ?? {};
  for (let i = 0; s.$ref && i < 20; i++) s = s.$ref.split('/').slice(1).reduce((node: Json, key: string) => node?.[key], doc) ?? {};
  if (s.allOf?.length === 1 && !s.properties) return { ...resolve(s.allOf[0]), ...(s.nullable ? { nullable: true } : {}) };
  return s;
}

/**
 * An example value for a schema: its own example when it has one, else built from its properties'
 * examples. Leaves with nothing to show (a string with no example, enum, format or default) are
 * collected in `missing` by their path.
 */
function exampleOf(schema: Json | undefined, at: string, missing: string[], depth = 0): unknown {
  const s = resolve(schema);
  if (s.example !== undefined) return s.example;
  if (depth > 12) return undefined;
  if (s.enum) return s.enum[0];
  if (s.oneOf || s.anyOf) return exampleOf((s.oneOf ?? s.anyOf)[0], at, missing, depth + 1);
  if (s.type === 'array') return [exampleOf(s.items, `${at}[]`, missing, depth + 1)];
  if (s.type === 'object' || s.properties) {
    const out: Json = {};
    for (const [k, v] of Object.entries((s.properties ?? {}) as Json)) out[k] = exampleOf(v, `${at}.${k}`, missing, depth + 1);
    if (!s.properties && s.additionalProperties && typeof s.additionalProperties === 'object') out.key = exampleOf(s.additionalProperties, `${at}{}`, missing, depth + 1);
    return out;
  }
  if (s.default !== undefined) return s.default;
  if (s.type === 'boolean') return true;
  if (s.format === 'date-time') return '2026-11-30T00:00:00.000Z';
  if (s.format === 'uuid') return '3f0b6c8e-2d6a-4f5e-9a43-3e7f5d2c1b90';
  if (s.nullable && !s.type) return null;
  missing.push(at);
  return undefined;
}

/** Every property of every schema reachable from `schema` (components walked once each). */
function* properties(schema: Json | undefined, at: string, seen = new Set<string>()): Generator<{ name: string; at: string; schema: Json }> {
  if (!schema) return;
  if (schema.$ref) {
    if (seen.has(schema.$ref)) return;
    seen.add(schema.$ref);
  }
  const s = resolve(schema);
  for (const [k, v] of Object.entries((s.properties ?? {}) as Json)) {
    yield { name: k, at: `${at}.${k}`, schema: resolve(v) };
    yield* properties(v, `${at}.${k}`, seen);
  }
  if (s.items) yield* properties(s.items, `${at}[]`, seen);
  for (const sub of [...(s.oneOf ?? []), ...(s.anyOf ?? []), ...(s.allOf ?? [])]) yield* properties(sub, at, seen);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') yield* properties(s.additionalProperties, `${at}{}`, seen);
}

function successResponses(op: Json): [string, Json][] {
  return Object.entries((op.responses ?? {}) as Json).filter(([status]) => /^2/.test(status));
}

function jsonSchemasOf(op: Json): { where: string; schema: Json }[] {
  const out = [];
  for (const [status, r] of successResponses(op)) if (r.content?.['application/json']) out.push({ where: status, schema: r.content['application/json'].schema });
  if (op.requestBody?.content?.['application/json']) out.push({ where: 'request body', schema: op.requestBody.content['application/json'].schema });
  return out;
}

const expectNone = (faults: string[]) => expect(faults.sort()).toEqual([]);

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.x', async () => {
    expect(doc.openapi).toMatch(/^3\.[01]\.\d+$/);
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('gives every operation a unique operationId, a tag and a summary', () => {
    const faults: string[] = [];
    const ids = new Map<string, string>();
    for (const { name, op } of operations()) {
      if (!op.summary || op.summary.length < 10) faults.push(`${name}: no summary`);
      if (!op.tags?.length) faults.push(`${name}: no tag`);
      if (!op.operationId) faults.push(`${name}: no operationId`);
      else if (ids.has(op.operationId)) faults.push(`${name}: operationId ${op.operationId} also used by ${ids.get(op.operationId)}`);
      else ids.set(op.operationId, name);
    }
    expectNone(faults);
  });

  it('describes the success answer of every operation: a schema for every body, text types as strings', () => {
    const faults: string[] = [];
    for (const { name, op } of operations()) {
      const ok = successResponses(op);
      if (ok.length === 0) faults.push(`${name}: no 2xx response`);
      for (const [status, r] of ok) {
        if (status === '204') continue;
        if (!r.content) faults.push(`${name} ${status}: no content (use 204 for no body)`);
        for (const [type, media] of Object.entries((r.content ?? {}) as Json)) {
          const s = resolve(media.schema);
          if (type.startsWith('text/') && s.type !== 'string') faults.push(`${name} ${status} ${type}: schema is not a string`);
          if (type === 'application/json' && !s.type && !s.properties && !s.oneOf && !s.anyOf && !s.allOf) faults.push(`${name} ${status}: JSON without a schema`);
          if (type === 'application/json' && s.type === 'object' && !s.properties && !s.additionalProperties) faults.push(`${name} ${status}: an object with no properties described`);
        }
      }
    }
    expectNone(faults);
  });

  it('has a realistic example for every field of every request and answer, and each example satisfies its schema', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'openapi', components: toJsonSchema(doc.components, false) } as Json);
    const faults: string[] = [];
    for (const { name, op } of operations()) {
      for (const { where, schema } of jsonSchemasOf(op)) {
        const missing: string[] = [];
        const example = exampleOf(schema, '', missing);
        if (missing.length) {
          faults.push(`${name} ${where}: no example for ${missing.slice(0, 6).join(', ')}${missing.length > 6 ? ` (+${missing.length - 6})` : ''}`);
          continue;
        }
        const validate = ajv.compile(JSON.parse(JSON.stringify(toJsonSchema(schema, false)).replaceAll('"#/components/', '"openapi#/components/')));
        if (!validate(example)) faults.push(`${name} ${where}: its example does not satisfy the schema: ${ajv.errorsText(validate.errors)}`);
        for (const p of [...properties(schema, '')]) {
          if (p.schema.type === 'string' && typeof p.schema.example === 'string' && /^(string|foo|bar|test|example)$/i.test(p.schema.example)) faults.push(`${name} ${where}: placeholder example "${p.schema.example}" at ${p.at}`);
        }
      }
    }
    expectNone(faults);
  });

  it('follows the naming, money, time and enum conventions in every answer', () => {
    const faults = new Set<string>();
    const enumValues = new Set<string>();
    JSON.stringify(doc, (k, v) => (k === 'enum' && Array.isArray(v) && v.forEach((e) => typeof e === 'string' && enumValues.add(e)), v));
    for (const { name, op } of operations()) {
      for (const [status, r] of successResponses(op)) {
        for (const p of properties(r.content?.['application/json']?.schema, '')) {
          const where = `${name} ${status} ${p.at}`;
          // Keys that are values of an enum (verdict counts keyed by verdict) are data, named by the enum.
          if (!/^[a-z][a-zA-Z0-9]*$/.test(p.name) && !NAMING_EXCEPTIONS[name] && !enumValues.has(p.name)) faults.add(`${where}: not camelCase`);
          if (/Usd$/.test(p.name) && (p.schema.type !== 'string' || p.schema.pattern !== MONEY_PATTERN)) faults.add(`${where}: money must be a decimal string with the money pattern`);
          if (/At$/.test(p.name) && !(p.schema.type === 'string' && p.schema.format === 'date-time')) faults.add(`${where}: a time must be a date-time string`);
          // Counts are integers: a generated client must not hand out 2.0 requests.
          // (A count summed in bigint may be an integer string, like the unpriced-usage list's.)
          // Rates (per something, per month), averages and estimates (forecasts, percentiles) and objects (a range of tokens) are not counts.
          const scalar = ['integer', 'number', 'string'].includes(p.schema.type);
          const count = scalar && !/\b(average|mean|estimate)/i.test(p.schema.description ?? '') && ((/Tokens$|Count$|Requests$/.test(p.name) && !/Per[A-Z]|^monthly|^forecast|^p\d+/.test(p.name)) || p.name === 'requests' || p.name === 'errors');
          if (count && p.schema.type !== 'integer' && !(p.schema.type === 'string' && p.schema.pattern === '^\\d+$')) faults.add(`${where}: a count must be an integer`);
          if (CLOSED_SETS.has(p.name)) {
            const values = p.schema.type === 'array' ? resolve(p.schema.items) : p.schema;
            if (values.type === 'string' && !values.enum) faults.add(`${where}: a closed set must list its values (enum)`);
          }
        }
      }
    }
    expectNone([...faults]);
  });

  it('paginates every list with limit and cursor, answering { data, nextCursor } with the shared NextCursor', () => {
    const faults: string[] = [];
    for (const { name, op } of operations()) {
      for (const [status, r] of successResponses(op)) {
        const s = resolve(r.content?.['application/json']?.schema);
        // A list answers { data: [...] }; a report with paged rows carries nextCursor beside them.
        const isList = resolve(s.properties?.data).type === 'array' || s.properties?.nextCursor !== undefined;
        if (!isList) continue;
        const next = s.properties?.nextCursor;
        if ((next?.$ref ?? next?.allOf?.[0]?.$ref) !== '#/components/schemas/NextCursor') faults.push(`${name} ${status}: a list without the shared nextCursor`);
        const query = new Set((op.parameters ?? []).filter((p: Json) => p.in === 'query').map((p: Json) => p.name));
        if (!query.has('limit') || !query.has('cursor')) faults.push(`${name}: a list without limit and cursor parameters`);
      }
    }
    expectNone(faults);
  });

  it('has one error shape, listing every error code the API answers with', () => {
    const error = resolve(resolve(doc.components.schemas.ErrorResponseDto).properties.error);
    expect(resolve(error.properties.code).enum).toEqual([...ERROR_CODES]);
    expect(error.required).toEqual(expect.arrayContaining(['code', 'message']));
    const faults: string[] = [];
    for (const { name, op } of operations()) {
      for (const [status, r] of Object.entries((op.responses ?? {}) as Json)) {
        if (!/^[45]/.test(status)) continue;
        if (r.content?.['application/json']?.schema?.$ref !== '#/components/schemas/ErrorResponseDto') faults.push(`${name} ${status}: not the error shape`);
      }
    }
    expectNone(faults);
  });
});

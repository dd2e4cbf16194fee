// Contract checks: every response an e2e test receives from an app booted by bootApp is checked
// against the app's own OpenAPI document (the one served at /docs/json) with compiled JSON-schema
// validators. A response whose status, content type or body the document does not describe is a
// violation; test/support/contract-setup.ts fails the test that made the request.
//
// Objects are checked closed: a field the document does not list is a violation, so the document
// cannot fall behind the code without a test noticing. CONTRACT_CHECK=report prints violations
// instead of failing (for a quick local look); the default, and CI, fail.
import ajvModule, { type ValidateFunction } from 'ajv';
import ajvFormatsModule from 'ajv-formats';
import type { OpenAPIObject } from '@nestjs/swagger';

type Json = Record<string, any>; // the document's JSON, walked generically

// CommonJS packages: Node's ESM loader gives module.exports, TypeScript (nodenext) types the namespace.
const Ajv = ((ajvModule as unknown as { default?: unknown }).default ?? ajvModule) as unknown as typeof ajvModule.default;
const addFormats = ((ajvFormatsModule as unknown as { default?: unknown }).default ?? ajvFormatsModule) as unknown as typeof ajvFormatsModule.default;

export interface ContractViolation {
  operation: string;
  status: number;
  problem: string;
}

const violations: ContractViolation[] = [];
/** Operations checked so far in this test file: `GET /v1/budgets 200`. */
export const checkedResponses = new Set<string>();

export function takeViolations(): ContractViolation[] {
  return violations.splice(0, violations.length);
}

/** `/v1/budgets/:id` (Fastify's route pattern) → `/v1/budgets/{id}` (the document's). */
export function toDocumentPath(route: string): string {
  return route.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\/$/, '') || '/';
}

/**
 * OpenAPI 3.0 schema → JSON Schema as Ajv reads it. `nullable: true` beside no `type` (Nest writes
 * `{ allOf: [{ $ref }], nullable: true }` for a nullable DTO or enum) becomes `anyOf: [schema, null]`,
 * which is what OpenAPI means by it. With `closed`, every object with listed properties refuses others
 * unless it says otherwise.
 */
export function toJsonSchema(node: unknown, closed: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, closed));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'example' || k === 'examples' ? v : toJsonSchema(v, closed);
  if (closed && out.properties && typeof out.properties === 'object' && out.additionalProperties === undefined && !out.allOf && !out.oneOf && !out.anyOf) {
    out.additionalProperties = false;
  }
  if (out.nullable === true && out.type === undefined) {
    const { nullable: _, ...rest } = out;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return out;
}
const closeObjects = (node: unknown) => toJsonSchema(node, true);

export class ContractValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenAPIObject) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'openapi', components: closeObjects(doc.components ?? {}) } as Json);
  }

  /** The problem with a response, or null when the document describes it. */
  check(method: string, route: string, status: number, contentType: string | undefined, body: string | null): string | null {
    const path = toDocumentPath(route);
    const op = (this.doc.paths as Json)[path]?.[method.toLowerCase()] as Json | undefined;
    if (!op) return path.startsWith('/v1/') ? 'the operation is not in the document' : null;
    const responses = (op.responses ?? {}) as Json;
    const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    if (!response) return `status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`;
    const content = response.content as Json | undefined;
    if (!content || Object.keys(content).length === 0) return body ? `status ${status} is documented without a body, but one was sent` : null;
    const media = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (!content[media]) return `content type "${media}" is not documented for ${status} (documented: ${Object.keys(content).join(', ')})`;
    if (media !== 'application/json' || body === null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return 'the body is not JSON';
    }
    const key = `${method} ${path} ${status} ${media}`;
    let validate: ValidateFunction | undefined = this.compiled.get(key);
    if (!validate) {
      const schema = JSON.parse(JSON.stringify(closeObjects(content[media].schema ?? {})).replaceAll('"#/components/', '"openapi#/components/'));
      validate = this.ajv.compile(schema);
      this.compiled.set(key, validate);
    }
    if (validate(parsed)) return null;
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` "${String(e.params.additionalProperty)}"` : ''}`);
    return `the body does not match the schema: ${errors.join('; ')}`;
  }

  record(method: string, route: string, status: number, contentType: string | undefined, body: string | null): void {
    const operation = `${method} ${toDocumentPath(route)}`;
    checkedResponses.add(`${operation} ${status}`);
    let problem: string | null;
    try {
      problem = this.check(method, route, status, contentType, body);
    } catch (err) {
      // A schema Ajv cannot compile is the document's fault: reported as such, never turned into a 500.
      problem = `the document's schema cannot be checked: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (problem) violations.push({ operation, status, problem });
  }
}

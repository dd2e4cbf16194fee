// The OpenAPI document, built from the controllers' decorators, then completed with what every
// operation shares: the error responses, text alternatives as strings, the NextCursor component.
// Served at /docs/json by the api role, and written at build time (scripts/openapi.mjs) to generate
// the typed client (src/generated/openapi.ts) that the demo, the benches and the dashboard use.
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ERROR_STATUS_TEXT, ErrorResponseDto, FieldErrorDto, NEXT_CURSOR_SCHEMA } from './api-contract.js';

type Json = Record<string, any>; // the document's JSON, walked generically

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const ERROR_REF = { $ref: '#/components/schemas/ErrorResponseDto' };

export const API_DESCRIPTION = [
  'LLM spend, self-hosting economics and migration planning.',
  '',
  'Authenticate with `Authorization: Bearer <API key or access token>`.',
  'Every error has the body `{ "error": { "code", "message", "details"?, "requestId" } }`; `code` is one of the ErrorCode values.',
  'Lists are cursor-paginated: `limit` and `cursor` in, `{ data, nextCursor }` out.',
  'Money is a decimal string in USD (`"1234.56"`), never a float.',
  'POSTs that create something accept `Idempotency-Key`; reports answer with an `ETag` and honour `If-None-Match`.',
  'Within /v1, fields, operations, enum values and error codes may be added; none is removed, renamed or changes meaning or type.',
].join('\n');

/** `BudgetsController.create` → `budgets_create`: stable, unique, readable in generated clients. */
function operationId(controllerKey: string, methodKey: string): string {
  const resource = controllerKey.replace(/Controller$/, '');
  return `${resource.charAt(0).toLowerCase()}${resource.slice(1)}_${methodKey}`;
}

export function buildOpenApiDocument(app: INestApplication, version = '1.0.0'): OpenAPIObject {
  const config = new DocumentBuilder().setTitle('Crossover API').setDescription(API_DESCRIPTION).setVersion(version).addBearerAuth().build();
  const doc = SwaggerModule.createDocument(app, config, { operationIdFactory: operationId, extraModels: [ErrorResponseDto, FieldErrorDto] });
  return completeDocument(doc);
}

/** Adds what every operation shares; pure, so it is unit-tested on a hand-written document. */
export function completeDocument(doc: OpenAPIObject): OpenAPIObject {
  const schemas = ((doc.components ??= {}).schemas ??= {}) as Json;
  schemas.NextCursor = { ...NEXT_CURSOR_SCHEMA };
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const responses = (op.responses ??= {}) as Json;
      for (const status of sharedErrorStatuses(path, method, op)) {
        responses[status] ??= { description: ERROR_STATUS_TEXT[status], content: { 'application/json': { schema: ERROR_REF } } };
      }
      for (const response of Object.values(responses) as Json[]) {
        for (const [type, media] of Object.entries((response.content ?? {}) as Json)) {
          // CSV and Markdown are text: the JSON schema of the same answer does not describe them.
          if (type.startsWith('text/')) response.content[type] = { schema: { type: 'string' }, ...(media.example !== undefined && typeof media.example === 'string' ? { example: media.example } : {}) };
        }
      }
    }
  }
  return doc;
}

/** The error statuses any operation of this kind can answer: auth, validation, rate limits, outages. */
function sharedErrorStatuses(path: string, method: string, op: Json): number[] {
  const statuses = [429, 500, 503];
  const secured = Array.isArray(op.security) && op.security.length > 0;
  if (secured && !path.startsWith('/health')) statuses.push(401, 403);
  if (op.requestBody || (op.parameters ?? []).some((p: Json) => p.in === 'query' || p.in === 'header')) statuses.push(400);
  if (op.requestBody) statuses.push(413, 415);
  if (path.includes('{')) statuses.push(404);
  if (method !== 'get' && !op.requestBody) statuses.push(400);
  return [...new Set(statuses)].sort();
}

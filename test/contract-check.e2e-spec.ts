// The contract checker itself (test/support/contract.ts): it must catch each kind of drift between
// an answer and the document, or the contract tests of every other suite prove nothing.
import type { OpenAPIObject } from '@nestjs/swagger';
import { ContractValidator, toDocumentPath } from './support/contract.js';

const doc = {
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths: {
    '/v1/budgets/{id}': {
      get: {
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/BudgetDto' } }, 'text/csv': { schema: { type: 'string' } } } },
          '404': { description: 'missing', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      BudgetDto: {
        type: 'object',
        required: ['id', 'limitUsd', 'window'],
        properties: { id: { type: 'string', format: 'uuid' }, limitUsd: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' }, window: { type: 'string', enum: ['month', '24h'] }, note: { type: 'string', nullable: true } },
      },
      ErrorResponseDto: { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['code'], properties: { code: { type: 'string', enum: ['not_found'] } } } } },
    },
  },
} as unknown as OpenAPIObject;

const v = new ContractValidator(doc);
const ok = { id: '3f0b6c8e-2d6a-4f5e-9a43-3e7f5d2c1b90', limitUsd: '500', window: 'month', note: null };
const check = (status: number, body: unknown, type = 'application/json; charset=utf-8', route = '/v1/budgets/:id', method = 'GET') =>
  v.check(method, route, status, type, typeof body === 'string' ? body : JSON.stringify(body));

describe('the contract checker', () => {
  it('accepts an answer the document describes', () => {
    expect(toDocumentPath('/v1/budgets/:id')).toBe('/v1/budgets/{id}');
    expect(check(200, ok)).toBeNull();
    expect(check(200, 'id,limit\n', 'text/csv; charset=utf-8')).toBeNull();
    expect(check(404, { error: { code: 'not_found' } })).toBeNull();
  });

  it('catches an undocumented field, a missing or mistyped one, a value outside its enum or pattern', () => {
    expect(check(200, { ...ok, extra: 1 })).toMatch(/must NOT have additional properties "extra"/);
    expect(check(200, { id: ok.id, window: 'month' })).toMatch(/must have required property 'limitUsd'/);
    expect(check(200, { ...ok, limitUsd: 500 })).toMatch(/\/limitUsd must be string/);
    expect(check(200, { ...ok, limitUsd: '5e2' })).toMatch(/\/limitUsd must match pattern/);
    expect(check(200, { ...ok, window: '7d' })).toMatch(/\/window must be equal to one of the allowed values/);
    expect(check(404, { error: { code: 'gone' } })).toMatch(/\/error\/code must be equal to one of the allowed values/);
  });

  it('catches an undocumented status, content type or operation', () => {
    expect(check(409, { error: { code: 'not_found' } })).toMatch(/status 409 is not documented/);
    expect(check(200, '# budget', 'text/markdown')).toMatch(/content type "text\/markdown" is not documented/);
    expect(check(200, ok, 'application/json', '/v1/budgets/:id', 'DELETE')).toBe('the operation is not in the document');
    // Routes outside /v1 that the document leaves out on purpose (the dashboard's files) are not checked.
    expect(check(200, '<html>', 'text/html', '/app/:file')).toBeNull();
  });
});

describe('OpenAPI 3.0 nullable beside a $ref', () => {
  it('accepts null or the referenced shape, nothing else', () => {
    const nullableRef = new ContractValidator({
      ...doc,
      paths: { '/v1/x': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['budget'], properties: { budget: { allOf: [{ $ref: '#/components/schemas/BudgetDto' }], nullable: true } } } } } } } } } },
    } as unknown as OpenAPIObject);
    const at = (body: unknown) => nullableRef.check('GET', '/v1/x', 200, 'application/json', JSON.stringify(body));
    expect(at({ budget: null })).toBeNull();
    expect(at({ budget: ok })).toBeNull();
    expect(at({ budget: { ...ok, limitUsd: 5 } })).toMatch(/limitUsd must be string/);
    expect(at({ budget: 'none' })).not.toBeNull();
  });
});

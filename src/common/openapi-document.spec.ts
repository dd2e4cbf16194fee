import type { OpenAPIObject } from '@nestjs/swagger';
import { completeDocument } from './openapi-document.js';

const ERROR = { $ref: '#/components/schemas/ErrorResponseDto' };

function doc(paths: Record<string, unknown>): OpenAPIObject {
  return { openapi: '3.0.0', info: { title: 't', version: '1' }, paths, components: { schemas: {} } } as OpenAPIObject;
}

describe('completeDocument', () => {
  it('adds the errors every operation of its kind can answer, keeping the ones it declares', () => {
    const out = completeDocument(
      doc({
        '/v1/budgets/{id}': {
          patch: {
            security: [{ bearer: [] }],
            requestBody: { content: { 'application/json': { schema: {} } } },
            responses: { '200': { description: 'ok' }, '409': { description: 'mine', content: { 'application/json': { schema: ERROR } } } },
          },
        },
        '/health': { get: { responses: { '200': { description: 'ok' } } } },
      }),
    ) as any;
    const patch = out.paths['/v1/budgets/{id}'].patch.responses;
    expect(Object.keys(patch).sort()).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '429', '500', '503']);
    expect(patch['409'].description).toBe('mine');
    expect(patch['404'].content['application/json'].schema).toEqual(ERROR);
    // A public route without parameters: no 401/403, no 400, no 404.
    expect(Object.keys(out.paths['/health'].get.responses).sort()).toEqual(['200', '429', '500', '503']);
    expect(out.components.schemas.NextCursor).toMatchObject({ type: 'string', nullable: true });
  });

  it('describes text alternatives as strings, not as the JSON schema', () => {
    const out = completeDocument(
      doc({
        '/v1/reports/spend': {
          get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } }, 'text/csv': { schema: { type: 'object' } } } } } },
        },
      }),
    ) as any;
    const content = out.paths['/v1/reports/spend'].get.responses['200'].content;
    expect(content['text/csv'].schema).toEqual({ type: 'string' });
    expect(content['application/json'].schema).toEqual({ type: 'object' });
  });
});

// The pieces of the OpenAPI contract every controller shares: the error body, pagination, money,
// text alternatives, Idempotency-Key and ETag. Documented once here, reused by reference; see
// src/common/openapi-document.ts for how the document is assembled and README "API conventions".
import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiProduces, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath, type ApiPropertyOptions } from '@nestjs/swagger';
import { ERROR_CODES } from './errors.js';

/** Money in JSON: a decimal string, never a float (README "Money"). */
export const MONEY_PATTERN = '^-?\\d+(\\.\\d+)?$';

type PropOpts = Omit<ApiPropertyOptions, 'type' | 'pattern'>;

/** A required USD amount as a decimal string. */
export const ApiMoney = (opts: PropOpts = {}) =>
  ApiProperty({ type: 'string', pattern: MONEY_PATTERN, example: '1234.56', description: 'USD, decimal string', ...opts } as ApiPropertyOptions);

/** A USD amount that may be null (unknown, not priced yet) as a decimal string. */
export const ApiMoneyNullable = (opts: PropOpts = {}) =>
  ApiProperty({ type: 'string', pattern: MONEY_PATTERN, nullable: true, example: '1234.56', description: 'USD, decimal string; null when unknown', ...opts } as ApiPropertyOptions);

/**
 * A nested object that may be null: `anyOf` the DTO or null. OpenAPI 3.0 ignores `nullable` beside a bare
 * `$ref` (what `{ type: Dto, nullable: true }` writes), so validators and generated clients would refuse null.
 */
export const ApiNullableRef = (dto: Type<unknown>, opts: Omit<ApiPropertyOptions, 'type'> = {}) =>
  ApiProperty({ ...opts, anyOf: [{ $ref: getSchemaPath(dto) }, { type: 'object', nullable: true, enum: [null] }] } as ApiPropertyOptions);

/** A USD amount present only in some answers. */
export const ApiMoneyOptional = (opts: PropOpts = {}) =>
  ApiPropertyOptional({ type: 'string', pattern: MONEY_PATTERN, example: '1234.56', description: 'USD, decimal string', ...opts } as ApiPropertyOptions);

export class FieldErrorDto {
  @ApiProperty({ example: 'thresholds[0]' }) field: string;
  @ApiProperty({ example: 'must not be greater than 1000' }) message: string;
}

export class ErrorDetailDto {
  @ApiProperty({ enum: ERROR_CODES, enumName: 'ErrorCode', example: 'validation_failed', description: 'Stable, machine-readable; the message may change' })
  code: string;
  @ApiProperty({ example: 'Invalid request: limitUsd' }) message: string;
  @ApiPropertyOptional({
    description: 'validation_failed and invalid: the fields at fault, as a list of {field, message}; other codes: an object with more context (retryAfterSeconds, dependency, fields)',
    oneOf: [{ type: 'array', items: { $ref: '#/components/schemas/FieldErrorDto' } }, { type: 'object', additionalProperties: true }],
  })
  details?: FieldErrorDto[] | Record<string, unknown>;
  @ApiPropertyOptional({ example: '3f0b6c8e-2d6a-4f5e-9a43-3e7f5d2c1b90', description: 'Also in the x-request-id header; quote it when reporting a problem' })
  requestId?: string;
}

/** The one error shape of every 4xx and 5xx. */
export class ErrorResponseDto {
  @ApiProperty({ type: ErrorDetailDto }) error: ErrorDetailDto;
}

/** Error statuses an operation may answer beyond those the document adds to every operation (see openapi-document.ts). */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, description: ERROR_STATUS_TEXT[status] ?? 'Error', type: ErrorResponseDto })));

export const ERROR_STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input: `details` names each field at fault',
  401: 'Missing, expired or revoked credentials',
  403: 'The credentials lack the permission or scope this operation needs',
  404: 'No such resource in this organisation (another organisation\'s ids are 404 too)',
  409: 'Conflicts with the current state (a duplicate name, a limit reached, an Idempotency-Key still in progress)',
  413: 'Request body over the size limit',
  415: 'Unsupported Content-Type',
  422: 'Idempotency-Key reused with a different request',
  429: 'Rate limited: retry after the Retry-After header',
  500: 'Unexpected error: quote requestId',
  503: 'A dependency is unavailable, the server is overloaded or shutting down: retry after Retry-After',
};

/** `nextCursor`, described once as the component `NextCursor` (added by openapi-document.ts); every page schema points at it. */
export const NEXT_CURSOR_SCHEMA = {
  type: 'string',
  nullable: true,
  example: 'eyJ0cyI6IjIwMjYtMTEtMzBUMTI6MDA6MDAuMDAwWiIsImlkIjoiYjJmIn0',
  description: 'Opaque; pass it back as `cursor` for the next page. null on the last page',
} as const;

/** `nextCursor` of a page DTO written as a class (a page with more fields than data and nextCursor). */
export const SHARED_NEXT_CURSOR = { allOf: [{ $ref: '#/components/schemas/NextCursor' }] } as unknown as ApiPropertyOptions;

/**
 * A cursor-paginated list of `item`: `{ data: item[], nextCursor }`, with `limit` and `cursor`
 * as query parameters (PageQueryDto). The schema is named `<Item>Page`, so generated clients get a type per list.
 */
export function ApiPageResponse(item: Type<unknown>, opts: { description?: string; example?: unknown } = {}) {
  const name = `${item.name.replace(/Dto$/, '')}Page`;
  return applyDecorators(
    ApiExtraModels(item),
    ApiResponse({
      status: 200,
      description: opts.description ?? `A page of ${item.name.replace(/Dto$/, '')}; follow nextCursor for the next`,
      schema: {
        title: name,
        type: 'object',
        required: ['data', 'nextCursor'],
        properties: {
          data: { type: 'array', items: { $ref: getSchemaPath(item) } },
          nextCursor: { $ref: '#/components/schemas/NextCursor' },
        },
      },
      ...(opts.example !== undefined ? { example: opts.example } : {}),
    }),
  );
}

/** JSON by default, the same data as CSV with `Accept: text/csv` (the document gives CSV a string schema). */
export const ApiCsvAlternative = () => ApiProduces('application/json', 'text/csv');

/** JSON by default, Markdown with `Accept: text/markdown` or `?format=markdown`. */
export const ApiMarkdownAlternative = () => ApiProduces('application/json', 'text/markdown');

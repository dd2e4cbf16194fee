// The route decorators of two API conventions (README "API conventions"): each documents the
// convention in the OpenAPI document and attaches its interceptor to that route only, so routes
// without it (the per-call ingest path above all) pay nothing for it.
import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiExtension, ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ApiErrors } from '../../common/api-contract.js';
import { ETagMarker } from './etag.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

/**
 * A POST that creates something: a repeated `Idempotency-Key` replays the first answer for 24 hours
 * (idempotency.interceptor.ts); the same key with another body is a 422, one still running a 409.
 */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: '1-255 printable ASCII characters. A retry with the same key and body within 24 hours gets the first answer (with `Idempotent-Replayed: true`) instead of creating a second resource',
      schema: { type: 'string', minLength: 1, maxLength: 255, example: 'budget-2026-12-openai' },
    }),
    ApiErrors(409, 422),
  );

/** A report: answered with a strong ETag; `If-None-Match` with it gets a 304 and no body (etag.ts). */
export const ETagged = () =>
  applyDecorators(
    UseInterceptors(ETagMarker),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier answer: 304 Not Modified when the report has not changed', schema: { type: 'string' } }),
    ApiResponse({ status: 304, description: 'Not modified since the ETag sent in If-None-Match' }),
    ApiExtension('x-etag', true),
  );

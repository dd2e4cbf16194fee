/** A field-level problem, as listed in error bodies: `{ field: "events[3].usage.input_tokens", message }`. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * Every `error.code` this API answers with (the OpenAPI document's ErrorCode enum). Stable: a new
 * code may be added within /v1, an existing one is never renamed.
 */
export const ERROR_CODES = [
  'validation_failed', // 400: a field of the body or query is invalid; details lists them
  'invalid', // 400: the request is well-formed but refused by a rule; details lists the fields
  'invalid_reference', // 400: names a resource that does not exist
  'bad_request', // 400: malformed (JSON syntax, encoding)
  'unauthenticated', // 401
  'forbidden', // 403
  'not_found', // 404
  'method_not_allowed', // 405
  'not_acceptable', // 406
  'conflict', // 409
  'idempotency_in_progress', // 409: the first request with this Idempotency-Key has not finished
  'payload_too_large', // 413
  'uri_too_long', // 414
  'unsupported_media_type', // 415
  'idempotency_key_reused', // 422: the Idempotency-Key was used with another request
  'unprocessable', // 422
  'rate_limited', // 429
  'internal', // 500
  'unavailable', // 503: PostgreSQL or Redis unreachable
  'overloaded', // 503: too many requests in flight
  'draining', // 503: shutting down
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The domain error family: services throw these; one filter maps them to HTTP. */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  constructor(message: string, readonly details: unknown = undefined) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly code = 'not_found';
}
export class ConflictError extends DomainError {
  readonly status = 409;
  readonly code = 'conflict';
}
export class InvalidError extends DomainError {
  readonly status = 400;
  readonly code = 'invalid';
  constructor(message: string, readonly fields: FieldError[] = []) {
    super(message, fields.length ? fields : undefined);
  }
}
export class UnauthenticatedError extends DomainError {
  readonly status = 401;
  readonly code = 'unauthenticated';
}
export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly code = 'forbidden';
}
export class QuotaExceededError extends DomainError {
  readonly status = 429;
  readonly code = 'rate_limited';
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message, { retryAfterSeconds });
  }
}
export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
  readonly code = 'payload_too_large';
}

/** A field-level problem, as listed in error bodies: `{ field: "events[3].usage.input_tokens", message }`. */
export interface FieldError {
  field: string;
  message: string;
}

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

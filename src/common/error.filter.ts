import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, QuotaExceededError } from './errors.js';
import { currentRequestId } from './request-context.js';
import { unavailableDependency, type Dependency } from './unavailable.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}

const HTTP_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
};

/** Prisma known-request error codes we map (cal.com's vocabulary): unique → 409, missing → 404, FK → 400. */
const PRISMA_CODES: Record<string, { status: number; code: string; message: string }> = {
  P2002: { status: 409, code: 'conflict', message: 'A resource with the same unique value already exists' },
  P2025: { status: 404, code: 'not_found', message: 'Resource not found' },
  P2003: { status: 400, code: 'invalid_reference', message: 'A referenced resource does not exist' },
};

/**
 * Seconds a client is told to wait when PostgreSQL or Redis is unavailable: long enough for a
 * restart or failover to make progress, short enough that a retried ingest batch is not held
 * back much; the clients' own backoff spreads the retries.
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** At most one "unavailable" warning per this interval (ms) per filter instance. */
const UNAVAILABLE_LOG_EVERY_MS = 10_000;

const UNAVAILABLE_MESSAGES: Record<Dependency, string> = {
  database: 'The database is unreachable; retry shortly',
  redis: 'The job queue is unreachable; retry shortly',
};

/** Maps any error to `{ error: { code, message, details, requestId } }`. */
export function toErrorResponse(exception: unknown, requestId?: string): { status: number; body: ErrorBody; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  let status = 500;
  let code = 'internal';
  let message = 'Internal server error';
  let details: unknown;

  if (exception instanceof DomainError) {
    status = exception.status;
    code = exception.code;
    message = exception.message;
    details = exception.details;
    if (exception instanceof QuotaExceededError) headers['retry-after'] = String(exception.retryAfterSeconds);
  } else if (exception instanceof HttpException) {
    status = exception.getStatus();
    const res = exception.getResponse();
    code = HTTP_CODES[status] ?? (status >= 500 ? 'internal' : 'bad_request');
    if (typeof res === 'string') message = res;
    else if (res && typeof res === 'object') {
      const r = res as Record<string, unknown>;
      if (typeof r.code === 'string') code = r.code;
      if (Array.isArray(r.message)) {
        message = 'Invalid request';
        details = r.message;
      } else if (typeof r.message === 'string') message = r.message;
      if (r.details !== undefined) details = r.details;
    }
  } else if (isPrismaKnownError(exception) && PRISMA_CODES[exception.code]) {
    ({ status, code, message } = PRISMA_CODES[exception.code]);
    const target = exception.meta?.target;
    if (target) details = { fields: target };
  } else if (isFastifyError(exception)) {
    status = exception.statusCode;
    code = HTTP_CODES[status] ?? 'bad_request';
    message = exception.message;
  } else {
    // Never the raw text: it names hosts, ports and users.
    const dependency = unavailableDependency(exception);
    if (dependency) {
      status = 503;
      code = 'unavailable';
      message = UNAVAILABLE_MESSAGES[dependency];
      details = { dependency };
      headers['retry-after'] = String(UNAVAILABLE_RETRY_AFTER_SECONDS);
    }
  }
  return { status, headers, body: { error: { code, message, ...(details !== undefined ? { details } : {}), requestId } } };
}

function isPrismaKnownError(e: unknown): e is { code: string; meta?: { target?: unknown } } {
  return !!e && typeof e === 'object' && (e as { name?: string }).name === 'PrismaClientKnownRequestError';
}

function isFastifyError(e: unknown): e is { statusCode: number; message: string } {
  const s = (e as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' && s >= 400 && s < 500;
}

@Catch()
export class AllErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const requestId = currentRequestId() ?? String(request?.id ?? '');
    const { status, body, headers } = toErrorResponse(exception, requestId);
    if (body.error.code === 'unavailable') this.warnUnavailable(exception, requestId);
    else if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  // During an outage every request fails the same way: one warning line (no stack) per
  // interval, with how many were answered 503 since the last one, instead of a flood.
  private lastUnavailableLog = 0;
  private unavailableSinceLog = 0;

  private warnUnavailable(exception: unknown, requestId: string): void {
    this.unavailableSinceLog++;
    if (Date.now() - this.lastUnavailableLog < UNAVAILABLE_LOG_EVERY_MS) return;
    const raw = exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
    this.logger.warn(`503 unavailable (${this.unavailableSinceLog} since last report; request ${requestId}): ${raw.replace(/\s+/g, ' ').slice(0, 500)}`);
    this.lastUnavailableLog = Date.now();
    this.unavailableSinceLog = 0;
  }
}

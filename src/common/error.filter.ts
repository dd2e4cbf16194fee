import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, QuotaExceededError } from './errors.js';
import { currentRequestId } from './request-context.js';

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
    code = HTTP_CODES[status] ?? (status >= 500 ? 'internal' : 'error');
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
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}

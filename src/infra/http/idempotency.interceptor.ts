import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DomainError, InvalidError } from '../../common/errors.js';
import type { Principal } from '../../common/principal.js';
import { RedisService } from '../redis/redis.service.js';

/** How long a finished answer is replayed for a repeated key (the README's promise). */
export const IDEMPOTENCY_REPLAY_SECONDS = 24 * 3600;
/** How long a request in progress holds its key: a process that dies mid-request frees it after this. */
export const IDEMPOTENCY_LOCK_SECONDS = 60;
const KEY_PATTERN = /^[\x20-\x7E]{1,255}$/;

class IdempotencyInProgressError extends DomainError {
  readonly status = 409;
  readonly code = 'idempotency_in_progress';
}
class IdempotencyKeyReusedError extends DomainError {
  readonly status = 422;
  readonly code = 'idempotency_key_reused';
}

type Stored = { state: 'pending'; fingerprint: string } | { state: 'done'; fingerprint: string; body: unknown };

/**
 * `Idempotency-Key` on the POSTs marked @Idempotent() (conventions.ts attaches this to them alone): the first request with a key runs and, when it
 * succeeds, its answer is kept in Redis for 24 hours; a retry with the same key and the same request
 * gets that answer again (with `Idempotent-Replayed: true`) instead of creating a second resource.
 * Keys are per organisation. The same key with another body or route is a 422; while the first is still
 * running, a 409 with Retry-After. Failed requests keep nothing, so a retry after a 4xx or 5xx runs again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly redis: RedisService) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    const given = req.headers['idempotency-key'];
    if (given === undefined || !req.user) return next.handle();
    if (typeof given !== 'string' || !KEY_PATTERN.test(given)) {
      throw new InvalidError('Invalid request: Idempotency-Key', [{ field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' }]);
    }
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    return from(this.run(req.user.orgId, given, fingerprint(req), reply, next));
  }

  private async run(orgId: string, idempotencyKey: string, print: string, reply: FastifyReply, next: CallHandler): Promise<unknown> {
    const client = this.redis.client;
    const key = this.redis.key('idem', orgId, createHash('sha256').update(idempotencyKey).digest('base64url'));
    const pending: Stored = { state: 'pending', fingerprint: print };
    const won = await client.set(key, JSON.stringify(pending), 'EX', IDEMPOTENCY_LOCK_SECONDS, 'NX');
    if (won !== 'OK') {
      const raw = await client.get(key);
      const stored = raw ? (JSON.parse(raw) as Stored) : null;
      if (!stored) return this.run(orgId, idempotencyKey, print, reply, next); // expired in between
      if (stored.fingerprint !== print) throw new IdempotencyKeyReusedError('This Idempotency-Key was used with a different request; use a new key for a new request');
      if (stored.state === 'pending') {
        reply.header('retry-after', '1');
        throw new IdempotencyInProgressError('A request with this Idempotency-Key is still in progress; retry shortly');
      }
      reply.header('idempotent-replayed', 'true');
      return stored.body;
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      // The replay's status is the route's own (Nest sets it after the handler), so only the body is kept.
      const done: Stored = { state: 'done', fingerprint: print, body };
      await client.set(key, JSON.stringify(done), 'EX', IDEMPOTENCY_REPLAY_SECONDS);
      return body;
    } catch (err) {
      await client.del(key).catch(() => undefined);
      throw err;
    }
  }
}

/** What makes two requests "the same": route, URL and body. */
function fingerprint(req: FastifyRequest): string {
  return createHash('sha256')
    .update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`)
    .digest('base64url');
}

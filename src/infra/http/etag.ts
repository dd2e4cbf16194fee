import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import type { Observable } from 'rxjs';

const MARK = Symbol('etag');
type Marked = FastifyRequest & { [MARK]?: true };

/** Marks the requests of @ETagged() routes (conventions.ts attaches it to them alone); the onSend hook below tags their answers. */
@Injectable()
export class ETagMarker implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    ctx.switchToHttp().getRequest<Marked>()[MARK] = true;
    return next.handle();
  }
}

/**
 * A strong ETag (a hash of the exact bytes) on the 200 answers of marked routes, and a 304 with no body
 * when If-None-Match already holds it: a dashboard or script polling a report re-downloads it only when
 * it changed. The report is still computed (the answer is compared, not predicted); what is saved is
 * the transfer and the client's parsing. Streamed answers (large CSV exports) are not tagged.
 */
export function installETags(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (req: Marked, reply, payload, done) => {
    if (!req[MARK] || reply.statusCode !== 200 || !(typeof payload === 'string' || Buffer.isBuffer(payload))) return done(null, payload);
    const tag = `"${createHash('sha256').update(payload).digest('base64url').slice(0, 32)}"`;
    reply.header('etag', tag).header('cache-control', 'private, no-cache').header('vary', 'accept, authorization');
    if (matches(req.headers['if-none-match'], tag)) {
      reply.code(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-disposition');
      return done(null, '');
    }
    done(null, payload);
  });
}

/** If-None-Match: `*`, or a list of tags, weak ones compared by their value (RFC 9110 weak comparison). */
function matches(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === tag);
}

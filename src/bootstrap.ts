import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module.js';
import { exemptFromShedding, InflightLimiter } from './common/admission.js';
import { toErrorResponse } from './common/error.filter.js';
import { buildOpenApiDocument } from './common/openapi-document.js';
import { installETags } from './infra/http/etag.js';
import { createRootLogger, PinoNestLogger } from './common/logger.js';
import { requestContext } from './common/request-context.js';
import { createValidationPipe } from './common/validation.js';
import { MetricsService } from './infra/metrics/metrics.service.js';
import type { AppConfig } from './config/config.js';

/** Seconds an overloaded process asks a refused client to wait: short, since an overload of this kind drains in milliseconds. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 1;

/** Largest request body accepted (ingest batches); larger is 413 before the body is read. */
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const SECRET_PARAMS = /([?&](?:access_token|token|key|api_key|apikey|password|secret)=)[^&#]*/gi;

/** The request URL for logs, with the values of credential-like query parameters replaced: keys never reach log storage. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

/** Builds the app for a role without listening, so tests boot exactly what production runs. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const root = createRootLogger(config.logLevel);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // A hop count is valid at run time (Fastify's docs) though its adapter type omits number.
    trustProxy: config.http.trustProxy as boolean | string | string[],
    // /app/ and /app are the same page (and /v1/plan/ the same route).
    routerOptions: { ignoreTrailingSlash: true },
    // Errors Fastify raises before any route runs (a malformed percent-encoding, a path parameter over its
    // length limit) get the same body as every other error, not Fastify's own.
    frameworkErrors: (error: Error, req: FastifyRequest, reply: FastifyReply) => {
      const { status, body, headers } = toErrorResponse(error, String(req.id));
      void reply.headers(headers).code(status).header('content-type', 'application/json; charset=utf-8').send(body);
    },
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRole(config), adapter, {
    logger: new PinoNestLogger(root),
    bufferLogs: false,
    // Kept for Standard Webhooks signatures, which are computed over the exact bytes.
    rawBody: true,
  });
  const fastify = app.getHttpAdapter().getInstance();
  const admission = new InflightLimiter(config.rateLimit.maxInflight);
  fastify.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    // First of all, before the body is read or anything is looked up: a refusal must cost next to nothing.
    if (!exemptFromShedding(req.url)) {
      if (!admission.tryEnter()) {
        reply
          .code(503)
          .header('retry-after', String(OVERLOAD_RETRY_AFTER_SECONDS))
          .header('content-type', 'application/json; charset=utf-8')
          .send({ error: { code: 'overloaded', message: 'This server is at capacity; retry after the Retry-After delay', requestId: String(req.id) } });
        return;
      }
      // 'close' fires once whether the response finished or the client went away.
      reply.raw.once('close', () => admission.leave());
    }
    requestContext.run({ requestId: String(req.id) }, done);
  });
  const httpLog = root.child({ context: 'http' });
  const metrics = app.get(MetricsService);
  metrics.inflightSource = () => admission.stats;
  fastify.addHook('onResponse', (req, reply, done) => {
    httpLog.info({ method: req.method, url: redactUrl(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    // The route pattern, not the URL, keeps label cardinality bounded.
    metrics.httpDuration.observe({ method: req.method, route: req.routeOptions?.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
  app.useGlobalPipes(createValidationPipe());

  if (config.role !== 'worker') {
    installETags(fastify);
    SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs/json' });
  }
  return app;
}

import { Controller, Get, Headers, Inject, NotFoundException, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { NoRateLimit, Public } from '../../common/decorators.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { MetricsService } from './metrics.service.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Prometheus scrape endpoint: aggregates only (totals across tenants), so it is
 * not public: with METRICS_TOKEN set it needs `Authorization: Bearer <token>`;
 * without one it is open in development and test and not served in production.
 * Anything else is a 404, which does not confirm the endpoint exists.
 */
@ApiExcludeController()
@Public()
@NoRateLimit()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(@Res({ passthrough: true }) reply: FastifyReply, @Headers('authorization') authorization?: string) {
    const { access, token } = this.config.metrics;
    if (access === 'off') throw new NotFoundException();
    if (access === 'token') {
      const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
      // Hashes first: equal lengths for timingSafeEqual, and no early exit on the first differing byte.
      if (!timingSafeEqual(digest(given), digest(token!))) throw new NotFoundException();
    }
    reply.header('content-type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}

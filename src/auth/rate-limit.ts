import { ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { NO_RATE_LIMIT } from '../common/decorators.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { QuotaExceededError } from '../common/errors.js';
import { RedisService } from '../infra/redis/redis.service.js';
import { principalLabel, type Principal } from '../common/principal.js';

// Fixed one-minute windows for several counters in one round trip:
// INCR each key, set its expiry on the first hit, return hits and ms left.
const INCR_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local hits = redis.call('INCR', key)
  if hits == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
  out[#out + 1] = hits
  out[#out + 1] = redis.call('PTTL', key)
end
return out`;

const WINDOW_MS = 60_000;

/**
 * Per-IP and per-principal (API key or user) limits shared by every API
 * replica through Redis; 429 with Retry-After in our error shape.
 *
 * Written here rather than with @nestjs/throttler: that package is CommonJS
 * and requires the ESM-only @nestjs/common 12, which jest cannot load on
 * Node 20. When Redis is unreachable requests pass: losing rate limits for a
 * while is better than refusing usage events, which must never be lost.
 */
abstract class FixedWindowGuard {
  private readonly logger = new Logger(RateLimitGuard.name);
  private lastWarn = 0;

  constructor(
    protected readonly config: AppConfig,
    private readonly redis: RedisService,
    private readonly reflector: Reflector,
  ) {}

  /** The counters this guard increments for a request: [name, limit per minute]. */
  protected abstract limits(req: FastifyRequest & { user?: Principal }): [string, number][];

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(NO_RATE_LIMIT, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const limits = this.limits(req);
    if (limits.length === 0) return true;
    let counts: number[];
    try {
      counts = (await this.redis.client.eval(INCR_SCRIPT, limits.length, ...limits.map(([k]) => this.redis.key('rl', k)), String(WINDOW_MS))) as number[];
    } catch (err) {
      if (Date.now() - this.lastWarn > 10_000) {
        this.lastWarn = Date.now();
        this.logger.warn(`rate limiting skipped, Redis unavailable: ${(err as Error).message}`);
      }
      return true;
    }
    const last = limits.length - 1;
    reply.header('x-ratelimit-limit', limits[last]![1]);
    reply.header('x-ratelimit-remaining', Math.max(0, limits[last]![1] - counts[last * 2]!));
    limits.forEach(([name, limit], i) => {
      if (counts[i * 2]! > limit) {
        const retryAfter = Math.max(1, Math.ceil(counts[i * 2 + 1]! / 1000));
        throw new QuotaExceededError(`Rate limit exceeded for ${name.split(':')[0]} (${limit} requests per minute); retry in ${retryAfter} s`, retryAfter);
      }
    });
    return true;
  }
}

/**
 * Per client IP, before authentication: floods of 401s and 403s count too.
 * The IP is the socket's unless TRUST_PROXY names the proxies in front.
 */
@Injectable()
export class IpRateLimitGuard extends FixedWindowGuard {
  constructor(@Inject(APP_CONFIG) config: AppConfig, redis: RedisService, reflector: Reflector) {
    super(config, redis, reflector);
  }

  protected limits(req: FastifyRequest): [string, number][] {
    return [[`ip:${req.ip}`, this.config.rateLimit.ipPerMinute]];
  }
}

/** Per principal (API key or user), after authentication. */
@Injectable()
export class RateLimitGuard extends FixedWindowGuard {
  constructor(@Inject(APP_CONFIG) config: AppConfig, redis: RedisService, reflector: Reflector) {
    super(config, redis, reflector);
  }

  protected limits(req: FastifyRequest & { user?: Principal }): [string, number][] {
    return req.user ? [[principalLabel(req.user), this.config.rateLimit.perMinute]] : [];
  }
}

import { ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DECIDE_RATE_LIMIT, NO_RATE_LIMIT } from '../common/decorators.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { QuotaExceededError } from '../common/errors.js';
import { RedisService } from '../infra/redis/redis.service.js';
import { principalLabel, type Principal } from '../common/principal.js';
import { LeasedCounters } from './rate-lease.js';

// A fixed one-minute window in one round trip: add this process's share (ARGV[2], see LeasedCounters) to the key,
// set its expiry when the share started it, return the count and ms left. One key per call: each counter is then
// its own key group (RedisService.key), so on a Redis Cluster the counters of different IPs and principals spread
// over the masters instead of sharing one slot.
const INCR_SCRIPT = `
local hits = redis.call('INCRBY', KEYS[1], ARGV[2])
if hits == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {hits, redis.call('PTTL', KEYS[1])}`;

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
  /** Counted locally in leased shares of the shared counters: no Redis round trip for most requests (rate-lease.ts). */
  private readonly counters: LeasedCounters;

  constructor(
    protected readonly config: AppConfig,
    private readonly redis: RedisService,
    private readonly reflector: Reflector,
  ) {
    this.counters = new LeasedCounters(async (key, amount) => {
      const [count, ttlMs] = (await this.redis.client.eval(INCR_SCRIPT, 1, this.redis.key(`rl:${key}`), String(WINDOW_MS), String(amount))) as [number, number];
      return { count, ttlMs };
    });
  }

  /**
   * The counter this guard increments for a request, [name, limit per minute], or null when none applies; `decide`
   * for routes marked @DecideRateLimit (their own counters and limit).
   */
  protected abstract limit(req: FastifyRequest & { user?: Principal }, decide: boolean): [string, number] | null;

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(NO_RATE_LIMIT, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const decide = this.reflector.getAllAndOverride<boolean>(DECIDE_RATE_LIMIT, [context.getHandler(), context.getClass()]) === true;
    const counter = this.limit(req, decide);
    if (!counter) return true;
    const [name, limit] = counter;
    let hits: number;
    let msLeft: number;
    try {
      ({ count: hits, ttlMs: msLeft } = await this.counters.hit(name, limit));
    } catch (err) {
      if (Date.now() - this.lastWarn > 10_000) {
        this.lastWarn = Date.now();
        this.logger.warn(`rate limiting skipped, Redis unavailable: ${(err as Error).message}`);
      }
      return true;
    }
    reply.header('x-ratelimit-limit', limit);
    reply.header('x-ratelimit-remaining', Math.max(0, limit - hits));
    if (hits > limit) {
      const retryAfter = Math.max(1, Math.ceil(msLeft / 1000));
      throw new QuotaExceededError(`Rate limit exceeded for ${name.split(':')[0]} (${limit} requests per minute); retry in ${retryAfter} s`, retryAfter);
    }
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

  protected limit(req: FastifyRequest, decide: boolean): [string, number] {
    return decide ? [`decide-ip:${req.ip}`, this.config.rateLimit.decidePerMinute] : [`ip:${req.ip}`, this.config.rateLimit.ipPerMinute];
  }
}

/** Per principal (API key or user), after authentication. */
@Injectable()
export class RateLimitGuard extends FixedWindowGuard {
  constructor(@Inject(APP_CONFIG) config: AppConfig, redis: RedisService, reflector: Reflector) {
    super(config, redis, reflector);
  }

  protected limit(req: FastifyRequest & { user?: Principal }, decide: boolean): [string, number] | null {
    if (!req.user) return null;
    return decide ? [`decide-${principalLabel(req.user)}`, this.config.rateLimit.decidePerMinute] : [principalLabel(req.user), this.config.rateLimit.perMinute];
  }
}

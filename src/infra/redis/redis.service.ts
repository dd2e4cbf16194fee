import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';

/** Longest one command waits for its reply (ms); Redis answers in well under a millisecond when healthy. */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;

/**
 * One shared ioredis connection for caches, rate limits and counters. Every
 * key goes through `key()` so several instances can share one Redis.
 * Commands fail fast (no offline queue) so that Redis being down degrades
 * features instead of hanging requests.
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  readonly client: Redis;
  readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = config.redis.prefix;
    this.client = new Redis(config.redis.url, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      // A Redis that accepts but never answers (paused, overloaded, half-open socket) would hang every
      // request behind the rate limiter; with a reply deadline the command fails and callers degrade.
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
    let lastLogged = 0;
    this.client.on('error', (err) => {
      if (Date.now() - lastLogged > 10_000) {
        lastLogged = Date.now();
        this.logger.warn(`redis: ${err.message}`);
      }
    });
  }

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  async onApplicationShutdown(): Promise<void> {
    this.client.disconnect();
  }
}

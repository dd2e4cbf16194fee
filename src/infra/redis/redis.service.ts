import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Redis, type Cluster } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { clusterClient, type ConnectionBehaviour } from './cluster-client.js';

/** Longest one command waits for its reply (ms); Redis answers in well under a millisecond when healthy. */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;

/**
 * Commands fail fast (no offline queue) so that Redis being down degrades features instead of hanging requests.
 * A Redis that accepts but never answers (paused, overloaded, half-open socket) would hang every request behind
 * the rate limiter; with a reply deadline the command fails and callers degrade.
 */
const BEHAVIOUR: ConnectionBehaviour = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  retryStrategy: (times) => Math.min(times * 200, 2_000),
};

/**
 * One shared ioredis connection for caches, rate limits and counters: a plain
 * connection, or an ioredis Cluster when REDIS_CLUSTER_NODES is set (the same
 * command API). Every key goes through `key()` so several instances can share
 * one Redis, and so that keys used together share a cluster slot.
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  readonly client: Redis | Cluster;
  readonly prefix: string;
  private readonly cluster: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = config.redis.prefix;
    this.cluster = config.redis.cluster !== null;
    this.client = config.redis.cluster ? clusterClient(config.redis.cluster, BEHAVIOUR) : new Redis(config.redis.url, { lazyConnect: false, ...BEHAVIOUR });
    let lastLogged = 0;
    this.client.on('error', (err: Error) => {
      if (Date.now() - lastLogged > 10_000) {
        lastLogged = Date.now();
        this.logger.warn(`redis: ${err.message}`);
      }
    });
  }

  /**
   * `<prefix>:<group>:<parts>`. Keys that one command, transaction or script uses together (MGET, MULTI, a
   * script with several KEYS) must share their `group`: on a cluster the group is the key's hash tag,
   * `<prefix>:{<group>}:<parts>`, so a group lives in one slot while different groups spread over the masters.
   * A key that is only ever used alone can be its own group. On a single node the key is as it always was.
   */
  key(group: string, ...parts: string[]): string {
    return [this.prefix, this.cluster ? `{${group}}` : group, ...parts].join(':');
  }

  async onApplicationShutdown(): Promise<void> {
    this.client.disconnect();
  }
}

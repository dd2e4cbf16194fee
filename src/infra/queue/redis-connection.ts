import type { RedisOptions } from 'bullmq';

/** BullMQ connection options from a redis:// URL. */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const u = new URL(url);
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db,
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** Longest a producer command waits for Redis's reply (ms); a healthy Redis answers a bulk add of 1,000 jobs in tens of ms. */
export const PRODUCER_COMMAND_TIMEOUT_MS = 5_000;

/**
 * Options of a producer (enqueueing) connection: it never queues commands while Redis is down,
 * retries a command at most once, and gives up on a reply after PRODUCER_COMMAND_TIMEOUT_MS, so an
 * HTTP request that enqueues answers 503 within seconds instead of hanging. It reconnects every
 * 2 s at most (BullMQ's default backs off to 20 s), so enqueueing resumes soon after Redis returns.
 * Workers keep their own blocking connections (maxRetriesPerRequest null, retrying for ever).
 */
export function producerConnectionOptions(url: string): RedisOptions {
  return {
    ...redisOptionsFromUrl(url),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: PRODUCER_COMMAND_TIMEOUT_MS,
    retryStrategy: (times: number) => Math.min(times * 200, 2_000),
  };
}

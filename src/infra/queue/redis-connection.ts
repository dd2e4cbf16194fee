import type { ConnectionOptions, RedisOptions } from 'bullmq';
import type { AppConfig } from '../../config/config.js';
import { clusterClient, type ConnectionBehaviour } from '../redis/cluster-client.js';

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
 * A producer (enqueueing) connection never queues commands while Redis is down, retries a command at most once,
 * and gives up on a reply after PRODUCER_COMMAND_TIMEOUT_MS, so an HTTP request that enqueues answers 503 within
 * seconds instead of hanging. It reconnects every 2 s at most (BullMQ's default backs off to 20 s), so enqueueing
 * resumes soon after Redis returns.
 */
const PRODUCER: ConnectionBehaviour = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  commandTimeout: PRODUCER_COMMAND_TIMEOUT_MS,
  retryStrategy: (times: number) => Math.min(times * 200, 2_000),
};

/** Options of a producer connection to a single Redis (see PRODUCER). */
export function producerConnectionOptions(url: string): RedisOptions {
  return { ...redisOptionsFromUrl(url), ...PRODUCER };
}

/**
 * The `connection` of a BullMQ Queue. Single node: options, and BullMQ owns the connection it opens. Cluster:
 * BullMQ needs a client, so it is an ioredis Cluster with the same behaviour, which BullMQ never closes: the
 * caller closes it (`closeIfCluster`) after the queue.
 */
export function producerConnection(redis: AppConfig['redis']): ConnectionOptions {
  return redis.cluster ? clusterClient(redis.cluster, PRODUCER) : producerConnectionOptions(redis.url);
}

/**
 * The `connection` of a BullMQ Worker: BullMQ's own reconnection, and commands retried for ever
 * (maxRetriesPerRequest null, which BullMQ requires of the blocking connection it duplicates from this one).
 * A cluster client is the caller's to close after the worker, as for producers.
 */
export function workerConnection(redis: AppConfig['redis']): ConnectionOptions {
  return redis.cluster ? clusterClient(redis.cluster, { maxRetriesPerRequest: null }) : { ...redisOptionsFromUrl(redis.url), maxRetriesPerRequest: null };
}

/** Disconnects a connection made by `producerConnection`/`workerConnection` when it is a client (a cluster); options own nothing. */
export function closeIfCluster(connection: ConnectionOptions): void {
  if (typeof (connection as { disconnect?: unknown }).disconnect === 'function') (connection as { disconnect(): void }).disconnect();
}

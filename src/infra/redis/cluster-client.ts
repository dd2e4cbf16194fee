import { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisClusterConfig } from '../../config/config.js';

/**
 * How a connection behaves when Redis is slow or away, in single-node terms (ioredis RedisOptions). The same
 * object configures a plain connection and, through `clusterClient`, a Redis Cluster, so a producer that fails
 * fast on one node fails just as fast on a cluster.
 */
export type ConnectionBehaviour = Pick<RedisOptions, 'enableOfflineQueue' | 'maxRetriesPerRequest' | 'connectTimeout' | 'commandTimeout'> & {
  retryStrategy?: (times: number) => number;
};

/** An ioredis Cluster of `cluster`'s seed nodes that behaves as `behaviour` says (see clusterOptions). */
export function clusterClient(cluster: RedisClusterConfig, behaviour: ConnectionBehaviour): Cluster {
  return new Cluster(cluster.nodes, clusterOptions(cluster, behaviour));
}

/**
 * `behaviour` in ioredis Cluster terms. ioredis splits the options: the offline queue and reconnection belong
 * to the Cluster object (the node connections it opens always queue until connected and never reconnect by
 * themselves; a refresh of the slot map finds the nodes again), while retries per command, connect and command
 * timeouts, credentials and TLS apply to each node connection (`redisOptions`).
 */
export function clusterOptions(cluster: RedisClusterConfig, behaviour: ConnectionBehaviour): ClusterOptions {
  const { enableOfflineQueue, retryStrategy, ...perNode } = behaviour;
  return {
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) } : {}),
    redisOptions: {
      ...perNode,
      ...(cluster.username ? { username: cluster.username } : {}),
      ...(cluster.password ? { password: cluster.password } : {}),
      ...(cluster.tls ? { tls: {} } : {}),
    },
  };
}

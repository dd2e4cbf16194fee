import { clusterOptions } from './cluster-client.js';

const CLUSTER = { nodes: [{ host: '10.0.0.1', port: 7000 }], username: 'app', password: 'secret', tls: true };

describe('clusterOptions', () => {
  it('keeps a fail-fast producer fail-fast: no offline queue on the Cluster, one retry and the timeouts on every node, reconnection every 2 s at most', () => {
    const o = clusterOptions(CLUSTER, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 5_000, retryStrategy: (n) => Math.min(n * 200, 2_000) });
    expect(o.enableOfflineQueue).toBe(false);
    expect(o.redisOptions).toEqual({ maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 5_000, username: 'app', password: 'secret', tls: {} });
    // A Cluster ignores a retryStrategy in redisOptions: it must become the cluster's own.
    expect(o.redisOptions).not.toHaveProperty('retryStrategy');
    expect([1, 5, 50].map((n) => (o.clusterRetryStrategy as (n: number) => number)(n))).toEqual([200, 1_000, 2_000]);
  });

  it("a worker's connection (maxRetriesPerRequest null, as BullMQ requires) keeps ioredis's cluster defaults for queueing and reconnection", () => {
    const o = clusterOptions({ nodes: CLUSTER.nodes, tls: false }, { maxRetriesPerRequest: null });
    expect(o).toEqual({ redisOptions: { maxRetriesPerRequest: null } });
  });
});

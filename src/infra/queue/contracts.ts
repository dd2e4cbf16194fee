/**
 * Every queue, every job name and every payload, in one place (langfuse's
 * pattern). Every payload carries orgId; job ids are deterministic so that
 * enqueueing the same work twice is harmless.
 *
 * Adding a job: add it to `QueueContracts` and to `QUEUE_JOBS`; the worker
 * refuses to boot until a processor handles it.
 */
export interface QueueContracts {
  system: {
    /** Liveness probe of the queue path itself; used by health checks and tests. */
    ping: { orgId: string; at: string };
  };
  metering: {
    /** Recomputes one (org, hour) bucket from raw events, then evaluates the org's budgets. Job id `rollup-<org>-<epoch hour>`. */
    rollup: { orgId: string; hour: string };
    /** Enqueues every dirty bucket (a job scheduler runs it every few seconds). orgId is "*": it spans orgs. */
    sweep: { orgId: '*' };
  };
  webhooks: {
    /** One signed POST of a recorded delivery; retried with exponential backoff. */
    deliver: { orgId: string; deliveryId: string };
    /** Re-queues pending deliveries untouched for a grace period (the outbox sweep; a job scheduler runs it). orgId is "*": it spans orgs. */
    requeue: { orgId: '*' };
  };
  digests: {
    /** Builds the org's digest for one scheduled slot (or `period` when given); one per org and period. */
    build: { orgId: string; period?: string };
  };
  insights: {
    /** Nightly fan-out: one refresh per org (job scheduler, 02:00 UTC). */
    nightly: { orgId: '*' };
    /** Recomputes and stores one org's plan and forecast snapshots. Job id insights-<org>-<day>. */
    refresh: { orgId: string };
  };
  maintenance: {
    /** Nightly fan-out (03:00 UTC) of one retention job per org that set a retention. */
    'retention-nightly': { orgId: '*' };
    /** Rolls up, then purges one org's raw events older than its retention. Job id retention-<org>-<day>. */
    retention: { orgId: string };
  };
  connectors: {
    /** Pulls one connector's billed cost and usage for the run's day range and replaces that range. Job id connector-sync-<org>-<run>. */
    sync: { orgId: string; connectorId: string; runId: string };
    /** Fan-out (job schedulers): `daily` re-reads every connector's recent days, `hourly` the days not yet final. orgId is "*". */
    schedule: { orgId: '*'; mode: 'daily' | 'hourly' };
  };
  anomalies: {
    /** Checks one org's daily spend per workload, customer and provider for anomalies (today and the 7 days before). Job ids anomalies-<org>-<10-minute slot>-a|b, anomalies-nightly-<org>-<day>. */
    detect: { orgId: string };
    /** Nightly fan-out (00:20 UTC, yesterday is complete): one detect per org. orgId is "*". */
    nightly: { orgId: '*' };
  };
  catalog: {
    /** Re-prices the events of one RepriceRun; resumable (it recomputes each page from the source rows). */
    reprice: { orgId: string; runId: string };
  };
}

export type QueueName = keyof QueueContracts;
export type JobName<Q extends QueueName> = keyof QueueContracts[Q] & string;
export type JobPayload<Q extends QueueName, J extends JobName<Q>> = QueueContracts[Q][J];

/** The runtime list of what `QueueContracts` declares (types vanish at run time). */
export const QUEUE_JOBS: { [Q in QueueName]: JobName<Q>[] } = {
  system: ['ping'],
  metering: ['rollup', 'sweep'],
  webhooks: ['deliver', 'requeue'],
  digests: ['build'],
  insights: ['nightly', 'refresh'],
  maintenance: ['retention-nightly', 'retention'],
  connectors: ['sync', 'schedule'],
  catalog: ['reprice'],
  anomalies: ['detect', 'nightly'],
};

/** Retry defaults per queue: exponential backoff, failures kept for inspection. */
export const QUEUE_DEFAULTS: { [Q in QueueName]: { attempts: number; backoffMs: number; concurrency: number } } = {
  system: { attempts: 3, backoffMs: 1_000, concurrency: 4 },
  metering: { attempts: 8, backoffMs: 500, concurrency: 4 },
  webhooks: { attempts: 8, backoffMs: 1_000, concurrency: 8 },
  digests: { attempts: 3, backoffMs: 5_000, concurrency: 1 },
  insights: { attempts: 3, backoffMs: 10_000, concurrency: 1 },
  maintenance: { attempts: 3, backoffMs: 30_000, concurrency: 1 },
  connectors: { attempts: 4, backoffMs: 30_000, concurrency: 2 },
  catalog: { attempts: 5, backoffMs: 2_000, concurrency: 1 },
  anomalies: { attempts: 3, backoffMs: 5_000, concurrency: 2 },
};

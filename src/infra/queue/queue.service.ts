import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { DependencyUnavailableError } from '../../common/unavailable.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { QUEUE_DEFAULTS, QUEUE_JOBS, type JobName, type JobPayload, type QueueName } from './contracts.js';
import { closeIfCluster, producerConnection } from './redis-connection.js';

/**
 * Longest a producer call waits for a queue whose connection has never been ready (ms): BullMQ
 * waits for Redis's first "ready" without any bound, so with Redis down since the queue was created
 * an enqueue (and the HTTP request behind it) would hang until Redis came back.
 */
export const QUEUE_READY_TIMEOUT_MS = 3_000;

/** Methods that manage the queue object itself; never bounded (shutdown must really close it). */
const UNBOUNDED = new Set<PropertyKey>(['close', 'disconnect', 'waitUntilReady']);

/**
 * The typed producer. Queues are created lazily; the connection does not
 * queue commands while Redis is down, so a producer fails fast and callers
 * that must not depend on Redis (ingest) can carry on.
 */
@Injectable()
export class QueueService implements OnApplicationShutdown {
  private readonly logger = new Logger(QueueService.name);
  private readonly queues = new Map<QueueName, Queue>();
  private readonly raw: Queue[] = [];
  private readonly connections: ConnectionOptions[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      const defaults = QUEUE_DEFAULTS[name];
      const connection = producerConnection(this.config.redis);
      this.connections.push(connection);
      const created = new Queue(name, {
        prefix: this.config.redis.queuePrefix,
        connection,
        defaultJobOptions: {
          attempts: defaults.attempts,
          backoff: { type: 'exponential', delay: defaults.backoffMs },
          removeOnComplete: { age: 3600, count: 1000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      });
      created.on('error', (err) => this.logger.warn(`queue ${name}: ${err.message}`));
      this.raw.push(created);
      q = boundUntilReady(created, name);
      this.queues.set(name, q);
    }
    return q;
  }

  /** Enqueues one job; `jobId` should be deterministic (e.g. `rollup:<org>:<hour>`). */
  async enqueue<Q extends QueueName, J extends JobName<Q>>(queue: Q, name: J, payload: JobPayload<Q, J>, opts: JobsOptions = {}) {
    return this.queue(queue).add(name, payload, opts);
  }

  allQueueNames(): QueueName[] {
    return Object.keys(QUEUE_JOBS) as QueueName[];
  }

  /** One org's jobs that failed after their retries (the last 500 failures per queue are scanned); every payload carries its orgId. */
  async failedJobsOf(orgId: string) {
    const failed = [];
    for (const name of this.allQueueNames()) {
      for (const job of await this.queue(name).getFailed(0, 500)) {
        if ((job.data as { orgId?: string })?.orgId !== orgId) continue;
        failed.push({ queue: name, id: job.id, name: job.name, attempts: job.attemptsMade, failedReason: job.failedReason, finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null, data: job.data });
      }
    }
    return failed;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.raw.map((q) => q.close().catch(() => undefined)));
    for (const c of this.connections) closeIfCluster(c);
  }
}

/**
 * The same queue, except that until its connection has been ready once, an asynchronous call
 * fails with DependencyUnavailableError('redis') after QUEUE_READY_TIMEOUT_MS instead of waiting
 * for Redis indefinitely. Once ready it is the plain queue: later outages already fail fast
 * (no offline queue, a command timeout). The call itself is not cancelled: if Redis comes back
 * it completes late, which deterministic job ids make harmless.
 */
function boundUntilReady(queue: Queue, name: string): Queue {
  let ready = false;
  const everReady = queue.waitUntilReady().then(
    () => {
      ready = true;
    },
    () => undefined,
  );
  return new Proxy(queue, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      if (ready || UNBOUNDED.has(prop)) return value.bind(target);
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (ready || !result || typeof (result as PromiseLike<unknown>).then !== 'function') return result;
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new DependencyUnavailableError('redis', `queue ${name}: Redis not reached within ${QUEUE_READY_TIMEOUT_MS} ms`)), QUEUE_READY_TIMEOUT_MS);
          timer.unref();
        });
        // Readiness disarms the deadline: from then on the call's own outcome counts.
        void everReady.then(() => clearTimeout(timer));
        return Promise.race([result as Promise<unknown>, deadline]).finally(() => clearTimeout(timer));
      };
    },
  });
}

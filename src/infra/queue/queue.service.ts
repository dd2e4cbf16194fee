import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue, type JobsOptions } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { QUEUE_DEFAULTS, QUEUE_JOBS, type JobName, type JobPayload, type QueueName } from './contracts.js';
import { redisOptionsFromUrl } from './redis-connection.js';

/**
 * The typed producer. Queues are created lazily; the connection does not
 * queue commands while Redis is down, so a producer fails fast and callers
 * that must not depend on Redis (ingest) can carry on.
 */
@Injectable()
export class QueueService implements OnApplicationShutdown {
  private readonly logger = new Logger(QueueService.name);
  private readonly queues = new Map<QueueName, Queue>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      const defaults = QUEUE_DEFAULTS[name];
      q = new Queue(name, {
        prefix: this.config.redis.prefix,
        connection: { ...redisOptionsFromUrl(this.config.redis.url), enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 },
        defaultJobOptions: {
          attempts: defaults.attempts,
          backoff: { type: 'exponential', delay: defaults.backoffMs },
          removeOnComplete: { age: 3600, count: 1000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      });
      q.on('error', (err) => this.logger.warn(`queue ${name}: ${err.message}`));
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
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { QUEUE_DEFAULTS, QUEUE_JOBS, type QueueName } from './contracts.js';
import { QUEUE_PROCESSOR, type JobHandlers } from './queue-processor.js';
import { closeIfCluster, workerConnection } from './redis-connection.js';
import { MetricsService } from '../metrics/metrics.service.js';

type AnyHandlers = Record<string, (payload: unknown, job: Job) => Promise<unknown>>;
type ScheduleOwner = { queue: QueueName; ensure: (signal: AbortSignal) => Promise<void> };

/** Checks that every job name of every queue has a handler; returns the problems (empty when complete). */
export function missingHandlers(found: Map<QueueName, AnyHandlers>): string[] {
  const problems: string[] = [];
  for (const [queue, jobs] of Object.entries(QUEUE_JOBS) as [QueueName, string[]][]) {
    const handlers = found.get(queue);
    if (!handlers) {
      problems.push(`queue "${queue}" has no @QueueProcessor`);
      continue;
    }
    for (const job of jobs) if (typeof handlers[job] !== 'function') problems.push(`job "${queue}/${job}" has no handler`);
  }
  return problems;
}

/**
 * Worker role only. Discovers the @QueueProcessor providers, refuses to boot
 * when a declared job has no handler, then consumes. On shutdown it stops
 * taking jobs and waits for running ones before the database goes away.
 */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WorkerService.name);
  private readonly workers: Worker[] = [];
  private readonly connections: ConnectionOptions[] = [];
  private readonly scheduleOwners: ScheduleOwner[] = [];
  private reconcileTimer?: NodeJS.Timeout;
  /** The pass in flight: a tick while one runs is skipped, so slow passes never pile up. */
  private reconciling: Promise<number> | null = null;
  private readonly stopping = new AbortController();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly discovery: DiscoveryService,
    private readonly metrics: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const found = new Map<QueueName, AnyHandlers>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as JobHandlers<QueueName> | undefined;
      if (!instance || !wrapper.metatype) continue;
      const queue = Reflect.getMetadata(QUEUE_PROCESSOR, wrapper.metatype) as QueueName | undefined;
      if (!queue) continue;
      if (found.has(queue)) throw new Error(`queue "${queue}" has two processors`);
      found.set(queue, instance.handlers() as unknown as AnyHandlers);
      if (typeof instance.ensureSchedules === 'function') this.scheduleOwners.push({ queue, ensure: (signal) => instance.ensureSchedules!(signal) });
    }
    const problems = missingHandlers(found);
    if (problems.length) throw new Error(`Worker cannot start: ${problems.join('; ')}`);

    for (const [queue, handlers] of found) {
      const connection = workerConnection(this.config.redis);
      this.connections.push(connection);
      const worker = new Worker(
        queue,
        async (job: Job) => {
          const handler = handlers[job.name];
          if (!handler) throw new Error(`no handler for job ${queue}/${job.name}`);
          return handler(job.data, job);
        },
        {
          prefix: this.config.redis.queuePrefix,
          connection,
          concurrency: QUEUE_DEFAULTS[queue].concurrency,
          // A job whose worker died (SIGKILL, lost host) is taken up again by another within about twice this.
          lockDuration: this.config.redis.queueLockMs,
          stalledInterval: this.config.redis.queueLockMs,
        },
      );
      const observe = (job: Job | undefined, outcome: string) => {
        if (job?.processedOn && job.finishedOn) this.metrics.jobDuration.observe({ queue, job: job.name, outcome }, (job.finishedOn - job.processedOn) / 1000);
      };
      worker.on('completed', (job) => observe(job, 'completed'));
      worker.on('failed', (job, err) => {
        observe(job, 'failed');
        this.logger.warn(`job ${queue}/${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`);
      });
      worker.on('error', (err) => this.logger.warn(`worker ${queue}: ${err.message}`));
      this.workers.push(worker);
    }
    this.logger.log(`consuming ${[...found.keys()].join(', ')}`);
    await this.reconcileSchedules();
    this.reconcileTimer = setInterval(() => {
      if (this.reconciling || this.stopping.signal.aborted) return;
      this.reconciling = this.reconcileSchedules().finally(() => (this.reconciling = null));
    }, this.config.redis.scheduleReconcileSeconds * 1_000);
    this.reconcileTimer.unref();
  }

  /**
   * Upserts every queue's job schedulers; one queue's failure (Redis down, a bad org schedule) is logged and
   * never stops the others. Returns how many queues succeeded.
   */
  async reconcileSchedules(): Promise<number> {
    let ok = 0;
    for (const owner of this.scheduleOwners) {
      if (this.stopping.signal.aborted) break;
      try {
        await owner.ensure(this.stopping.signal);
        ok++;
      } catch (e) {
        this.logger.warn(`schedules of ${owner.queue} not reconciled: ${(e as Error).message}`);
      }
    }
    return ok;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    // A pass in flight stops at its next step and is waited for, so it never uses queues being closed.
    this.stopping.abort();
    await this.reconciling?.catch(() => undefined);
    await Promise.all(this.workers.map((w) => w.close()));
    for (const c of this.connections) closeIfCluster(c);
  }
}

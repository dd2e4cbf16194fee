import { Injectable, Logger } from '@nestjs/common';
import { QueueService } from '../infra/queue/queue.service.js';
import { RollupRepository } from './rollup.repository.js';
import { withTimeout } from '../common/async.js';

/** How long a fresh event waits before its hour is recomputed: batches arriving together share one rollup. */
export const ROLLUP_DEBOUNCE_MS = 500;
/** Sweeper period; also the worst-case delay when Redis was down at ingest time. */
export const SWEEP_EVERY_MS = 3_000;
const ENQUEUE_TIMEOUT_MS = 1_000;

export function rollupJobId(orgId: string, hour: Date): string {
  return `rollup-${orgId}-${hour.getTime() / 3_600_000}`;
}


/**
 * Turns dirty (org, hour) buckets into rollup jobs. The outbox row is the
 * truth (written in the ingest transaction); Redis only carries the nudge, so
 * no event ever exists only in Redis: when Redis is down the sweeper enqueues
 * the bucket later.
 */
@Injectable()
export class MeteringService {
  private readonly logger = new Logger(MeteringService.name);

  constructor(
    private readonly queues: QueueService,
    private readonly rollups: RollupRepository,
  ) {}

  /**
   * Best effort, after the ingest commit, in one Redis round trip; the ingest
   * response does not wait for it. Failures are left to the sweeper.
   */
  nudge(orgId: string, hours: Date[]): void {
    const jobs = hours.map((h) => ({
      name: 'rollup' as const,
      data: { orgId, hour: h.toISOString() },
      opts: { jobId: rollupJobId(orgId, h), delay: ROLLUP_DEBOUNCE_MS, removeOnComplete: true },
    }));
    withTimeout(this.queues.queue('metering').addBulk(jobs), ENQUEUE_TIMEOUT_MS).catch((err) => {
      if (Date.now() - this.lastWarn > 10_000) {
        this.lastWarn = Date.now();
        this.logger.warn(`rollup enqueue deferred to the sweeper: ${(err as Error).message}`);
      }
    });
  }
  private lastWarn = 0;

  private async enqueueRollup(orgId: string, hour: Date, delay: number): Promise<void> {
    const queue = this.queues.queue('metering');
    const jobId = rollupJobId(orgId, hour);
    // A job kept in the failed state would block its id forever: retry it.
    const existing = await queue.getJob(jobId);
    if (existing && (await existing.isFailed())) await existing.remove();
    await this.queues.enqueue('metering', 'rollup', { orgId, hour: hour.toISOString() }, { jobId, delay, removeOnComplete: true });
  }

  /** Enqueues every bucket marked dirty more than a moment ago; returns how many. */
  async sweep(): Promise<number> {
    const dirty = await this.rollups.dirtyBuckets(new Date(Date.now() - ROLLUP_DEBOUNCE_MS), 1_000);
    for (const b of dirty) await this.enqueueRollup(b.orgId, b.hour, 0);
    return dirty.length;
  }

  async rollup(orgId: string, hourIso: string): Promise<{ rows: number }> {
    return this.rollups.recompute(orgId, new Date(hourIso));
  }

  /** Registers the periodic sweep (idempotent across replicas) and sweeps once now. */
  async startSweeper(): Promise<void> {
    await this.queues.queue('metering').upsertJobScheduler('metering-sweep', { every: SWEEP_EVERY_MS }, { name: 'sweep', data: { orgId: '*' }, opts: { removeOnComplete: true, removeOnFail: 100 } });
    await this.sweep();
  }
}

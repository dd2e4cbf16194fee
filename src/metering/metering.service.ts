import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { withTimeout } from '../common/async.js';
import { HOUR_MS } from '../domain/time.js';
import { MetricsService } from '../infra/metrics/metrics.service.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { OrgSettingsService } from '../orgs/org-settings.service.js';
import { RollupRepository } from './rollup.repository.js';

/** How long a fresh event waits before its hour is recomputed: batches arriving together share one rollup. */
export const ROLLUP_DEBOUNCE_MS = 500;
/** Sweeper period; also the worst-case delay when Redis was down at ingest time. */
export const SWEEP_EVERY_MS = 3_000;
/** A nudge this recent (well inside ROLLUP_DEBOUNCE_MS) means the hour's delayed job has not started yet. */
const NUDGE_REUSE_MS = ROLLUP_DEBOUNCE_MS / 2;
const ENQUEUE_TIMEOUT_MS = 1_000;

export function rollupJobId(orgId: string, hour: Date): string {
  return `rollup-${orgId}-${hour.getTime() / HOUR_MS}`;
}

/**
 * How current the rollups behind an answer are: `complete` when no hour of the org waited, else how many did
 * and `dataAsOf`, the start of the oldest one (figures are complete before it, possibly low after it).
 */
export interface DataFreshness {
  pendingRollupHours: number;
  complete: boolean;
  dataAsOf: string;
}

/** Runs after one (org, hour) rollup job; returns a count it wants reported with the job (alerts recorded). */
export type RolledUpHook = (orgId: string, hour: Date) => Promise<number>;

/**
 * Turns dirty (org, hour) buckets into rollup jobs. The outbox row is the
 * truth (written in the ingest transaction); Redis only carries the nudge, so
 * no event ever exists only in Redis: when Redis is down the sweeper enqueues
 * the bucket later.
 */
/** Hours of one org the sweeper enqueues per pass, so a large backfill or a poisoned org never starves the others. */
export const SWEEP_PER_ORG = 100;

@Injectable()
export class MeteringService implements OnModuleInit {
  private readonly logger = new Logger(MeteringService.name);
  private readonly rolledUpHooks: RolledUpHook[] = [];

  constructor(
    private readonly queues: QueueService,
    private readonly rollups: RollupRepository,
    private readonly settings: OrgSettingsService,
    private readonly metrics: MetricsService,
  ) {}

  /** The rollup-lag gauge, read at scrape time. */
  onModuleInit(): void {
    const rollups = this.rollups;
    new Gauge({
      name: 'crossover_rollup_lag_seconds',
      help: 'Age of the oldest dirty (org, hour) bucket waiting for its rollup, across orgs',
      registers: [this.metrics.registry],
      async collect() {
        const oldest = await rollups.oldestDirtyMark().catch(() => null);
        this.set(oldest ? (Date.now() - oldest.getTime()) / 1000 : 0);
      },
    });
  }

  /**
   * Best effort, after the ingest commit, in one Redis round trip; the ingest
   * response does not wait for it. Failures are left to the sweeper.
   */
  nudge(orgId: string, hours: Date[]): void {
    // An hour nudged moments ago has its job waiting out the debounce: that job starts after this batch's commit
    // (the caller nudges once committed) and so rolls this batch up too. Skipping the enqueue saves a Redis
    // script per request for a steady stream of single events; the sweeper remains the backstop.
    const now = Date.now();
    const fresh = hours.filter((h) => {
      const k = `${orgId} ${h.getTime()}`;
      if ((this.nudged.get(k) ?? 0) > now - NUDGE_REUSE_MS) return false;
      if (this.nudged.size >= 10_000) this.nudged.clear();
      this.nudged.set(k, now);
      return true;
    });
    if (!fresh.length) return;
    const jobs = fresh.map((h) => ({
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
  /** When this process last enqueued each `<org> <hour ms>`'s rollup (bounded: cleared past 10k entries). */
  private readonly nudged = new Map<string, number>();

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
    const dirty = await this.rollups.dirtyBuckets(new Date(Date.now() - ROLLUP_DEBOUNCE_MS), 1_000, SWEEP_PER_ORG);
    for (const b of dirty) await this.enqueueRollup(b.orgId, b.hour, 0);
    return dirty.length;
  }

  /**
   * What must follow each hour's rollup (budgets evaluate against the fresh figures); features register here
   * so metering depends on none of them.
   */
  onHourRolledUp(hook: RolledUpHook): void {
    this.rolledUpHooks.push(hook);
  }

  /**
   * One hour's rollup job, then its hooks; a failure is recorded on the dirty row (backoff) before it is
   * rethrown for the queue's retry (the recompute is idempotent, so a retry after a failed hook is harmless).
   */
  async rollup(orgId: string, hourIso: string): Promise<{ rows: number; followUps: number }> {
    const hour = new Date(hourIso);
    try {
      const res = await this.recompute(orgId, hour);
      let followUps = 0;
      for (const hook of this.rolledUpHooks) followUps += await hook(orgId, hour);
      return { rows: res.rows, followUps };
    } catch (e) {
      await this.rollups.recordFailure(orgId, hour, (e as Error).message).catch(() => undefined);
      throw e;
    }
  }

  private recompute(orgId: string, hour: Date) {
    return this.rollups.recompute(orgId, hour, (c) => this.settings.retainedFromWithin(c, orgId));
  }

  /**
   * Runs a retention purge of the org: `purge` gets a function that rolls up every dirty hour before a time
   * (behind the horizon included), and no other rollup of the org runs until it returns.
   */
  whilePurging<T>(orgId: string, purge: (rollUpBefore: (before: Date) => Promise<void>) => Promise<T>): Promise<T> {
    return this.rollups.whilePurging(orgId, () =>
      purge(async (before) => {
        for (const hour of await this.rollups.dirtyHours(orgId, before)) await this.rollups.recompute(orgId, hour, async () => null, true);
      }),
    );
  }

  /**
   * Brings the org's rollups up to date now, oldest hour first, for answers
   * that decide something (digests, plans) and must not read hours still
   * waiting for the worker. At most `maxHours` are rolled up here; what is
   * left (a large backfill) is reported, not hidden.
   */
  async catchUp(orgId: string, maxHours = 200): Promise<{ rolledUp: number; pendingHours: number }> {
    const dirty = await this.rollups.dirtyHours(orgId);
    const now = dirty.slice(0, maxHours);
    let rolledUp = 0;
    for (const hour of now) {
      // A poisoned hour stays pending (and backs off); the others are still brought up to date.
      try {
        await this.recompute(orgId, hour);
        rolledUp++;
      } catch (e) {
        await this.rollups.recordFailure(orgId, hour, (e as Error).message).catch(() => undefined);
      }
    }
    return { rolledUp, pendingHours: dirty.length - rolledUp };
  }

  /**
   * For an answer that decides something: catches the org's rollups up (at most `maxHours` now) and says how
   * current they are. `now` is the answer's clock.
   */
  async freshen(orgId: string, maxHours = 200, now = new Date()): Promise<DataFreshness> {
    const { pendingHours } = await this.catchUp(orgId, maxHours);
    if (pendingHours === 0) return { pendingRollupHours: 0, complete: true, dataAsOf: now.toISOString() };
    const oldest = (await this.rollups.dirtyHours(orgId))[0];
    return { pendingRollupHours: pendingHours, complete: false, dataAsOf: (oldest ?? now).toISOString() };
  }

  /** The org's rollup backlog: hours waiting and the age of the oldest mark. */
  async backlog(orgId: string): Promise<{ dirtyHours: number; oldestMarkedAt: string | null; lagSeconds: number }> {
    const dirty = await this.rollups.countDirty(orgId);
    return { dirtyHours: dirty.count, oldestMarkedAt: dirty.oldest?.toISOString() ?? null, lagSeconds: dirty.oldest ? Math.round((Date.now() - dirty.oldest.getTime()) / 1000) : 0 };
  }

  /** Registers the periodic sweep (idempotent across replicas). */
  async ensureSweepSchedule(): Promise<void> {
    await this.queues.queue('metering').upsertJobScheduler('metering-sweep', { every: SWEEP_EVERY_MS }, { name: 'sweep', data: { orgId: '*' }, opts: { removeOnComplete: true, removeOnFail: 100 } });
  }
}

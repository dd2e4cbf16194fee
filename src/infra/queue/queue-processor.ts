import { SetMetadata } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { JobName, JobPayload, QueueName } from './contracts.js';

export const QUEUE_PROCESSOR = Symbol('QUEUE_PROCESSOR');

/** Marks a provider as the processor of one queue; the worker discovers it at boot. */
export const QueueProcessor = (queue: QueueName) => SetMetadata(QUEUE_PROCESSOR, queue);

/** A processor maps each job name of its queue to a thin handler: parse, call one service, return. */
export interface JobHandlers<Q extends QueueName> {
  handlers(): { [J in JobName<Q>]: (payload: JobPayload<Q, J>, job: Job) => Promise<unknown> };
  /**
   * Upserts this queue's job schedulers (idempotent). The worker calls it at boot and again every
   * SCHEDULE_RECONCILE_SECONDS, so schedulers lost with Redis (a flush, a failover to an empty replica)
   * come back without a restart. `signal` is aborted when the worker stops: a long pass ends early.
   */
  ensureSchedules?(signal: AbortSignal): Promise<void>;
}

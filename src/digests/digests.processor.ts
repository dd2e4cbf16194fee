import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { QueueProcessor, type JobHandlers } from '../infra/queue/queue-processor.js';
import { DigestsService } from './digests.service.js';

/** The scheduled time of a job scheduler's iteration: its id ends with it (repeat:<scheduler>:<millis>), else timestamp + delay. */
function slotMillis(job: Job): number {
  const m = /:(\d{12,})$/.exec(job.id ?? '');
  return m ? Number(m[1]) : job.timestamp + (job.delay ?? 0);
}

@Injectable()
@QueueProcessor('digests')
export class DigestsProcessor implements JobHandlers<'digests'> {
  constructor(private readonly digests: DigestsService) {}

  async ensureSchedules(signal: AbortSignal): Promise<void> {
    await this.digests.registerAll(signal);
  }

  handlers() {
    return {
      // The period is the scheduler's slot, so every replica and retry of that slot names the same digest.
      build: async (p: { orgId: string; period?: string }, job: Job) => {
        const slot = p.period ?? new Date(Math.floor(slotMillis(job) / 1_000) * 1_000).toISOString();
        const d = await this.digests.build(p.orgId, slot);
        return { created: !!d, period: slot };
      },
    };
  }
}

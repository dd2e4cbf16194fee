import { Injectable } from '@nestjs/common';
import { QueueProcessor, type JobHandlers } from '../infra/queue/queue-processor.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { OrgsService } from '../orgs/orgs.service.js';
import { AnomaliesService } from './anomalies.service.js';

/** 00:20 UTC: yesterday is complete and its last hours have had 20 minutes to be rolled up. */
export const NIGHTLY_ANOMALIES_CRON = '20 0 * * *';

/**
 * Anomaly checks: `detect` after rollups (scheduled by AnomaliesService.scheduleCheck) and from the nightly
 * fan-out, which also reaches orgs that stopped sending usage (a `below` anomaly has no rollup to follow).
 */
@Injectable()
@QueueProcessor('anomalies')
export class AnomaliesProcessor implements JobHandlers<'anomalies'> {
  constructor(
    private readonly queues: QueueService,
    private readonly orgs: OrgsService,
    private readonly anomalies: AnomaliesService,
  ) {}

  async ensureSchedules(): Promise<void> {
    await this.queues
      .queue('anomalies')
      .upsertJobScheduler('anomalies-nightly', { pattern: NIGHTLY_ANOMALIES_CRON, tz: 'UTC' }, { name: 'nightly', data: { orgId: '*' }, opts: { removeOnComplete: 10, removeOnFail: 50 } });
  }

  handlers() {
    return {
      nightly: async () => {
        const orgs = await this.orgs.schedules();
        const day = new Date().toISOString().slice(0, 10);
        await this.queues
          .queue('anomalies')
          .addBulk(orgs.map((o) => ({ name: 'detect', data: { orgId: o.orgId }, opts: { jobId: `anomalies-nightly-${o.orgId}-${day}`, removeOnComplete: true } })));
        return { orgs: orgs.length };
      },
      detect: async (p: { orgId: string }) => ({ recorded: await this.anomalies.detect(p.orgId) }),
    };
  }
}

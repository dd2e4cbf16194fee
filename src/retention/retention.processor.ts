import { Injectable } from '@nestjs/common';
import { QueueService } from '../infra/queue/queue.service.js';
import { QueueProcessor, type JobHandlers } from '../infra/queue/queue-processor.js';
import { RetentionService } from './retention.service.js';

@Injectable()
@QueueProcessor('maintenance')
export class MaintenanceProcessor implements JobHandlers<'maintenance'> {
  constructor(
    private readonly queues: QueueService,
    private readonly retention: RetentionService,
  ) {}

  async ensureSchedules(): Promise<void> {
    await this.queues
      .queue('maintenance')
      .upsertJobScheduler('retention-nightly', { pattern: '0 3 * * *', tz: 'UTC' }, { name: 'retention-nightly', data: { orgId: '*' }, opts: { removeOnComplete: 10, removeOnFail: 50 } });
  }

  handlers() {
    return {
      'retention-nightly': async () => {
        const orgs = await this.retention.orgsWithRetention();
        const day = new Date().toISOString().slice(0, 10);
        await this.queues.queue('maintenance').addBulk(orgs.map((o) => ({ name: 'retention', data: { orgId: o.orgId }, opts: { jobId: `retention-${o.orgId}-${day}`, removeOnComplete: true } })));
        return { orgs: orgs.length };
      },
      retention: (p: { orgId: string }) => this.retention.purgeBySetting(p.orgId),
    };
  }
}

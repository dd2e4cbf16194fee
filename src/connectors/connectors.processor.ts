import { Injectable } from '@nestjs/common';
import { QueueService } from '../infra/queue/queue.service.js';
import { QueueProcessor, type JobHandlers } from '../infra/queue/queue-processor.js';
import { ConnectorSyncService } from './connector-sync.service.js';
import { ConnectorsService } from './connectors.service.js';

/** Job scheduler ids (one per mode); upserted at every worker boot and schedule reconciliation. */
export const CONNECTOR_SCHEDULERS = {
  /** 04:40 UTC: re-reads the last three days with daily buckets; those days become final. */
  daily: { id: 'connectors-daily', pattern: '40 4 * * *' },
  /** Minute 17 of every hour: the days not yet final, today included, with hourly buckets. */
  hourly: { id: 'connectors-hourly', pattern: '17 * * * *' },
} as const;

@Injectable()
@QueueProcessor('connectors')
export class ConnectorsProcessor implements JobHandlers<'connectors'> {
  constructor(
    private readonly queues: QueueService,
    private readonly connectors: ConnectorsService,
    private readonly sync: ConnectorSyncService,
  ) {}

  async ensureSchedules(): Promise<void> {
    const q = this.queues.queue('connectors');
    for (const mode of ['daily', 'hourly'] as const) {
      const s = CONNECTOR_SCHEDULERS[mode];
      await q.upsertJobScheduler(s.id, { pattern: s.pattern, tz: 'UTC' }, { name: 'schedule', data: { orgId: '*', mode }, opts: { removeOnComplete: 10, removeOnFail: 50 } });
    }
  }

  handlers() {
    return {
      sync: (p: { orgId: string; connectorId: string; runId: string }) => this.sync.run(p.orgId, p.connectorId, p.runId),
      schedule: (p: { orgId: '*'; mode: 'daily' | 'hourly' }) => this.connectors.schedule(p.mode),
    };
  }
}

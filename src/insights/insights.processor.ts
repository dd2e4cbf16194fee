import { Injectable } from '@nestjs/common';
import { toJson } from '../common/json.js';
import { OrgsService } from '../orgs/orgs.service.js';
import { EconomicsService } from '../economics/economics.service.js';
import { OrgSettingsService } from '../orgs/org-settings.service.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { QueueProcessor, type JobHandlers } from '../infra/queue/queue-processor.js';
import { PlannerService } from '../workloads/planner.service.js';

/** Nightly at 02:00 UTC: fan out one refresh per org. */
export const NIGHTLY_CRON = '0 2 * * *';

/**
 * Keeps the expensive answers precomputed so reads stay fast: every night
 * each org's plan (which prices every workload's options) and forecast are
 * recomputed and stored as snapshots with their "as of" time.
 */
@Injectable()
@QueueProcessor('insights')
export class InsightsProcessor implements JobHandlers<'insights'> {
  constructor(
    private readonly queues: QueueService,
    private readonly orgs: OrgsService,
    private readonly planner: PlannerService,
    private readonly economics: EconomicsService,
    private readonly settings: OrgSettingsService,
  ) {}

  async ensureSchedules(): Promise<void> {
    await this.queues
      .queue('insights')
      .upsertJobScheduler('insights-nightly', { pattern: NIGHTLY_CRON, tz: 'UTC' }, { name: 'nightly', data: { orgId: '*' }, opts: { removeOnComplete: 10, removeOnFail: 50 } });
  }

  handlers() {
    return {
      nightly: async () => {
        const orgs = await this.orgs.schedules();
        const day = new Date().toISOString().slice(0, 10);
        await this.queues.queue('insights').addBulk(orgs.map((o) => ({ name: 'refresh', data: { orgId: o.orgId }, opts: { jobId: `insights-${o.orgId}-${day}`, removeOnComplete: true } })));
        return { orgs: orgs.length };
      },
      refresh: async (p: { orgId: string }) => {
        const plan = await this.planner.plan(p.orgId, true);
        await this.settings.saveSnapshot(p.orgId, 'forecast', 'org', toJson(await this.economics.forecast(p.orgId, 6, 'workload')));
        return { planAsOf: plan.asOf };
      },
    };
  }
}

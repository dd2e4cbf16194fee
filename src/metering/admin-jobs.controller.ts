import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { RollupRepository } from './rollup.repository.js';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('v1/admin')
export class AdminJobsController {
  constructor(
    private readonly queues: QueueService,
    private readonly rollups: RollupRepository,
  ) {}

  @Get('jobs')
  @Requires('admin')
  @ApiOperation({ summary: "Your organisation's background jobs that failed after their retries, and the rollup backlog" })
  async jobs(@CurrentPrincipal() p: Principal) {
    const failed = [];
    for (const name of this.queues.allQueueNames()) {
      for (const job of await this.queues.queue(name).getFailed(0, 500)) {
        if ((job.data as { orgId?: string })?.orgId !== p.orgId) continue;
        failed.push({ queue: name, id: job.id, name: job.name, attempts: job.attemptsMade, failedReason: job.failedReason, finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null, data: job.data });
      }
    }
    const dirty = await this.rollups.countDirty(p.orgId);
    return {
      failed,
      rollupBacklog: { dirtyHours: dirty.count, oldestMarkedAt: dirty.oldest?.toISOString() ?? null, lagSeconds: dirty.oldest ? Math.round((Date.now() - dirty.oldest.getTime()) / 1000) : 0 },
    };
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminJobsDto } from './admin-jobs.responses.js';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { MeteringService } from './metering.service.js';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('v1/admin')
export class AdminJobsController {
  constructor(
    private readonly queues: QueueService,
    private readonly metering: MeteringService,
  ) {}

  @Get('jobs')
  @Requires('admin')
  @ApiOkResponse({ type: AdminJobsDto })
  @ApiOperation({ summary: "Your organisation's failed background jobs and rollup backlog", description: 'Jobs that failed after their retries (the last 500 failures of each queue are scanned), and the hours waiting for their rollup' })
  async jobs(@CurrentPrincipal() p: Principal) {
    const [failed, rollupBacklog] = await Promise.all([this.queues.failedJobsOf(p.orgId), this.metering.backlog(p.orgId)]);
    return { failed, rollupBacklog };
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ summary: "Your organisation's background jobs that failed after their retries, and the rollup backlog" })
  async jobs(@CurrentPrincipal() p: Principal) {
    const [failed, rollupBacklog] = await Promise.all([this.queues.failedJobsOf(p.orgId), this.metering.backlog(p.orgId)]);
    return { failed, rollupBacklog };
  }
}

import { Controller, Get, Logger, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { NoRateLimit, Public } from '../common/decorators.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import { RedisService } from '../infra/redis/redis.service.js';
import { LifecycleService } from './lifecycle.service.js';
import { withTimeout } from '../common/async.js';


@ApiTags('health')
@Public()
@NoRateLimit()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly prisma: PrismaService,
    private readonly redis: RedisService,
    private readonly lifecycle: LifecycleService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: Postgres and Redis reachable, and not shutting down' })
  ready() {
    if (this.lifecycle.draining) throw new ServiceUnavailableException({ code: 'draining', message: 'Shutting down' });
    return this.health.check([
      async () => {
        const s = this.indicators.check('postgres');
        try {
          await withTimeout(this.prisma.ping(), 2_000);
          return s.up();
        } catch (e) {
          // The cause goes to the log; the public answer names the part, not its error text (hosts, users, versions).
          this.logger.warn(`readiness: postgres unreachable: ${(e as Error).message}`);
          return s.down({ message: 'unreachable' });
        }
      },
      async () => {
        const s = this.indicators.check('redis');
        try {
          await withTimeout(this.redis.client.ping(), 2_000);
          return s.up();
        } catch (e) {
          this.logger.warn(`readiness: redis unreachable: ${(e as Error).message}`);
          return s.down({ message: 'unreachable' });
        }
      },
    ]);
  }
}

import { Controller, Get, Logger, ServiceUnavailableException } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/api-contract.js';
import { HealthIndicatorDto, LivenessDto, ReadinessDto } from './health.responses.js';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
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
  @ApiOperation({ summary: 'Liveness: the process answers', description: 'Public and never rate limited (a 429 would get a healthy pod restarted).' })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('ready')
  // Terminus' own OpenAPI schemas describe its raw error body, which the error filter never sends: ours below.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiExtraModels(HealthIndicatorDto)
  @ApiOperation({ summary: 'Readiness: Postgres and Redis reachable, and not shutting down' })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiResponse({
    status: 503,
    type: ErrorResponseDto,
    description: 'Not ready: shutting down (code `draining`) or a dependency is down (code `unavailable`, `details` gives each dependency\'s status)',
  })
  async ready(): Promise<ReadinessDto> {
    if (this.lifecycle.draining) throw new ServiceUnavailableException({ code: 'draining', message: 'Shutting down' });
    let result: HealthCheckResult;
    try {
      result = await this.check();
    } catch (e) {
      // Terminus answers its own body; the error filter keeps `details` but would call it `internal`.
      const res = e instanceof ServiceUnavailableException ? (e.getResponse() as { details?: unknown }) : null;
      if (!res?.details) throw e;
      throw new ServiceUnavailableException({ code: 'unavailable', message: 'Not ready: a dependency is unreachable', details: res.details });
    }
    return result as ReadinessDto;
  }

  private check(): Promise<HealthCheckResult> {
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

import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ApiKeysController } from './api-keys/api-keys.controller.js';
import { ApiKeysRepository } from './api-keys/api-keys.repository.js';
import { ApiKeysService } from './api-keys/api-keys.service.js';
import { ApiKeyStrategy } from './auth/api-key.strategy.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthService } from './auth/auth.service.js';
import { AuthnGuard, PermissionGuard } from './auth/guards.js';
import { JwtStrategy } from './auth/jwt.strategy.js';
import { RateLimitGuard } from './auth/rate-limit.js';
import { AllErrorsFilter } from './common/error.filter.js';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import { HealthModule } from './health/health.module.js';
import { PrismaModule } from './infra/prisma/prisma.module.js';
import { QueueModule } from './infra/queue/queue.module.js';
import { WorkerService } from './infra/queue/worker.service.js';
import { RedisModule } from './infra/redis/redis.module.js';
import { MembersController } from './members/members.controller.js';
import { MembersService } from './members/members.service.js';
import { OrgsRepository } from './orgs/orgs.repository.js';
import { ProjectsRepository } from './orgs/projects.repository.js';
import { SystemProcessor } from './health/system.processor.js';

/** Infrastructure every role needs: config, database, Redis, the queue producer, health. */
@Module({})
class CoreModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      imports: [PrismaModule, RedisModule, QueueModule, HealthModule],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}

const repositories = [OrgsRepository, ProjectsRepository, ApiKeysRepository];

/** HTTP: controllers, authentication, authorisation and rate limits (global guards run in this order). */
function apiParts(config: AppConfig): Required<Pick<ModuleMetadata, 'imports' | 'controllers' | 'providers'>> {
  return {
    imports: [
      PassportModule,
      JwtModule.register({ secret: config.auth.jwtSecret, signOptions: { algorithm: 'HS256' } }),
    ],
    controllers: [AuthController, ApiKeysController, MembersController],
    providers: [
      AuthService,
      ApiKeysService,
      MembersService,
      ApiKeyStrategy,
      JwtStrategy,
      { provide: APP_GUARD, useClass: AuthnGuard },
      { provide: APP_GUARD, useClass: PermissionGuard },
      { provide: APP_GUARD, useClass: RateLimitGuard },
      { provide: APP_FILTER, useClass: AllErrorsFilter },
    ],
  };
}

/** Worker: queue processors (discovered at boot) and schedulers; no HTTP but health. */
function workerParts(): Required<Pick<ModuleMetadata, 'imports' | 'providers'>> {
  return { imports: [DiscoveryModule], providers: [WorkerService, SystemProcessor] };
}

@Module({})
export class AppModule {
  static forRole(config: AppConfig): DynamicModule {
    const api = config.role !== 'worker' ? apiParts(config) : { imports: [], controllers: [], providers: [{ provide: APP_FILTER, useClass: AllErrorsFilter }] };
    const worker = config.role !== 'api' ? workerParts() : { imports: [], providers: [] };
    return {
      module: AppModule,
      imports: [CoreModule.forConfig(config), ...api.imports, ...worker.imports],
      controllers: api.controllers,
      providers: [...repositories, ...api.providers, ...worker.providers],
    };
  }
}

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
import { CatalogController } from './catalog/catalog.controller.js';
import { CatalogRepository } from './catalog/catalog.repository.js';
import { CatalogService } from './catalog/catalog.service.js';
import { EventPricer } from './ingestion/event-pricer.js';
import { EventsRepository, RepriceRepository } from './ingestion/events.repository.js';
import { IngestionController } from './ingestion/ingestion.controller.js';
import { IngestionService } from './ingestion/ingestion.service.js';
import { CatalogProcessor } from './ingestion/reprice.processor.js';
import { RepriceService } from './ingestion/reprice.service.js';
import { AdminJobsController } from './metering/admin-jobs.controller.js';
import { MeteringProcessor } from './metering/metering.processor.js';
import { MeteringService } from './metering/metering.service.js';
import { RollupRepository } from './metering/rollup.repository.js';
import { BudgetsController } from './budgets/budgets.controller.js';
import { BudgetsRepository } from './budgets/budgets.repository.js';
import { BudgetsService } from './budgets/budgets.service.js';
import { WebhooksController } from './webhooks/webhooks.controller.js';
import { WebhooksProcessor } from './webhooks/webhooks.processor.js';
import { WebhooksRepository } from './webhooks/webhooks.repository.js';
import { WebhooksService } from './webhooks/webhooks.service.js';
import { ReportsController } from './reports/reports.controller.js';
import { ReportsRepository } from './reports/reports.repository.js';
import { ReportsService } from './reports/reports.service.js';
import { EconomicsController } from './economics/economics.controller.js';
import { EconomicsService } from './economics/economics.service.js';
import { SettingsRepository } from './economics/settings.repository.js';
import { PlannerService } from './workloads/planner.service.js';
import { WorkloadsController } from './workloads/workloads.controller.js';
import { WorkloadsRepository } from './workloads/workloads.repository.js';
import { DigestsController } from './digests/digests.controller.js';
import { DigestsProcessor } from './digests/digests.processor.js';
import { DigestsRepository } from './digests/digests.repository.js';
import { DigestsService } from './digests/digests.service.js';
import { InsightsProcessor } from './insights/insights.processor.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { DashboardController } from './dashboard/dashboard.controller.js';
import { MaintenanceProcessor } from './retention/retention.processor.js';
import { RetentionController } from './retention/retention.controller.js';
import { RetentionService } from './retention/retention.service.js';
import { MetricsService } from './metrics/metrics.service.js';

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

const repositories = [
  OrgsRepository,
  ProjectsRepository,
  ApiKeysRepository,
  CatalogRepository,
  EventsRepository,
  RepriceRepository,
  RollupRepository,
  BudgetsRepository,
  WebhooksRepository,
  ReportsRepository,
  SettingsRepository,
  WorkloadsRepository,
  DigestsRepository,
];
/** Services both roles use (the worker re-prices with the same pricer the API ingests with). */
const sharedServices = [CatalogService, EventPricer, RepriceService, MeteringService, BudgetsService, WebhooksService, ReportsService, EconomicsService, PlannerService, DigestsService, MetricsService, RetentionService];

/** HTTP: controllers, authentication, authorisation and rate limits (global guards run in this order). */
function apiParts(config: AppConfig): Required<Pick<ModuleMetadata, 'imports' | 'controllers' | 'providers'>> {
  return {
    imports: [
      PassportModule,
      JwtModule.register({ secret: config.auth.jwtSecret, signOptions: { algorithm: 'HS256' } }),
    ],
    controllers: [
      AuthController,
      ApiKeysController,
      MembersController,
      IngestionController,
      CatalogController,
      ReportsController,
      BudgetsController,
      WebhooksController,
      AdminJobsController,
      EconomicsController,
      WorkloadsController,
      DigestsController,
      MetricsController,
      DashboardController,
      RetentionController,
    ],
    providers: [
      AuthService,
      ApiKeysService,
      MembersService,
      IngestionService,
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
  return { imports: [DiscoveryModule], providers: [WorkerService, SystemProcessor, CatalogProcessor, MeteringProcessor, WebhooksProcessor, DigestsProcessor, InsightsProcessor, MaintenanceProcessor] };
}

@Module({})
export class AppModule {
  static forRole(config: AppConfig): DynamicModule {
    const api = config.role !== 'worker' ? apiParts(config) : { imports: [], controllers: [MetricsController], providers: [{ provide: APP_FILTER, useClass: AllErrorsFilter }] };
    const worker = config.role !== 'api' ? workerParts() : { imports: [], providers: [] };
    return {
      module: AppModule,
      imports: [CoreModule.forConfig(config), ...api.imports, ...worker.imports],
      controllers: api.controllers,
      providers: [...repositories, ...sharedServices, ...api.providers, ...worker.providers],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AnomaliesApiModule, AnomaliesWorkerModule } from './anomalies/anomalies.module.js';
import { ApiKeysApiModule } from './api-keys/api-keys.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BudgetsApiModule, BudgetsWorkerModule } from './budgets/budgets.module.js';
import { CatalogApiModule, CatalogModule } from './catalog/catalog.module.js';
import { AllErrorsFilter } from './common/error.filter.js';
import { CsvExports } from './common/csv-exports.js';
import { ApiKeyCache } from './common/api-key-cache.js';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import { ConnectorsApiModule, ConnectorsWorkerModule } from './connectors/connectors.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { DigestsApiModule, DigestsWorkerModule } from './digests/digests.module.js';
import { EconomicsApiModule } from './economics/economics.module.js';
import { ExportsApiModule } from './exports/exports.module.js';
import { HealthModule } from './health/health.module.js';
import { IngestionApiModule } from './ingestion/ingestion.module.js';
import { MetricsModule } from './infra/metrics/metrics.module.js';
import { PrismaModule } from './infra/prisma/prisma.module.js';
import { QueueWorkerModule } from './infra/queue/queue-worker.module.js';
import { QueueModule } from './infra/queue/queue.module.js';
import { RedisModule } from './infra/redis/redis.module.js';
import { InsightsWorkerModule } from './insights/insights.module.js';
import { MeteringApiModule, MeteringModule, MeteringWorkerModule } from './metering/metering.module.js';
import { OrgsApiModule } from './orgs/orgs.module.js';
import { ReconciliationApiModule, ReconciliationWorkerModule } from './reconciliation/reconciliation.module.js';
import { ReportsApiModule } from './reports/reports.module.js';
import { RepriceApiModule, RepriceWorkerModule } from './reprice/reprice.module.js';
import { RetentionApiModule, RetentionWorkerModule } from './retention/retention.module.js';
import { WebhooksApiModule, WebhooksWorkerModule } from './webhooks/webhooks.module.js';
import { WorkloadsApiModule } from './workloads/workloads.module.js';

/** Infrastructure every role needs: config, database, Redis, the queue producer, metrics, health; the export slots every CSV export shares; the API-key cache. */
@Module({})
class CoreModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      imports: [PrismaModule, RedisModule, QueueModule, MetricsModule, HealthModule],
      providers: [{ provide: APP_CONFIG, useValue: config }, { provide: APP_FILTER, useClass: AllErrorsFilter }, CsvExports, ApiKeyCache],
      exports: [APP_CONFIG, CsvExports, ApiKeyCache],
    };
  }
}

/** HTTP routes of every feature, behind the auth module's global guards. */
const apiModules = (config: AppConfig) => [
  AuthModule.forConfig(config),
  OrgsApiModule,
  ApiKeysApiModule,
  IngestionApiModule,
  CatalogApiModule,
  RepriceApiModule,
  MeteringApiModule,
  ReportsApiModule,
  BudgetsApiModule,
  AnomaliesApiModule,
  WebhooksApiModule,
  EconomicsApiModule,
  WorkloadsApiModule,
  DigestsApiModule,
  RetentionApiModule,
  ConnectorsApiModule,
  ReconciliationApiModule,
  ExportsApiModule,
  DashboardModule,
];

/** Queue processors and schedulers; no HTTP but health and metrics. */
const workerModules = [QueueWorkerModule, MeteringWorkerModule, BudgetsWorkerModule, AnomaliesWorkerModule, RepriceWorkerModule, WebhooksWorkerModule, DigestsWorkerModule, InsightsWorkerModule, RetentionWorkerModule, ConnectorsWorkerModule, ReconciliationWorkerModule];

/**
 * The root composes feature modules by role. Each feature module exports
 * only what other features may use; `<feature>.module.ts` shows it. The
 * catalog (seeded at boot) and metering (rollup-lag gauge) load in every role.
 */
@Module({})
export class AppModule {
  static forRole(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forConfig(config),
        CatalogModule,
        MeteringModule,
        ...(config.role !== 'worker' ? apiModules(config) : []),
        ...(config.role !== 'api' ? workerModules : []),
      ],
    };
  }
}

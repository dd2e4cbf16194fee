import { Module } from '@nestjs/common';
import { BudgetsModule } from '../budgets/budgets.module.js';
import { MeteringModule } from '../metering/metering.module.js';
import { OrgsModule } from '../orgs/orgs.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { AlertsService } from './alerts.service.js';
import { AnomaliesController } from './anomalies.controller.js';
import { AnomaliesProcessor } from './anomalies.processor.js';
import { AnomaliesRepository } from './anomalies.repository.js';
import { AnomaliesService } from './anomalies.service.js';

/** Spend anomalies per workload, customer and provider: detection after rollups and nightly, `spend.anomaly` webhooks. */
@Module({ imports: [MeteringModule, WebhooksModule], providers: [AnomaliesRepository, AnomaliesService], exports: [AnomaliesService] })
export class AnomaliesModule {}

/** The worker role: loading AnomaliesService registers the after-rollup hook; the processor runs checks and the nightly pass. */
@Module({ imports: [AnomaliesModule, OrgsModule], providers: [AnomaliesProcessor] })
export class AnomaliesWorkerModule {}

/** GET /v1/anomalies and GET /v1/alerts (budget alerts and anomalies in one list). */
@Module({ imports: [AnomaliesModule, BudgetsModule], providers: [AlertsService], controllers: [AnomaliesController] })
export class AnomaliesApiModule {}

import { Module } from '@nestjs/common';
import { AnomaliesModule } from '../anomalies/anomalies.module.js';
import { BudgetsModule } from '../budgets/budgets.module.js';
import { EconomicsModule } from '../economics/economics.module.js';
import { MeteringModule } from '../metering/metering.module.js';
import { OrgsModule } from '../orgs/orgs.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { WorkloadsModule } from '../workloads/workloads.module.js';
import { DigestsController } from './digests.controller.js';
import { DigestsProcessor } from './digests.processor.js';
import { DigestsRepository } from './digests.repository.js';
import { DigestsService } from './digests.service.js';

/** Scheduled migration-readiness digests: built, stored once per period, delivered as digest.created. */
@Module({
  imports: [AnomaliesModule, OrgsModule, ReportsModule, EconomicsModule, BudgetsModule, WorkloadsModule, WebhooksModule, MeteringModule],
  providers: [DigestsRepository, DigestsService],
  exports: [DigestsService],
})
export class DigestsModule {}

@Module({ imports: [DigestsModule], controllers: [DigestsController] })
export class DigestsApiModule {}

@Module({ imports: [DigestsModule], providers: [DigestsProcessor] })
export class DigestsWorkerModule {}

import { Module } from '@nestjs/common';
import { MeteringModule } from '../metering/metering.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { BudgetsController } from './budgets.controller.js';
import { BudgetsRepository } from './budgets.repository.js';
import { BudgetsService } from './budgets.service.js';

/** Monthly budgets, their evaluation (after every hour's rollup) and alerts (delivered as webhooks). */
@Module({ imports: [ReportsModule, WebhooksModule, MeteringModule], providers: [BudgetsRepository, BudgetsService], exports: [BudgetsService] })
export class BudgetsModule {}

/** The worker role evaluates budgets after each rollup job: loading BudgetsService registers that hook. */
@Module({ imports: [BudgetsModule] })
export class BudgetsWorkerModule {}

@Module({ imports: [BudgetsModule], controllers: [BudgetsController] })
export class BudgetsApiModule {}

import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { BudgetsController } from './budgets.controller.js';
import { BudgetsRepository } from './budgets.repository.js';
import { BudgetsService } from './budgets.service.js';

/** Monthly budgets, their evaluation and alerts (delivered as webhooks). */
@Module({ imports: [ReportsModule, WebhooksModule], providers: [BudgetsRepository, BudgetsService], exports: [BudgetsService] })
export class BudgetsModule {}

@Module({ imports: [BudgetsModule], controllers: [BudgetsController] })
export class BudgetsApiModule {}

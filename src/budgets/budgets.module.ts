import { Module } from '@nestjs/common';
import { MeteringModule } from '../metering/metering.module.js';
import { OrgsModule } from '../orgs/orgs.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { BudgetCatalog } from './budget-catalog.js';
import { BudgetCounters } from './budget-counters.js';
import { BudgetDecisionService } from './budget-decision.service.js';
import { BudgetLedger } from './budget-ledger.js';
import { BudgetSpend } from './budget-spend.js';
import { BudgetsController } from './budgets.controller.js';
import { BudgetsRepository } from './budgets.repository.js';
import { BudgetsService } from './budgets.service.js';

/**
 * Ingest-time budget counters (BudgetCounters.record after each ingest commit), for ingestion to import: the
 * org's budgets cached per process and the Redis ledger, nothing of reports, webhooks or metering.
 */
@Module({ imports: [OrgsModule], providers: [BudgetsRepository, BudgetCatalog, BudgetLedger, BudgetCounters], exports: [BudgetsRepository, BudgetCatalog, BudgetLedger, BudgetCounters] })
export class BudgetCountersModule {}

/** Budgets, their evaluation (after every hour's rollup), alerts (delivered as webhooks) and decision bases. */
@Module({
  imports: [BudgetCountersModule, ReportsModule, WebhooksModule, MeteringModule, OrgsModule],
  providers: [BudgetSpend, BudgetsService, BudgetDecisionService],
  exports: [BudgetsService, BudgetDecisionService],
})
export class BudgetsModule {}

/** The worker role evaluates budgets after each rollup job: loading BudgetsService registers that hook. */
@Module({ imports: [BudgetsModule] })
export class BudgetsWorkerModule {}

@Module({ imports: [BudgetsModule], controllers: [BudgetsController] })
export class BudgetsApiModule {}

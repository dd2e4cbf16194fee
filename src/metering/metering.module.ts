import { Module } from '@nestjs/common';
import { BudgetsModule } from '../budgets/budgets.module.js';
import { OrgsModule } from '../orgs/orgs.module.js';
import { AdminJobsController } from './admin-jobs.controller.js';
import { MeteringProcessor } from './metering.processor.js';
import { MeteringService } from './metering.service.js';
import { MeteringOutbox } from './outbox.js';
import { RollupRepository } from './rollup.repository.js';

/** The outbox of stale hours, the rollups recomputed from it, and the sweeper. */
@Module({ imports: [OrgsModule], providers: [MeteringOutbox, RollupRepository, MeteringService], exports: [MeteringOutbox, MeteringService] })
export class MeteringModule {}

@Module({ imports: [MeteringModule], controllers: [AdminJobsController] })
export class MeteringApiModule {}

/** Rollup jobs, then the budgets of the hour's org are evaluated. */
@Module({ imports: [MeteringModule, BudgetsModule], providers: [MeteringProcessor] })
export class MeteringWorkerModule {}

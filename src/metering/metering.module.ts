import { Module } from '@nestjs/common';
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

/** Rollup jobs, then what registered to follow them (onHourRolledUp: budgets). */
@Module({ imports: [MeteringModule], providers: [MeteringProcessor] })
export class MeteringWorkerModule {}

import { Module } from '@nestjs/common';
import { EconomicsModule } from '../economics/economics.module.js';
import { MeteringModule } from '../metering/metering.module.js';
import { OrgsModule } from '../orgs/orgs.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { PlannerService } from './planner.service.js';
import { WorkloadsController } from './workloads.controller.js';
import { WorkloadsRepository } from './workloads.repository.js';
import { WorkloadsService } from './workloads.service.js';

/** Workloads, their annotations and evaluations, and the migration planner built on them. */
@Module({ imports: [EconomicsModule, MeteringModule, OrgsModule, ReportsModule], providers: [WorkloadsRepository, WorkloadsService, PlannerService], exports: [WorkloadsService, PlannerService] })
export class WorkloadsModule {}

@Module({ imports: [WorkloadsModule, EconomicsModule], controllers: [WorkloadsController] })
export class WorkloadsApiModule {}

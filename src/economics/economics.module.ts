import { Module } from '@nestjs/common';
import { MeteringModule } from '../metering/metering.module.js';
import { OrgsModule } from '../orgs/orgs.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { EconomicsController } from './economics.controller.js';
import { EconomicsService } from './economics.service.js';

/** What-if estimates, workload economics from real usage, forecasts and the org's assumptions. */
@Module({ imports: [OrgsModule, ReportsModule, MeteringModule], providers: [EconomicsService], exports: [EconomicsService] })
export class EconomicsModule {}

@Module({ imports: [EconomicsModule], controllers: [EconomicsController] })
export class EconomicsApiModule {}

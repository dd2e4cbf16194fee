import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller.js';
import { AttributionReportsRepository, ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

/** Spend, summary, customers, unit economics and latency reports from the rollups; the spend queries other features build on. */
@Module({ providers: [ReportsRepository, AttributionReportsRepository, ReportsService], exports: [ReportsService] })
export class ReportsModule {}

@Module({ imports: [ReportsModule], controllers: [ReportsController] })
export class ReportsApiModule {}

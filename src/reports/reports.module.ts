import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

/** Spend, summary and latency reports from the rollups; the spend queries other features build on. */
@Module({ providers: [ReportsRepository, ReportsService], exports: [ReportsService] })
export class ReportsModule {}

@Module({ imports: [ReportsModule], controllers: [ReportsController] })
export class ReportsApiModule {}

import { Module } from '@nestjs/common';
import { BudgetCountersModule } from '../budgets/budgets.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { MeteringModule } from '../metering/metering.module.js';
import { OrgsModule } from '../orgs/orgs.module.js';
import { EventsRepository } from './events.repository.js';
import { IngestionController } from './ingestion.controller.js';
import { IngestionService } from './ingestion.service.js';

/**
 * Usage events in (JSON, provider shapes, OTLP), validated, priced, stored once, their hours marked for rollup and
 * their cost added to the budget decision counters. API role only.
 */
@Module({ imports: [CatalogModule, MeteringModule, OrgsModule, BudgetCountersModule], controllers: [IngestionController], providers: [EventsRepository, IngestionService] })
export class IngestionApiModule {}

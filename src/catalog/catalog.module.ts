import { Module } from '@nestjs/common';
import { CatalogController } from './catalog.controller.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';
import { EventPricer } from './event-pricer.js';

/** The price catalog (seeded from the reference data), org overrides, reference facts, and pricing an event with them. */
@Module({ providers: [CatalogRepository, CatalogService, EventPricer], exports: [CatalogService, EventPricer] })
export class CatalogModule {}

@Module({ imports: [CatalogModule], controllers: [CatalogController] })
export class CatalogApiModule {}

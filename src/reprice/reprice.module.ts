import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { MeteringModule } from '../metering/metering.module.js';
import { RepriceController } from './reprice.controller.js';
import { RepriceProcessor } from './reprice.processor.js';
import { RepriceRepository } from './reprice.repository.js';
import { RepriceService } from './reprice.service.js';

/** Re-pricing past events: a dry run, and a background run with progress. */
@Module({ imports: [CatalogModule, MeteringModule], providers: [RepriceRepository, RepriceService], exports: [RepriceService] })
export class RepriceModule {}

@Module({ imports: [RepriceModule], controllers: [RepriceController] })
export class RepriceApiModule {}

@Module({ imports: [RepriceModule], providers: [RepriceProcessor] })
export class RepriceWorkerModule {}

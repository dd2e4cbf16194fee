import { Module } from '@nestjs/common';
import { MeteringModule } from '../metering/metering.module.js';
import { OrgsModule } from '../orgs/orgs.module.js';
import { RetentionController } from './retention.controller.js';
import { MaintenanceProcessor } from './retention.processor.js';
import { RetentionRepository } from './retention.repository.js';
import { RetentionService } from './retention.service.js';

/** How long raw events are kept, and the nightly purge (rollups stay). */
@Module({ imports: [MeteringModule, OrgsModule], providers: [RetentionRepository, RetentionService], exports: [RetentionService] })
export class RetentionModule {}

@Module({ imports: [RetentionModule], controllers: [RetentionController] })
export class RetentionApiModule {}

@Module({ imports: [RetentionModule], providers: [MaintenanceProcessor] })
export class RetentionWorkerModule {}

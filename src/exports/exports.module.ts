import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { OrgsModule } from '../orgs/orgs.module.js';
import { ExportsController } from './exports.controller.js';
import { ExportsRepository } from './exports.repository.js';
import { ExportsService } from './exports.service.js';

/** FOCUS 1.2 export of the daily rollups (GET /v1/exports/focus); prices behind the cost split come from the catalog. */
@Module({ imports: [CatalogModule, OrgsModule], providers: [ExportsRepository, ExportsService], controllers: [ExportsController] })
export class ExportsApiModule {}

import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { ConnectorsModule } from '../connectors/connectors.module.js';
import { ConnectorsService } from '../connectors/connectors.service.js';
import { MeteringModule } from '../metering/metering.module.js';
import { OrgsModule } from '../orgs/orgs.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconciliationRepository } from './reconciliation.repository.js';
import { ReconciliationService } from './reconciliation.service.js';

/**
 * Metered vs billed, explained: reads the daily rollups and the provider lines connectors store, and keeps
 * drift alerts (delivered as `reconciliation.drift` webhooks). `ReconciliationService.evaluateDrift` is what
 * a finished sync calls.
 */
@Module({ imports: [CatalogModule, ConnectorsModule, MeteringModule, OrgsModule, WebhooksModule], providers: [ReconciliationRepository, ReconciliationService], exports: [ReconciliationService] })
export class ReconciliationModule {}

@Module({ imports: [ReconciliationModule], controllers: [ReconciliationController] })
export class ReconciliationApiModule {}

/** After each successful connector sync, the synced provider-days are judged for drift (syncs run in the worker). */
@Injectable()
export class DriftOnSync implements OnModuleInit {
  constructor(
    private readonly connectors: ConnectorsService,
    private readonly reconciliation: ReconciliationService,
  ) {}

  onModuleInit(): void {
    // Both days are UTC dates and toDay is exclusive on both sides.
    this.connectors.onSynced(async (e) => {
      await this.reconciliation.evaluateDrift(e.orgId, e.provider, e.fromDay, e.toDay);
    });
  }
}

/** The worker role: drift is evaluated after each connector sync. */
@Module({ imports: [ReconciliationModule, ConnectorsModule], providers: [DriftOnSync] })
export class ReconciliationWorkerModule {}

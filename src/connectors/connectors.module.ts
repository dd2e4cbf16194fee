import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { ConnectorSyncService } from './connector-sync.service.js';
import { ConnectorsController } from './connectors.controller.js';
import { ConnectorsProcessor } from './connectors.processor.js';
import { ConnectorsRepository } from './connectors.repository.js';
import { ConnectorsService } from './connectors.service.js';
import { CredentialSealer } from './credential-sealer.js';

/** Provider connectors: sealed credentials, syncs of billed cost and usage into provider lines, and `onSynced` for listeners. */
@Module({ imports: [CatalogModule], providers: [ConnectorsRepository, CredentialSealer, ConnectorsService, ConnectorSyncService], exports: [ConnectorsService, ConnectorSyncService] })
export class ConnectorsModule {}

@Module({ imports: [ConnectorsModule], controllers: [ConnectorsController] })
export class ConnectorsApiModule {}

@Module({ imports: [ConnectorsModule], providers: [ConnectorsProcessor] })
export class ConnectorsWorkerModule {}

import { Module } from '@nestjs/common';
import { ConnectorsProcessor } from './connectors.processor.js';

/** Provider connectors: sealed credentials, syncs of billed cost and usage (skeleton). */
@Module({})
export class ConnectorsModule {}

@Module({ imports: [ConnectorsModule] })
export class ConnectorsApiModule {}

@Module({ imports: [ConnectorsModule], providers: [ConnectorsProcessor] })
export class ConnectorsWorkerModule {}

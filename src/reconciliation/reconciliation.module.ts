import { Module } from '@nestjs/common';

/** Metered vs billed, explained (skeleton). */
@Module({})
export class ReconciliationModule {}

@Module({ imports: [ReconciliationModule] })
export class ReconciliationApiModule {}

@Module({ imports: [ReconciliationModule] })
export class ReconciliationWorkerModule {}

import { Module } from '@nestjs/common';
import { EconomicsModule } from '../economics/economics.module.js';
import { OrgsModule } from '../orgs/orgs.module.js';
import { WorkloadsModule } from '../workloads/workloads.module.js';
import { InsightsProcessor } from './insights.processor.js';

/** Nightly: every org's plan and forecast recomputed and stored, so reads stay fast. Worker role only. */
@Module({ imports: [EconomicsModule, OrgsModule, WorkloadsModule], providers: [InsightsProcessor] })
export class InsightsWorkerModule {}

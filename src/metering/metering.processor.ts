import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { QueueProcessor, type JobHandlers } from '../infra/queue/queue-processor.js';
import { MeteringService } from './metering.service.js';

@Injectable()
@QueueProcessor('metering')
export class MeteringProcessor implements JobHandlers<'metering'>, OnApplicationBootstrap {
  private readonly logger = new Logger(MeteringProcessor.name);

  constructor(private readonly metering: MeteringService) {}

  /** The sweep scheduler; the worker re-upserts it periodically, so Redis down at boot or flushed later only delays sweeping. */
  async ensureSchedules(): Promise<void> {
    await this.metering.ensureSweepSchedule();
  }

  async onApplicationBootstrap(): Promise<void> {
    // Hours marked while no worker ran are rolled up now rather than at the first scheduled sweep.
    await this.metering.sweep().catch((e) => this.logger.warn(`first sweep failed: ${(e as Error).message}`));
  }

  handlers() {
    return {
      rollup: (p: { orgId: string; hour: string }) => this.metering.rollup(p.orgId, p.hour),
      sweep: async () => ({ enqueued: await this.metering.sweep() }),
    };
  }
}

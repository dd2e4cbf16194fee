import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { QueueProcessor, type JobHandlers } from '../infra/queue/queue-processor.js';
import { BudgetsService } from '../budgets/budgets.service.js';
import { MeteringService } from './metering.service.js';

@Injectable()
@QueueProcessor('metering')
export class MeteringProcessor implements JobHandlers<'metering'>, OnApplicationBootstrap {
  private readonly logger = new Logger(MeteringProcessor.name);

  constructor(
    private readonly metering: MeteringService,
    private readonly budgets: BudgetsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Redis may be down at boot: keep trying until the scheduler is registered.
    const start = () =>
      this.metering.startSweeper().then(
        () => true,
        (e) => (this.logger.warn(`sweeper not started yet: ${(e as Error).message}`), false),
      );
    if (!(await start())) {
      const retry = setInterval(() => void start().then((ok) => ok && clearInterval(retry)), 5_000);
      retry.unref();
    }
  }

  handlers() {
    return {
      rollup: async (p: { orgId: string; hour: string }) => {
        const res = await this.metering.rollup(p.orgId, p.hour);
        const alerts = await this.budgets.evaluate(p.orgId, new Date(p.hour));
        return { ...res, alerts };
      },
      sweep: async () => ({ enqueued: await this.metering.sweep() }),
    };
  }
}

import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { QueueProcessor, type JobHandlers } from '../infra/queue/queue-processor.js';
import { WebhooksService } from './webhooks.service.js';

@Injectable()
@QueueProcessor('webhooks')
export class WebhooksProcessor implements JobHandlers<'webhooks'> {
  constructor(private readonly webhooks: WebhooksService) {}

  /** The outbox sweep's scheduler; the worker re-upserts it periodically, so a Redis flush only delays re-queueing. */
  async ensureSchedules(): Promise<void> {
    await this.webhooks.ensureRequeueSchedule();
  }

  handlers() {
    return {
      deliver: (p: { orgId: string; deliveryId: string }, job: Job) => this.webhooks.deliver(p.orgId, p.deliveryId, job),
      requeue: () => this.webhooks.requeue(),
    };
  }
}

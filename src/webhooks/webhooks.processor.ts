import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { QueueProcessor, type JobHandlers } from '../infra/queue/queue-processor.js';
import { WebhooksService } from './webhooks.service.js';

@Injectable()
@QueueProcessor('webhooks')
export class WebhooksProcessor implements JobHandlers<'webhooks'> {
  constructor(private readonly webhooks: WebhooksService) {}

  handlers() {
    return {
      deliver: (p: { orgId: string; deliveryId: string }, job: Job) => this.webhooks.deliver(p.orgId, p.deliveryId, job),
    };
  }
}

import { Module } from '@nestjs/common';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksProcessor } from './webhooks.processor.js';
import { WebhooksRepository } from './webhooks.repository.js';
import { WebhooksService } from './webhooks.service.js';

/** Outgoing webhooks: endpoints, signed deliveries with retries (an outbox re-queued by a sweep) and their log. */
@Module({ providers: [WebhooksRepository, WebhooksService], exports: [WebhooksService] })
export class WebhooksModule {}

@Module({ imports: [WebhooksModule], controllers: [WebhooksController] })
export class WebhooksApiModule {}

@Module({ imports: [WebhooksModule], providers: [WebhooksProcessor] })
export class WebhooksWorkerModule {}

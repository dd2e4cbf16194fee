import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Job } from 'bullmq';
import { InvalidError, NotFoundError } from '../common/errors.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { QUEUE_DEFAULTS } from '../infra/queue/contracts.js';
import { signPayload } from '../common/standard-webhooks.js';
import { WebhooksRepository } from './webhooks.repository.js';
import { postWebhook } from './post.js';
import { checkTarget, type TargetPolicy } from './target-guard.js';

export const WEBHOOK_EVENTS = ['budget.threshold_crossed', 'digest.created'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * Outgoing webhooks, signed the Standard Webhooks way (the same scheme
 * Crossover verifies on ingest), retried with exponential backoff by BullMQ,
 * and logged per attempt.
 */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);
  private readonly policy: TargetPolicy;

  constructor(
    private readonly repo: WebhooksRepository,
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.policy = config.webhooks;
  }

  /** Refuses URLs that resolve to private, loopback, link-local, CGNAT or metadata addresses (checked again at each delivery). */
  async create(orgId: string, url: string, events: WebhookEvent[]) {
    const target = await checkTarget(url, this.policy);
    if (!target.ok) throw new InvalidError(target.reason, [{ field: 'url', message: target.reason }]);
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const w = await this.repo.create(orgId, { url, events, secret });
    return { id: w.id, url: w.url, events: w.events, createdAt: w.createdAt.toISOString(), secret };
  }

  async list(orgId: string) {
    return { data: (await this.repo.list(orgId)).map((w) => ({ id: w.id, url: w.url, events: w.events, createdAt: w.createdAt.toISOString() })) };
  }

  async remove(orgId: string, id: string) {
    if (!(await this.repo.disable(orgId, id))) throw new NotFoundError(`Webhook ${id} not found`);
  }

  async deliveries(orgId: string, id: string, limit: number) {
    if (!(await this.repo.find(orgId, id))) throw new NotFoundError(`Webhook ${id} not found`);
    const rows = await this.repo.deliveries(orgId, id, limit);
    return {
      data: rows.map((d) => ({
        id: d.id,
        eventType: d.eventType,
        messageId: d.messageId,
        status: d.status,
        attempts: d.attempts,
        lastStatusCode: d.lastStatusCode,
        lastError: d.lastError,
        createdAt: d.createdAt.toISOString(),
        deliveredAt: d.deliveredAt?.toISOString() ?? null,
        payload: d.payload,
      })),
    };
  }

  /** Records and enqueues one delivery per subscribed webhook; `messageId` makes it idempotent. */
  async emit(orgId: string, type: WebhookEvent, messageId: string, data: unknown): Promise<number> {
    let n = 0;
    for (const w of await this.repo.subscribed(orgId, type)) {
      const payload = { type, timestamp: new Date().toISOString(), data };
      const deliveryId = await this.repo.createDelivery(orgId, { webhookId: w.id, eventType: type, messageId, payload });
      if (!deliveryId) continue;
      n++;
      await this.queues.enqueue('webhooks', 'deliver', { orgId, deliveryId }, { jobId: `wh-${deliveryId}` }).catch((e) => this.logger.warn(`delivery ${deliveryId} not enqueued: ${e.message}`));
    }
    return n;
  }

  /** One attempt; throws on failure so BullMQ retries with backoff, and marks it failed after the last attempt. */
  async deliver(orgId: string, deliveryId: string, job?: Job): Promise<{ status: number }> {
    const d = await this.repo.findDelivery(orgId, deliveryId);
    if (!d || d.status === 'delivered') return { status: 0 };
    const w = await this.repo.find(orgId, d.webhookId);
    if (!w || w.disabledAt) {
      await this.repo.updateDelivery(orgId, deliveryId, { status: 'failed', lastError: 'webhook disabled' });
      return { status: 0 };
    }
    const body = JSON.stringify(d.payload);
    const ts = Math.floor(Date.now() / 1000);
    let status = 0;
    let error: string | null = null;
    try {
      status = await postWebhook(
        w.url,
        {
          'content-type': 'application/json',
          'user-agent': 'Crossover-Webhooks/1',
          'webhook-id': d.messageId,
          'webhook-timestamp': String(ts),
          'webhook-signature': `v1,${signPayload(w.secret, d.messageId, ts, body)}`,
        },
        body,
        DELIVERY_TIMEOUT_MS,
        this.policy,
      );
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = (e as Error).message;
    }
    const attempts = d.attempts + 1;
    if (!error) {
      await this.repo.updateDelivery(orgId, deliveryId, { status: 'delivered', attempts, lastStatusCode: status, lastError: null, deliveredAt: new Date() });
      return { status };
    }
    const last = (job?.attemptsMade ?? 0) + 1 >= (job?.opts.attempts ?? QUEUE_DEFAULTS.webhooks.attempts);
    await this.repo.updateDelivery(orgId, deliveryId, { status: last ? 'failed' : 'pending', attempts, lastStatusCode: status || null, lastError: error });
    throw new Error(`delivery ${deliveryId} failed: ${error}`);
  }
}

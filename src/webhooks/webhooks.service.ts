import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { UnrecoverableError, type Job } from 'bullmq';
import { withTimeout } from '../common/async.js';
import { InvalidError, NotFoundError } from '../common/errors.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { QUEUE_DEFAULTS } from '../infra/queue/contracts.js';
import { signPayload } from '../common/standard-webhooks.js';
import { WebhooksRepository, type Keyset } from './webhooks.repository.js';
import { decodeCursor, toPage } from '../common/pagination.js';
import { postWebhook } from './post.js';
import { slackMessageFor } from './slack-message.js';
import { checkTarget, type TargetPolicy } from './target-guard.js';

export const WEBHOOK_EVENTS = ['budget.threshold_crossed', 'spend.anomaly', 'digest.created', 'reconciliation.drift'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** standard: Standard Webhooks (signed JSON); slack: Slack incoming-webhook messages (blocks), unsigned. */
export const WEBHOOK_FORMATS = ['standard', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
/** pending until an attempt succeeds (delivered) or the attempts run out (failed). */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
/** What every delivery sends (standard format) and stores. */
export interface WebhookPayload {
  type: WebhookEvent;
  timestamp: string;
  data: Record<string, unknown>;
}
const DELIVERY_TIMEOUT_MS = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The resume point of a newest-first page; 400 when the cursor is not one this API wrote. */
function keysetOf(cursor: string | undefined): Keyset | undefined {
  const c = decodeCursor<{ createdAt: string; id: string }>(cursor);
  if (!c) return undefined;
  if (typeof c.createdAt !== 'string' || typeof c.id !== 'string' || !UUID.test(c.id)) {
    throw new InvalidError('Invalid request: cursor', [{ field: 'cursor', message: 'is not a cursor returned by this API' }]);
  }
  return { createdAt: new Date(c.createdAt), id: c.id };
}
const cursorOf = (last: { createdAt: Date; id: string }) => ({ createdAt: last.createdAt.toISOString(), id: last.id });
/** Longest a recording caller waits for the enqueue (ms) before leaving the delivery to the outbox sweep. */
const ENQUEUE_TIMEOUT_MS = 1_000;

/** Most HTTP attempts one delivery ever gets (count), across every job that carried it, re-queued ones included. */
export const MAX_DELIVERY_ATTEMPTS = QUEUE_DEFAULTS.webhooks.attempts;
/** Period of the outbox sweep (ms). With the grace below, a delivery whose enqueue was lost is sent within about 2.5 minutes. */
export const REQUEUE_EVERY_MS = 30_000;
/**
 * How long a pending delivery must have been untouched before the sweep re-queues it (ms). The normal path
 * touches the row at each attempt's start and end; between attempts BullMQ waits at most 64 s (1 s doubled,
 * before the 8th attempt) and an attempt lasts at most DELIVERY_TIMEOUT_MS, so 2 minutes leaves the normal
 * path alone and the sweep only meets rows whose job was lost or still waits in a backlog.
 */
export const REQUEUE_GRACE_MS = 120_000;
/** Deliveries the sweep claims per pass (count), and at most this many of one org, so a backlog never starves the others. */
export const REQUEUE_BATCH = 500;
export const REQUEUE_PER_ORG = 50;

/** The deterministic job id of a delivery's send: enqueueing it again while a job is stored is a no-op in BullMQ. */
export function deliveryJobId(deliveryId: string): string {
  return `wh-${deliveryId}`;
}

/**
 * Outgoing webhooks, signed the Standard Webhooks way (the same scheme
 * Crossover verifies on ingest) or, for `slack` webhooks, posted as Slack
 * incoming-webhook messages rendered from the same payload at each attempt;
 * retried with exponential backoff by BullMQ, and logged per attempt.
 *
 * Deliveries are an outbox: the row (status `pending`) is recorded first and
 * is the truth; the job enqueued after the commit only saves waiting for the
 * sweep, which re-queues pending rows nothing has touched for a while. The
 * guarantee is at-least-once: a receiver can see a message twice (a worker
 * dying after the POST but before recording it) and dedupes by `webhook-id`,
 * which is the delivery's message id on every attempt.
 */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);
  private readonly policy: TargetPolicy;
  private readonly publicUrl: string;

  constructor(
    private readonly repo: WebhooksRepository,
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.policy = config.webhooks;
    this.publicUrl = config.http.publicUrl;
  }

  /** Refuses URLs that resolve to private, loopback, link-local, CGNAT or metadata addresses (checked again at each delivery). */
  async create(orgId: string, url: string, events: WebhookEvent[], format: WebhookFormat = 'standard') {
    const target = await checkTarget(url, this.policy);
    if (!target.ok) throw new InvalidError(target.reason, [{ field: 'url', message: target.reason }]);
    // A Slack webhook is not signed (Slack verifies nothing; its URL is the secret), but the column keeps one.
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const w = await this.repo.create(orgId, { url, events, secret, format });
    return { id: w.id, url: w.url, events: w.events as WebhookEvent[], format: w.format as WebhookFormat, createdAt: w.createdAt.toISOString(), secret: w.format === 'standard' ? secret : null };
  }

  /** A page of active webhooks, newest first; `cursor` is a nextCursor of an earlier page (400 otherwise). */
  async list(orgId: string, limit: number, cursor?: string) {
    const rows = await this.repo.list(orgId, { limit: limit + 1, before: keysetOf(cursor) });
    const page = toPage(rows, limit, cursorOf);
    return { data: page.data.map((w) => ({ id: w.id, url: w.url, events: w.events as WebhookEvent[], format: w.format as WebhookFormat, createdAt: w.createdAt.toISOString() })), nextCursor: page.nextCursor };
  }

  async remove(orgId: string, id: string) {
    if (!(await this.repo.disable(orgId, id))) throw new NotFoundError(`Webhook ${id} not found`);
  }

  async deliveries(orgId: string, id: string, limit: number, cursor?: string) {
    const before = keysetOf(cursor);
    if (!(await this.repo.find(orgId, id))) throw new NotFoundError(`Webhook ${id} not found`);
    const rows = await this.repo.deliveries(orgId, id, { limit: limit + 1, before });
    const page = toPage(rows, limit, cursorOf);
    return {
      data: page.data.map((d) => ({
        id: d.id,
        eventType: d.eventType as WebhookEvent,
        messageId: d.messageId,
        status: d.status as DeliveryStatus,
        attempts: d.attempts,
        lastStatusCode: d.lastStatusCode,
        lastError: d.lastError,
        createdAt: d.createdAt.toISOString(),
        deliveredAt: d.deliveredAt?.toISOString() ?? null,
        payload: d.payload as unknown as WebhookPayload,
      })),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Records one delivery per subscribed webhook, then enqueues their sends; `messageId` makes it idempotent.
   * A queue that cannot be reached does not fail the caller (its alert or digest is already stored): the
   * recorded deliveries wait for the outbox sweep.
   */
  async emit(orgId: string, type: WebhookEvent, messageId: string, data: unknown): Promise<number> {
    let n = 0;
    let queueDown = false;
    for (const w of await this.repo.subscribed(orgId, type)) {
      const payload = { type, timestamp: new Date().toISOString(), data };
      const deliveryId = await this.repo.createDelivery(orgId, { webhookId: w.id, eventType: type, messageId, payload });
      if (!deliveryId) continue;
      n++;
      // One failed enqueue is enough to know: the event's other deliveries do not each wait for the timeout.
      if (queueDown) continue;
      try {
        await withTimeout(this.queues.enqueue('webhooks', 'deliver', { orgId, deliveryId }, { jobId: deliveryJobId(deliveryId) }), ENQUEUE_TIMEOUT_MS);
      } catch (e) {
        queueDown = true;
        this.logger.warn(`delivery ${deliveryId} (${type}) recorded but not enqueued, left to the outbox sweep: ${(e as Error).message}`);
      }
    }
    return n;
  }

  /**
   * One attempt; throws on failure so BullMQ retries with backoff. Idempotent: a delivery that is no longer
   * pending (delivered, or failed for good) is a no-op, so a duplicate job sends nothing. The delivery ends
   * `failed` when its job's last attempt fails or when it has used MAX_DELIVERY_ATTEMPTS in all (then the
   * job stops retrying too).
   */
  async deliver(orgId: string, deliveryId: string, job?: Job): Promise<{ status: number }> {
    const d = await this.repo.findDelivery(orgId, deliveryId);
    if (!d || d.status !== 'pending') return { status: 0 };
    const w = await this.repo.find(orgId, d.webhookId);
    if (!w || w.disabledAt) {
      await this.repo.failDelivery(orgId, deliveryId, 'webhook disabled');
      return { status: 0 };
    }
    const attempts = await this.repo.claimAttempt(orgId, deliveryId, MAX_DELIVERY_ATTEMPTS);
    if (attempts === null) {
      // Settled meanwhile, or its last attempt's outcome was never recorded (a worker died mid-send): close it.
      await this.repo.failDelivery(orgId, deliveryId, `gave up after ${MAX_DELIVERY_ATTEMPTS} attempts`, MAX_DELIVERY_ATTEMPTS);
      return { status: 0 };
    }
    const { headers, body } = this.request(w, d.messageId, d.payload);
    let status = 0;
    let error: string | null = null;
    try {
      status = await postWebhook(w.url, headers, body, DELIVERY_TIMEOUT_MS, this.policy);
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = (e as Error).message;
    }
    if (!error) {
      await this.repo.markDelivered(orgId, deliveryId, status);
      return { status };
    }
    const spent = attempts >= MAX_DELIVERY_ATTEMPTS;
    const jobExhausted = (job?.attemptsMade ?? 0) + 1 >= (job?.opts.attempts ?? QUEUE_DEFAULTS.webhooks.attempts);
    await this.repo.recordFailedAttempt(orgId, deliveryId, { statusCode: status || null, error, final: spent || jobExhausted });
    if (spent) throw new UnrecoverableError(`delivery ${deliveryId} failed after ${attempts} attempts: ${error}`);
    throw new Error(`delivery ${deliveryId} failed: ${error}`);
  }

  /**
   * What one attempt sends: for `standard`, the payload signed the Standard Webhooks way (a fresh timestamp per
   * attempt, the message id as webhook-id); for `slack`, the Slack message rendered from the same payload, with
   * no signature headers (Slack ignores them; a receiver dedupes nothing there).
   */
  private request(w: { format: string; secret: string }, messageId: string, payload: unknown): { headers: Record<string, string>; body: string } {
    if (w.format === 'slack') {
      return { headers: { 'content-type': 'application/json', 'user-agent': 'Crossover-Webhooks/1' }, body: JSON.stringify(slackMessageFor(payload, this.publicUrl)) };
    }
    const body = JSON.stringify(payload);
    const ts = Math.floor(Date.now() / 1000);
    return {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Crossover-Webhooks/1',
        'webhook-id': messageId,
        'webhook-timestamp': String(ts),
        'webhook-signature': `v1,${signPayload(w.secret, messageId, ts, body)}`,
      },
      body,
    };
  }

  /**
   * The outbox sweep: re-queues pending deliveries untouched for `graceMs` (ms), at most `limit` per pass and
   * `perOrg` of one org. A delivery whose job is still stored and live (waiting, delayed, running) is left
   * alone; a finished job's id is freed first (BullMQ ignores an add whose id is still stored, completed or
   * failed); a delivery that has used every attempt is closed as failed instead of being sent again.
   * Redis failing mid-pass throws: the rows claimed but not enqueued come back after another grace period.
   */
  async requeue(opts: { graceMs?: number; limit?: number; perOrg?: number } = {}): Promise<{ claimed: number; enqueued: number; live: number; closed: number }> {
    const claimed = await this.repo.claimStale(new Date(Date.now() - (opts.graceMs ?? REQUEUE_GRACE_MS)), opts.limit ?? REQUEUE_BATCH, opts.perOrg ?? REQUEUE_PER_ORG);
    const queue = this.queues.queue('webhooks');
    let enqueued = 0;
    let live = 0;
    let closed = 0;
    for (const c of claimed) {
      if (c.attempts >= MAX_DELIVERY_ATTEMPTS) {
        if (await this.repo.failDelivery(c.orgId, c.id, `gave up after ${c.attempts} attempts`, MAX_DELIVERY_ATTEMPTS)) closed++;
        continue;
      }
      const jobId = deliveryJobId(c.id);
      const existing = await queue.getJob(jobId);
      if (existing) {
        const state = await existing.getState();
        if (state !== 'completed' && state !== 'failed' && state !== 'unknown') {
          live++;
          continue;
        }
        await existing.remove();
      }
      await this.queues.enqueue('webhooks', 'deliver', { orgId: c.orgId, deliveryId: c.id }, { jobId });
      enqueued++;
    }
    return { claimed: claimed.length, enqueued, live, closed };
  }

  /** Registers the periodic outbox sweep (idempotent across replicas: one scheduler id). */
  async ensureRequeueSchedule(): Promise<void> {
    await this.queues
      .queue('webhooks')
      .upsertJobScheduler('webhooks-requeue', { every: REQUEUE_EVERY_MS }, { name: 'requeue', data: { orgId: '*' }, opts: { removeOnComplete: true, removeOnFail: 100 } });
  }
}

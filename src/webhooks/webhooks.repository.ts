import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** Where a newest-first page resumes: the last row shown. */
export interface Keyset {
  createdAt: Date;
  id: string;
}

const after = (b: Keyset | undefined) => (b ? { OR: [{ createdAt: { lt: b.createdAt } }, { createdAt: b.createdAt, id: { lt: b.id } }] } : {});

@Injectable()
export class WebhooksRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(orgId: string, data: { url: string; events: string[]; secret: string; format: string }) {
    return this.prisma.tenant(orgId, (tx) => tx.webhook.create({ data: { orgId, ...data } }));
  }

  /** Active webhooks, newest first, strictly after `before` in (createdAt, id) order. */
  list(orgId: string, page: { limit: number; before?: Keyset }) {
    return this.prisma.tenant(orgId, (tx) =>
      tx.webhook.findMany({ where: { orgId, disabledAt: null, ...after(page.before) }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: page.limit }),
    );
  }

  find(orgId: string, id: string) {
    return this.prisma.tenant(orgId, (tx) => tx.webhook.findUnique({ where: { orgId_id: { orgId, id } } }));
  }

  async disable(orgId: string, id: string): Promise<boolean> {
    return this.prisma.tenant(orgId, async (tx) => (await tx.webhook.updateMany({ where: { orgId, id, disabledAt: null }, data: { disabledAt: new Date() } })).count === 1);
  }

  subscribed(orgId: string, eventType: string) {
    return this.prisma.tenant(orgId, (tx) => tx.webhook.findMany({ where: { orgId, disabledAt: null, events: { has: eventType } } }));
  }

  /** One delivery per (webhook, message): emitting the same event twice creates nothing new. */
  async createDelivery(orgId: string, d: { webhookId: string; eventType: string; messageId: string; payload: unknown }): Promise<string | null> {
    return this.prisma.tenant(orgId, async (tx) => {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO webhook_deliveries (org_id, id, webhook_id, event_type, message_id, payload, status)
        VALUES (${orgId}::uuid, gen_random_uuid(), ${d.webhookId}::uuid, ${d.eventType}, ${d.messageId}, ${JSON.stringify(d.payload)}::jsonb, 'pending')
        ON CONFLICT (org_id, webhook_id, message_id) DO NOTHING RETURNING id`;
      return rows[0]?.id ?? null;
    });
  }

  findDelivery(orgId: string, id: string) {
    return this.prisma.tenant(orgId, (tx) => tx.webhookDelivery.findUnique({ where: { orgId_id: { orgId, id } } }));
  }

  /**
   * Starts one attempt: attempts + 1, counted before the POST so that a worker dying mid-send still uses
   * up an attempt (the total stays bounded). Returns the attempt's number, or null when the delivery is no
   * longer pending or has already used `maxAttempts`.
   */
  async claimAttempt(orgId: string, id: string, maxAttempts: number): Promise<number | null> {
    return this.prisma.tenant(orgId, async (tx) => {
      const rows = await tx.$queryRaw<{ attempts: number }[]>`
        UPDATE webhook_deliveries SET attempts = attempts + 1, updated_at = now()
         WHERE org_id = ${orgId}::uuid AND id = ${id}::uuid AND status = 'pending' AND attempts < ${maxAttempts}
        RETURNING attempts`;
      return rows[0]?.attempts ?? null;
    });
  }

  /** The receiver answered 2xx. A concurrent duplicate attempt that failed cannot undo it (failures only touch pending rows). */
  async markDelivered(orgId: string, id: string, statusCode: number): Promise<void> {
    await this.prisma.tenant(orgId, (tx) =>
      tx.webhookDelivery.updateMany({
        where: { orgId, id, status: { not: 'delivered' } },
        data: { status: 'delivered', lastStatusCode: statusCode, lastError: null, deliveredAt: new Date() },
      }),
    );
  }

  /** One attempt failed; `final` closes the delivery as failed, otherwise it stays pending for the next retry. */
  async recordFailedAttempt(orgId: string, id: string, f: { statusCode: number | null; error: string; final: boolean }): Promise<void> {
    await this.prisma.tenant(orgId, (tx) =>
      tx.webhookDelivery.updateMany({
        where: { orgId, id, status: 'pending' },
        data: { status: f.final ? 'failed' : 'pending', lastStatusCode: f.statusCode, lastError: f.error.slice(0, 500) },
      }),
    );
  }

  /** Closes a pending delivery as failed for good, only if it has used at least `minAttempts`; true when it did. */
  async failDelivery(orgId: string, id: string, error: string, minAttempts = 0): Promise<boolean> {
    return this.prisma.tenant(
      orgId,
      async (tx) => (await tx.webhookDelivery.updateMany({ where: { orgId, id, status: 'pending', attempts: { gte: minAttempts } }, data: { status: 'failed', lastError: error } })).count === 1,
    );
  }

  /**
   * The outbox sweep's claim, across orgs (through the one SECURITY DEFINER function): pending deliveries
   * untouched since `olderThan`, at most `perOrg` of any one org, in rounds (every org's oldest first), at
   * most `limit` in all; each claimed row's updated_at moves to now(), so concurrent sweeps never claim it
   * twice. Uses webhook_deliveries_status_updated_at_idx.
   */
  async claimStale(olderThan: Date, limit: number, perOrg: number): Promise<{ orgId: string; id: string; attempts: number }[]> {
    const res = await this.prisma.pool.query<{ org_id: string; id: string; attempts: number }>(
      `SELECT org_id, id, attempts FROM crossover_claim_stale_webhook_deliveries($1, $2, $3)`,
      [olderThan, limit, perOrg],
    );
    return res.rows.map((r) => ({ orgId: r.org_id, id: r.id, attempts: r.attempts }));
  }

  /** A webhook's deliveries, newest first, strictly after `before` in (createdAt, id) order; uses (org_id, webhook_id, created_at). */
  deliveries(orgId: string, webhookId: string, page: { limit: number; before?: Keyset }) {
    return this.prisma.tenant(orgId, (tx) =>
      tx.webhookDelivery.findMany({ where: { orgId, webhookId, ...after(page.before) }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: page.limit }),
    );
  }
}

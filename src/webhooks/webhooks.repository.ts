import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';

@Injectable()
export class WebhooksRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(orgId: string, data: { url: string; events: string[]; secret: string }) {
    return this.prisma.tenant(orgId, (tx) => tx.webhook.create({ data: { orgId, ...data } }));
  }

  list(orgId: string) {
    return this.prisma.tenant(orgId, (tx) => tx.webhook.findMany({ where: { orgId, disabledAt: null }, orderBy: { createdAt: 'desc' } }));
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

  updateDelivery(orgId: string, id: string, data: Prisma.WebhookDeliveryUpdateInput) {
    return this.prisma.tenant(orgId, (tx) => tx.webhookDelivery.update({ where: { orgId_id: { orgId, id } }, data }));
  }

  deliveries(orgId: string, webhookId: string, limit: number) {
    return this.prisma.tenant(orgId, (tx) => tx.webhookDelivery.findMany({ where: { orgId, webhookId }, orderBy: { createdAt: 'desc' }, take: limit }));
  }
}

import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

@Injectable()
export class DigestsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Inserts unless the (org, period) digest exists; null when it did (exactly one per period). */
  async insert(orgId: string, period: string, title: string, data: unknown, markdown: string) {
    return this.prisma.tenantPg(orgId, async (c) => {
      const r = await c.query(
        `INSERT INTO digests (org_id, id, period, title, data, markdown) VALUES ($1, gen_random_uuid(), $2, $3, $4, $5)
         ON CONFLICT (org_id, period) DO NOTHING RETURNING id, created_at AS "createdAt"`,
        [orgId, period, title, JSON.stringify(data), markdown],
      );
      return (r.rows[0] as { id: string; createdAt: Date } | undefined) ?? null;
    });
  }

  /** The digest of a period, if built: its id and whether its webhooks were recorded. */
  async findByPeriod(orgId: string, period: string): Promise<{ id: string; notifiedAt: Date | null; data: unknown } | null> {
    return this.prisma.tenant(orgId, (tx) => tx.digest.findUnique({ where: { orgId_period: { orgId, period } }, select: { id: true, notifiedAt: true, data: true } }));
  }

  /** Its webhook deliveries are recorded: a retried build does not emit it again. */
  async markNotified(orgId: string, id: string): Promise<void> {
    await this.prisma.tenant(orgId, (tx) => tx.digest.updateMany({ where: { orgId, id, notifiedAt: null }, data: { notifiedAt: new Date() } }));
  }

  latest(orgId: string) {
    return this.prisma.tenant(orgId, (tx) => tx.digest.findFirst({ where: { orgId }, orderBy: { createdAt: 'desc' } }));
  }

  /** Newest first, strictly after `before` in (createdAt, id) order; uses digests_org_id_created_at_idx. */
  list(orgId: string, limit: number, before?: { createdAt: Date; id: string }) {
    const after = before ? { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] } : {};
    return this.prisma.tenant(orgId, (tx) =>
      tx.digest.findMany({ where: { orgId, ...after }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit, select: { id: true, period: true, title: true, createdAt: true } }),
    );
  }

  find(orgId: string, id: string) {
    return this.prisma.tenant(orgId, (tx) => tx.digest.findUnique({ where: { orgId_id: { orgId, id } } }));
  }
}

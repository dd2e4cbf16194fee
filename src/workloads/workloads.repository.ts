import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';

@Injectable()
export class WorkloadsRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(orgId: string) {
    return this.prisma.tenant(orgId, (tx) => tx.workload.findMany({ where: { orgId }, orderBy: { slug: 'asc' } }));
  }

  /** A page of the org's workloads by slug; keyset on slug (unique with org_id). */
  listPage(orgId: string, limit: number, afterSlug: string | undefined) {
    return this.prisma.tenant(orgId, (tx) =>
      tx.workload.findMany({ where: { orgId, ...(afterSlug !== undefined ? { slug: { gt: afterSlug } } : {}) }, orderBy: { slug: 'asc' }, take: limit + 1 }),
    );
  }

  /** A page of one workload's evaluations, newest first; keyset on (created_at, id). */
  evaluationsPage(orgId: string, workload: string, limit: number, after: { at: string; id: string } | undefined) {
    return this.prisma.tenant(orgId, (tx) =>
      tx.evaluation.findMany({
        where: { orgId, workload, ...(after ? { OR: [{ createdAt: { lt: new Date(after.at) } }, { createdAt: new Date(after.at), id: { lt: after.id } }] } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
      }),
    );
  }

  find(orgId: string, slug: string) {
    return this.prisma.tenant(orgId, (tx) => tx.workload.findUnique({ where: { orgId_slug: { orgId, slug } } }));
  }

  update(orgId: string, slug: string, data: { name?: string | null; description?: string | null; annotations?: Record<string, unknown> }) {
    return this.prisma.tenant(orgId, (tx) =>
      tx.workload.update({
        where: { orgId_slug: { orgId, slug } },
        data: { ...data, annotations: data.annotations as Prisma.InputJsonValue | undefined },
      }),
    );
  }

  addEvaluation(orgId: string, data: { workload: string; candidateModel: string; baselineModel: string; sampleSize: number; metrics: unknown }) {
    return this.prisma.tenant(orgId, (tx) => tx.evaluation.create({ data: { orgId, ...data, metrics: data.metrics as Prisma.InputJsonValue } }));
  }

  evaluations(orgId: string, workload?: string) {
    return this.prisma.tenant(orgId, (tx) => tx.evaluation.findMany({ where: { orgId, ...(workload ? { workload } : {}) }, orderBy: { createdAt: 'desc' } }));
  }

  /** When the workloads' inputs to a plan last changed: annotations, evaluations (settings are the orgs' to tell). */
  async lastInputChange(orgId: string): Promise<Date | null> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const r = await c.query<{ t: Date | null }>(
        `SELECT greatest((SELECT max(updated_at) FROM workloads WHERE org_id = $1), (SELECT max(created_at) FROM evaluations WHERE org_id = $1)) AS t`,
        [orgId],
      );
      return r.rows[0].t;
    });
  }
}

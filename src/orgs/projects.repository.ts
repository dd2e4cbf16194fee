import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../infra/prisma/prisma.service.js';

/** Projects and workloads: created on first use (by events or keys), annotated by people later. */
@Injectable()
export class ProjectsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Returns the project's id, creating it if needed; safe under concurrency (unique (org_id, slug)). */
  async ensureProject(orgId: string, slug: string, tx?: Tx): Promise<string> {
    const run = async (t: Tx) => {
      const row = await t.project.upsert({ where: { orgId_slug: { orgId, slug } }, create: { orgId, slug }, update: {}, select: { id: true } });
      return row.id;
    };
    return tx ? run(tx) : this.prisma.tenant(orgId, run);
  }

  async findProjectById(orgId: string, id: string) {
    return this.prisma.tenant(orgId, (tx) => tx.project.findUnique({ where: { orgId_id: { orgId, id } } }));
  }
}

import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** Stored answers (plans, forecasts, workload economics) per org, kind and scope, with the time they were computed. */
@Injectable()
export class SnapshotsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async snapshot(orgId: string, kind: string, scope: string) {
    return this.prisma.tenant(orgId, (tx) => tx.snapshot.findUnique({ where: { orgId_kind_scope: { orgId, kind, scope } } }));
  }

  async saveSnapshot(orgId: string, kind: string, scope: string, data: unknown) {
    const json = data as Prisma.InputJsonValue;
    return this.prisma.tenant(orgId, (tx) =>
      tx.snapshot.upsert({ where: { orgId_kind_scope: { orgId, kind, scope } }, create: { orgId, kind, scope, data: json }, update: { data: json, createdAt: new Date() } }),
    );
  }
}

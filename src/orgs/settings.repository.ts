import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';

export type SettingsSection = 'assumptions' | 'planner' | 'digest';

/** Per-org settings, one row per org, created on first write. */
@Injectable()
export class SettingsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async get(orgId: string) {
    const row = await this.prisma.tenant(orgId, (tx) => tx.orgSettings.findUnique({ where: { orgId } }));
    return {
      assumptions: (row?.assumptions ?? {}) as Record<string, unknown>,
      planner: (row?.planner ?? {}) as Record<string, unknown>,
      digest: (row?.digest ?? {}) as Record<string, unknown>,
      retentionDays: row?.retentionDays ?? null,
      updatedAt: row?.updatedAt ?? null,
    };
  }

  async put(orgId: string, section: SettingsSection, value: Record<string, unknown>) {
    const data = { [section]: value as Prisma.InputJsonValue };
    await this.prisma.tenant(orgId, (tx) => tx.orgSettings.upsert({ where: { orgId }, create: { orgId, ...data }, update: data }));
  }

  /** Raw events before this instant were purged (null: nothing purged). */
  async retainedFrom(orgId: string): Promise<Date | null> {
    const row = await this.prisma.tenant(orgId, (tx) => tx.orgSettings.findUnique({ where: { orgId }, select: { retainedFrom: true } }));
    return row?.retainedFrom ?? null;
  }

  async putRetention(orgId: string, days: number | null) {
    await this.prisma.tenant(orgId, (tx) => tx.orgSettings.upsert({ where: { orgId }, create: { orgId, retentionDays: days }, update: { retentionDays: days } }));
  }

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

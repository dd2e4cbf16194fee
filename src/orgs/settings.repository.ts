import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';

export type SettingsSection = 'assumptions' | 'planner' | 'digest' | 'reconciliation';

/** Per-org settings (assumptions, planner, digest, reconciliation thresholds, retention), one row per org, created on first write. */
@Injectable()
export class SettingsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async get(orgId: string) {
    const row = await this.prisma.tenant(orgId, (tx) => tx.orgSettings.findUnique({ where: { orgId } }));
    return {
      assumptions: (row?.assumptions ?? {}) as Record<string, unknown>,
      planner: (row?.planner ?? {}) as Record<string, unknown>,
      digest: (row?.digest ?? {}) as Record<string, unknown>,
      reconciliation: (row?.reconciliation ?? {}) as Record<string, unknown>,
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
    return this.prisma.tenantPg(orgId, (c) => this.retainedFromWithin(c, orgId));
  }

  /** The same, read inside the caller's transaction (a rollup checks it in the snapshot it aggregates in). */
  async retainedFromWithin(c: PoolClient, orgId: string): Promise<Date | null> {
    const r = await c.query<{ retained_from: Date | null }>(`SELECT retained_from FROM org_settings WHERE org_id = $1`, [orgId]);
    return r.rows[0]?.retained_from ?? null;
  }

  /**
   * Moves the retention horizon forward (never back). FOR UPDATE first: it waits for ingest batches in flight,
   * which hold the row FOR KEY SHARE from their horizon check to their commit (a plain UPDATE would not wait).
   */
  async advanceRetainedFrom(orgId: string, cutoff: Date): Promise<void> {
    await this.prisma.tenantPg(orgId, async (c) => {
      await c.query(`SELECT 1 FROM org_settings WHERE org_id = $1 FOR UPDATE`, [orgId]);
      await c.query(
        `INSERT INTO org_settings (org_id, retained_from, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (org_id) DO UPDATE SET retained_from = greatest(org_settings.retained_from, excluded.retained_from)`,
        [orgId, cutoff],
      );
    });
  }

  async putRetention(orgId: string, days: number | null) {
    await this.prisma.tenant(orgId, (tx) => tx.orgSettings.upsert({ where: { orgId }, create: { orgId, retentionDays: days }, update: { retentionDays: days } }));
  }
}

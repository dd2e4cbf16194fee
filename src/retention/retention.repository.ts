import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** Raw-event purges. The horizon itself is an org setting (OrgSettingsService). */
@Injectable()
export class RetentionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Orgs that set a retention, through the schedulers' cross-tenant function. */
  async orgsWithRetention(): Promise<{ orgId: string; days: number }[]> {
    const r = await this.prisma.pool.query(`SELECT org_id, retention_days FROM crossover_retention_settings()`);
    return r.rows.map((x) => ({ orgId: x.org_id, days: x.retention_days }));
  }

  /**
   * Deletes up to `batch` raw events before `cutoff`; returns how many.
   * Small batches keep locks and WAL bursts short; uses usage_events_org_id_ts_idx.
   */
  async deleteBefore(orgId: string, cutoff: Date, batch: number): Promise<number> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const r = await c.query(
        `DELETE FROM usage_events WHERE org_id = $1 AND event_id IN (SELECT event_id FROM usage_events WHERE org_id = $1 AND ts < $2 LIMIT ${Number(batch)})`,
        [orgId, cutoff],
      );
      return r.rowCount ?? 0;
    });
  }
}

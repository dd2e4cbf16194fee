import { Injectable, Logger } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import { RollupRepository } from '../metering/rollup.repository.js';

const DAY = 86_400_000;
const BATCH = 5_000;

/**
 * Drops raw events older than an org's retention (whole UTC days) while the
 * hourly rollups stay, so reports keep working. Before purging, every dirty
 * hour in the range is rolled up, so nothing is lost; afterwards
 * `retained_from` marks the horizon: those hours are never recomputed, and
 * ingest refuses events before it (they could no longer be counted exactly).
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly rollups: RollupRepository,
  ) {}

  async orgsWithRetention(): Promise<{ orgId: string; days: number }[]> {
    const r = await this.prisma.pool.query(`SELECT org_id, retention_days FROM crossover_retention_settings()`);
    return r.rows.map((x) => ({ orgId: x.org_id, days: x.retention_days }));
  }

  async purge(orgId: string, days: number, now = new Date()): Promise<{ cutoff: string; deleted: number }> {
    const cutoff = new Date(Math.floor((now.getTime() - days * DAY) / DAY) * DAY);
    for (const hour of await this.rollups.dirtyBefore(orgId, cutoff)) await this.rollups.recompute(orgId, hour);
    // The horizon moves first: a rollup of an hour being purged, racing with
    // the delete, then keeps its rows instead of recomputing from half the events.
    await this.prisma.tenantPg(orgId, (c) =>
      c.query(
        `INSERT INTO org_settings (org_id, retained_from, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (org_id) DO UPDATE SET retained_from = greatest(org_settings.retained_from, excluded.retained_from)`,
        [orgId, cutoff],
      ),
    );
    let deleted = 0;
    for (;;) {
      // Small batches keep locks and WAL bursts short; uses usage_events_org_id_ts_idx.
      const n = await this.prisma.tenantPg(orgId, async (c) => {
        const r = await c.query(
          `DELETE FROM usage_events WHERE org_id = $1 AND event_id IN (SELECT event_id FROM usage_events WHERE org_id = $1 AND ts < $2 LIMIT ${BATCH})`,
          [orgId, cutoff],
        );
        return r.rowCount ?? 0;
      });
      deleted += n;
      if (n < BATCH) break;
    }
    if (deleted) this.logger.log(`retention: ${deleted} raw events before ${cutoff.toISOString()} purged for ${orgId}`);
    return { cutoff: cutoff.toISOString(), deleted };
  }
}

import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';

/**
 * The metering outbox: (org, hour) buckets whose rollups are stale. Writers
 * (ingest, re-pricing) mark hours inside their own transaction, with their
 * own client, so a committed event always has its hour marked; the rollup
 * worker (RollupRepository.recompute) clears the mark.
 */
@Injectable()
export class MeteringOutbox {
  /** Marks the hours dirty; sorted, so concurrent batches lock the rows in one order. */
  async markDirty(c: PoolClient, orgId: string, hours: Date[]): Promise<void> {
    if (!hours.length) return;
    await c.query(
      `INSERT INTO dirty_buckets (org_id, hour, marked_at) SELECT $1, h, clock_timestamp() FROM unnest($2::timestamptz[]) h ORDER BY h
       ON CONFLICT (org_id, hour) DO UPDATE SET marked_at = clock_timestamp(), retry_after = NULL`,
      [orgId, [...hours].sort((a, b) => a.getTime() - b.getTime())],
    );
  }
}

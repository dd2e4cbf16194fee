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
    await c.query(markDirtySql('$1', 'unnest($2::timestamptz[])'), [orgId, [...hours].sort((a, b) => a.getTime() - b.getTime())]);
  }
}

/**
 * The statement that marks hours dirty, for writers that fold it into a larger statement (ingest marks the hours
 * of the rows it inserted in the same round trip): `org` is the SQL of the org id, `hours` a set-returning
 * function call or a subquery of one timestamptz column; the hours are locked in ascending order.
 */
export function markDirtySql(org: string, hours: string): string {
  return `INSERT INTO dirty_buckets (org_id, hour, marked_at) SELECT ${org}, d.h, clock_timestamp() FROM ${hours} AS d(h) ORDER BY d.h
       ON CONFLICT (org_id, hour) DO UPDATE SET marked_at = clock_timestamp(), retry_after = NULL`;
}

import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DAY_MS } from '../domain/time.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import { LATENCY_BUCKETS_MS } from '../domain/latency.js';
import { ATTRIBUTED_EVENT, ATTRIBUTION_CAP, CLEAR_ATTRIBUTION_HOUR, REBUILD_ATTRIBUTION_DAY, REBUILD_ATTRIBUTION_HOUR } from './attribution.js';

// count(*) FILTER per bucket: (prev, edge], and the open-ended last bucket.
const HIST_SQL = `ARRAY[${[...LATENCY_BUCKETS_MS, null]
  .map((edge, i) => {
    const lo = i === 0 ? null : LATENCY_BUCKETS_MS[i - 1];
    const conds = [lo === null ? null : `latency_ms > ${lo}`, edge === null ? null : `latency_ms <= ${edge}`].filter(Boolean).join(' AND ');
    return `count(*) FILTER (WHERE latency_ms IS NOT NULL AND ${conds})`;
  })
  .join(', ')}]::bigint[]`;

/** Token classes priced apart (subsets of the base counts; NULL = 0 on events), summed as they are. */
const CLASS_COLUMNS = 'cache_write_1h_tokens, audio_input_tokens, image_input_tokens, video_input_tokens, cached_audio_input_tokens, audio_output_tokens';

/** The key of every rollup table after (org_id, period). */
const ROLLUP_KEY = 'project, workload, environment, provider, model_id, service_tier';
/** The sums a coarser rollup takes from a finer one (latency stays hourly). */
const SUMMED = `requests, errors, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, ${CLASS_COLUMNS},
  cost_usd, provider_cost_usd, provider_cost_requests, provider_basis_cost_usd, unpriced_requests, unpriced_tokens`.split(/,\s*/);

/**
 * Rebuilds one period [$2, $3) of `table` (keyed by `period`) for org $1 from the rows of `source` (keyed by
 * `sourcePeriod`) inside it: recomputed from the finer rows, never incremented, so running it twice gives the same
 * rows. Rows whose sums did not change are not written and changed rows are updated in place, so a period rebuilt
 * once per recomputed hour leaves no dead index entries (HOT updates: the key never changes, and the tables keep
 * free room on each page, fillfactor 50 in 20261201080000_monthly_rollups); a group that vanished (re-priced to
 * another model) is deleted. Reads `source`'s primary key (org_id, period, ...).
 */
function rebuildSql(table: string, period: string, source: string, sourcePeriod: string): string {
  const key = ROLLUP_KEY.split(', ');
  // NOT IN (a hashed subplan; the key columns are never NULL) rather than NOT EXISTS, which the planner runs as a
  // nested loop over the CTE when the table has no statistics yet (~20 ms a day on the bench database).
  return `WITH agg AS (
      SELECT ${ROLLUP_KEY}, ${SUMMED.map((c) => `sum(${c}) AS ${c}`).join(', ')}
        FROM ${source} WHERE org_id = $1 AND ${sourcePeriod} >= $2 AND ${sourcePeriod} < $3
       GROUP BY ${ROLLUP_KEY}
    ), gone AS (
      DELETE FROM ${table} t WHERE t.org_id = $1 AND t.${period} = $2
         AND (${key.map((k) => `t.${k}`).join(', ')}) NOT IN (SELECT ${ROLLUP_KEY} FROM agg)
    )
    INSERT INTO ${table} AS t (org_id, ${period}, ${ROLLUP_KEY}, ${SUMMED.join(', ')})
    SELECT $1, $2, ${ROLLUP_KEY}, ${SUMMED.join(', ')} FROM agg
    ON CONFLICT (org_id, ${period}, ${ROLLUP_KEY}) DO UPDATE SET ${SUMMED.map((c) => `${c} = excluded.${c}`).join(', ')}
     WHERE (${SUMMED.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${SUMMED.map((c) => `excluded.${c}`).join(', ')})`;
}
const REBUILD_DAY = rebuildSql('usage_rollups_daily', 'day', 'usage_rollups_hourly', 'hour');
const REBUILD_MONTH = rebuildSql('usage_rollups_monthly', 'month', 'usage_rollups_daily', 'day');

/** An org's purge lock (a PostgreSQL advisory lock keyed on the org id, $1): purges hold it exclusively, rollups shared. */
const PURGE_LOCK_KEY = `hashtextextended('crossover-purge:' || $1::text, 0)`;

/** Rollups and the dirty-bucket outbox. */
@Injectable()
export class RollupRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Runs `fn` holding the org's purge lock exclusively, on a session of its own: it waits for rollups in flight
   * and keeps new ones (but the purge's own, `purging`) off the org's hours until `fn` ends.
   */
  async whilePurging<T>(orgId: string, fn: () => Promise<T>): Promise<T> {
    const session = await this.prisma.pool.connect();
    let broken: Error | undefined;
    try {
      await session.query(`SELECT pg_advisory_lock(${PURGE_LOCK_KEY})`, [orgId]);
      try {
        return await fn();
      } finally {
        await session.query(`SELECT pg_advisory_unlock(${PURGE_LOCK_KEY})`, [orgId]).catch((e: Error) => (broken = e));
      }
    } finally {
      // A session whose unlock failed may still hold the lock: it is closed, never returned to the pool.
      session.release(broken);
    }
  }

  /**
   * Recomputes one (org, hour) from the raw events and replaces its rollup
   * rows, in one transaction. Never increments: running it twice, or after a
   * crash, gives the same rows.
   *
   * The dirty row is not locked while the hour is aggregated (that can take
   * seconds for a busy hour, and every ingest batch of the hour marks that
   * row): its version (xmin) is read first and compared, under a short lock,
   * at the end. If an ingest marked the hour meanwhile (committed or still in
   * flight: FOR UPDATE waits for it), the mark stays and the hour is rolled up
   * again; otherwise every event marked before is in this aggregate, because
   * ingest marks the hour as its last statement and the aggregate's snapshot
   * is taken after the first read.
   * `retainedFrom` reads the org's retention horizon inside this transaction:
   * an hour whose raw events were purged keeps its rollups as they are (attribution rollups included).
   * The same transaction rebuilds the hour's attribution rollups (customer, end user, tag: src/metering/attribution.ts)
   * and, when they changed, the UTC day's, under the day lock.
   * Uses usage_events_org_id_ts_idx.
   */
  async recompute(orgId: string, hour: Date, retainedFrom: (c: PoolClient) => Promise<Date | null>, purging = false): Promise<{ rows: number; stillDirty: boolean }> {
    return this.prisma.tenantPg(orgId, async (c) => {
      // While a retention purge runs (see whilePurging) only the purge itself recomputes this org's hours: any
      // other rollup could read raw events half deleted, or drop a mark the purge still has to honour. The hour
      // stays dirty and the next sweep takes it.
      if (!purging && !(await c.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock_shared(${PURGE_LOCK_KEY}) AS ok`, [orgId])).rows[0].ok) {
        return { rows: 0, stillDirty: true };
      }
      const before = await c.query<{ v: string }>(`SELECT xmin::text AS v FROM dirty_buckets WHERE org_id = $1 AND hour = $2`, [orgId, hour]);
      // The purge rolls up hours behind the horizon it has just moved, from raw events it has not deleted yet.
      const horizon = purging ? null : await retainedFrom(c);
      let rows = 0;
      if (!(horizon && horizon > hour)) {
        await c.query(`DELETE FROM usage_rollups_hourly WHERE org_id = $1 AND hour = $2`, [orgId, hour]);
        // The same pass says whether any event of the hour is attributed (customer, end user, tags): an org that
        // sends none pays one cheap DELETE on the attribution table's key instead of a second read of the hour.
        const res = await c.query<{ rows: number; attributed: boolean }>(
          `WITH agg AS (
             SELECT coalesce(project, '') AS project, workload, environment, provider, model_id, service_tier,
                  sum(requests) AS requests, coalesce(sum(requests) FILTER (WHERE status = 'error'), 0) AS errors,
                  sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cached_input_tokens) AS cached_input_tokens,
                  sum(cache_write_tokens) AS cache_write_tokens, sum(reasoning_tokens) AS reasoning_tokens,
                  ${CLASS_COLUMNS.split(', ').map((c) => `coalesce(sum(${c}), 0) AS ${c}`).join(', ')},
                  coalesce(sum(cost_usd), 0) AS cost_usd,
                  coalesce(sum(client_cost_usd), 0) AS provider_cost_usd, coalesce(sum(requests) FILTER (WHERE client_cost_usd IS NOT NULL), 0) AS provider_cost_requests,
                  coalesce(sum(coalesce(client_cost_usd, cost_usd)), 0) AS provider_basis_cost_usd,
                  coalesce(sum(requests) FILTER (WHERE unpriced), 0) AS unpriced_requests, coalesce(sum(input_tokens + output_tokens) FILTER (WHERE unpriced), 0) AS unpriced_tokens,
                  count(latency_ms) AS latency_count, coalesce(sum(latency_ms), 0) AS latency_sum_ms, ${HIST_SQL} AS latency_hist,
                  bool_or(${ATTRIBUTED_EVENT}) AS attributed
             FROM usage_events
            WHERE org_id = $1 AND ts >= $2 AND ts < $2 + interval '1 hour'
            GROUP BY coalesce(project, ''), workload, environment, provider, model_id, service_tier
           ), ins AS (
             INSERT INTO usage_rollups_hourly (org_id, hour, ${ROLLUP_KEY}, ${SUMMED.join(', ')}, latency_count, latency_sum_ms, latency_hist, computed_at)
             SELECT $1, $2, ${ROLLUP_KEY}, ${SUMMED.join(', ')}, latency_count, latency_sum_ms, latency_hist, now() FROM agg
             RETURNING 1
           )
           SELECT (SELECT count(*) FROM ins)::int AS rows, coalesce(bool_or(attributed), false) AS attributed FROM agg`,
          [orgId, hour],
        );
        rows = res.rows[0].rows;
        // This hour's attribution rows (outside the day lock: hours of one day roll up in parallel); the day's only
        // when they changed.
        const attributionChanged = res.rows[0].attributed
          ? (await c.query<{ changed: number }>(REBUILD_ATTRIBUTION_HOUR, [orgId, hour, ATTRIBUTION_CAP])).rows[0].changed > 0
          : ((await c.query(CLEAR_ATTRIBUTION_HOUR, [orgId, hour])).rowCount ?? 0) > 0;
        // The UTC day from its hourly rows, then the UTC month from its daily rows. The advisory locks (always the
        // day's, then the month's: no lock cycle) serialise each period's rebuilds, so the last to commit has seen
        // every hour's and every day's rows.
        const day = new Date(Math.floor(hour.getTime() / DAY_MS) * DAY_MS);
        const month = new Date(Date.UTC(hour.getUTCFullYear(), hour.getUTCMonth(), 1));
        const nextMonth = new Date(Date.UTC(hour.getUTCFullYear(), hour.getUTCMonth() + 1, 1));
        await c.query(`SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 0))`, [orgId, day.toISOString()]);
        await c.query(REBUILD_DAY, [orgId, day, new Date(day.getTime() + DAY_MS)]);
        if (attributionChanged) await c.query(REBUILD_ATTRIBUTION_DAY, [orgId, day, new Date(day.getTime() + DAY_MS), ATTRIBUTION_CAP]);
        await c.query(`SELECT pg_advisory_xact_lock(hashtextextended($1 || '/month/' || $2, 0))`, [orgId, month.toISOString()]);
        await c.query(REBUILD_MONTH, [orgId, month, nextMonth]);
      }
      const after = await c.query<{ v: string }>(`SELECT xmin::text AS v FROM dirty_buckets WHERE org_id = $1 AND hour = $2 FOR UPDATE`, [orgId, hour]);
      const unchanged = after.rows[0]?.v === before.rows[0]?.v;
      if (unchanged && after.rowCount) await c.query(`DELETE FROM dirty_buckets WHERE org_id = $1 AND hour = $2`, [orgId, hour]);
      return { rows, stillDirty: !unchanged };
    });
  }

  /**
   * Dirty hours marked before `olderThan` (the sweeper), at most `perOrg` of any one org, in rounds (every org's
   * oldest first), skipping hours backing off after failed rollups.
   */
  async dirtyBuckets(olderThan: Date, limit: number, perOrg: number): Promise<{ orgId: string; hour: Date }[]> {
    const res = await this.prisma.pool.query<{ org_id: string; hour: Date }>(`SELECT org_id, hour FROM crossover_dirty_buckets($1, $2, $3)`, [olderThan, limit, perOrg]);
    return res.rows.map((r) => ({ orgId: r.org_id, hour: r.hour }));
  }

  /**
   * Records a failed rollup of an hour: failures + 1 and a backoff of 2^failures minutes, at most a day, before the
   * sweeper tries it again; the error text is kept for operators (GET /v1/admin/jobs lists failed jobs too).
   */
  async recordFailure(orgId: string, hour: Date, error: string): Promise<void> {
    await this.prisma.tenantPg(orgId, (c) =>
      c.query(
        `UPDATE dirty_buckets SET failures = failures + 1, last_error = left($3, 500),
                retry_after = now() + least(interval '1 minute' * power(2, failures), interval '1 day')
          WHERE org_id = $1 AND hour = $2`,
        [orgId, hour, error],
      ),
    );
  }

  /** The org's dirty hours, oldest first; only those before `before` when given (retention rolls them up before purging). */
  async dirtyHours(orgId: string, before?: Date): Promise<Date[]> {
    return this.prisma.tenantPg(orgId, async (c) =>
      (await c.query<{ hour: Date }>(`SELECT hour FROM dirty_buckets WHERE org_id = $1 AND ($2::timestamptz IS NULL OR hour < $2) ORDER BY hour`, [orgId, before ?? null])).rows.map((r) => r.hour),
    );
  }

  /** The oldest dirty mark across orgs (the rollup-lag gauge), through the one cross-tenant function. */
  async oldestDirtyMark(): Promise<Date | null> {
    const r = await this.prisma.pool.query<{ oldest: Date | null }>(`SELECT crossover_rollup_lag() AS oldest`);
    return r.rows[0]?.oldest ?? null;
  }

  async countDirty(orgId: string): Promise<{ count: number; oldest: Date | null }> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query<{ n: number; oldest: Date | null }>(`SELECT count(*)::int AS n, min(marked_at) AS oldest FROM dirty_buckets WHERE org_id = $1`, [orgId]);
      return { count: res.rows[0].n, oldest: res.rows[0].oldest };
    });
  }
}

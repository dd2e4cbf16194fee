import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import { rollupPlan, type RollupLevel } from './rollup-plan.js';

export const GROUP_KEYS = ['project', 'workload', 'environment', 'provider', 'model', 'serviceTier'] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];
export const GRANULARITIES = ['hour', 'day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

const COLUMN: Record<GroupKey, string> = {
  project: 'project',
  workload: 'workload',
  environment: 'environment',
  provider: 'provider',
  model: 'model_id',
  serviceTier: 'service_tier',
};

/**
 * Which cost a report sums: `computed` = Crossover's price of the metered tokens (cost_usd); `provider` = the
 * provider's cost where the event carried one (providerCostUsd), the computed cost elsewhere
 * (provider_basis_cost_usd, kept by the rollups).
 */
export const COST_BASES = ['computed', 'provider'] as const;
export type CostBasis = (typeof COST_BASES)[number];
const COST_COLUMN: Record<CostBasis, string> = { computed: 'cost_usd', provider: 'provider_basis_cost_usd' };

export interface SpendQuery {
  from: Date;
  to: Date;
  granularity: Granularity;
  groupBy: GroupKey[];
  filters: Partial<Record<GroupKey, string>>;
  tz: string;
  limit: number;
  offset: number;
  /** Default computed. */
  costBasis?: CostBasis;
}

const KEY_COLUMNS = 'project, workload, environment, provider, model_id, service_tier';
const METRIC_COLUMNS = ['requests', 'errors', 'input_tokens', 'output_tokens', 'cached_input_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_usd', 'provider_basis_cost_usd', 'unpriced_requests', 'unpriced_tokens'];
const SOURCE_COLUMNS = `${KEY_COLUMNS}, ${METRIC_COLUMNS.join(', ')}`;
/** Each rollup table and its period column. */
const TABLES: Record<RollupLevel, { table: string; period: string }> = {
  hour: { table: 'usage_rollups_hourly', period: 'hour' },
  day: { table: 'usage_rollups_daily', period: 'day' },
  month: { table: 'usage_rollups_monthly', period: 'month' },
};
/** Groups a signed source leaves with no request in the window had no event there (every event counts >= 1 request). */
const HAVING_REQUESTS = 'HAVING sum(requests) > 0';

/** The metrics of a report row, the cost summed on `basis`. */
const metricsOn = (basis: CostBasis = 'computed') => `trim_scale(sum(${COST_COLUMN[basis]}))::text AS "costUsd", sum(requests)::text AS requests, sum(errors)::text AS errors,
  sum(input_tokens)::text AS "inputTokens", sum(output_tokens)::text AS "outputTokens", sum(cached_input_tokens)::text AS "cachedInputTokens",
  sum(cache_write_tokens)::text AS "cacheWriteTokens", sum(reasoning_tokens)::text AS "reasoningTokens",
  sum(unpriced_requests)::text AS "unpricedRequests", sum(unpriced_tokens)::text AS "unpricedTokens"`;
const METRICS = metricsOn('computed');

/**
 * Reports read the hourly rollups, never the raw events. Every query filters
 * on org_id and a range of hour, the leading columns of
 * usage_rollups_hourly_pkey (or usage_rollups_hourly_org_id_workload_hour_idx).
 */
@Injectable()
export class ReportsRepository {
  constructor(private readonly prisma: PrismaService) {}

  private where(q: Pick<SpendQuery, 'from' | 'to' | 'filters'>, params: unknown[]): string {
    return ['org_id = $1', `hour >= $${params.push(q.from)}`, `hour < $${params.push(q.to)}`, this.filters(q.filters, params)].filter(Boolean).join(' AND ');
  }

  private filters(filters: Partial<Record<GroupKey, string>>, params: unknown[]): string {
    return GROUP_KEYS.filter((k) => filters[k] !== undefined)
      .map((k) => `${COLUMN[k]} = $${params.push(filters[k])}`)
      .join(' AND ');
  }

  /**
   * The rows a window reads, as a subquery with an `hour` column (the start of each row's period), from the
   * coarsest rollups `level` allows: whole UTC months from usage_rollups_monthly, whole UTC days from
   * usage_rollups_daily, ragged hours from usage_rollups_hourly (rollupPlan). A report may read a period only
   * if each of its buckets is a union of such periods: months for month buckets or none in UTC, days for day
   * and week buckets in UTC, hours otherwise. With `complement` a ragged edge may be read as its whole period
   * less the part outside the window, as negated rows (`signed`): the caller then drops groups with no request.
   * Uses the three tables' primary keys (org_id, hour|day|month, ...).
   */
  private source(q: Pick<SpendQuery, 'from' | 'to' | 'filters'>, params: unknown[], level: RollupLevel, complement = false): { sql: string; signed: boolean } {
    const f = this.filters(q.filters, params);
    const and = f ? ` AND ${f}` : '';
    const pieces = rollupPlan(q.from, q.to, level, complement);
    if (!pieces.length) return { sql: `(SELECT NULL::timestamptz AS hour, ${SOURCE_COLUMNS} FROM usage_rollups_hourly WHERE false) r`, signed: false };
    const selects: string[] = [];
    for (const [lvl, { table, period }] of Object.entries(TABLES) as [RollupLevel, (typeof TABLES)[RollupLevel]][]) {
      for (const sign of [1, -1] as const) {
        const ranges = pieces
          .filter((p) => p.level === lvl && p.sign === sign)
          .map((p) => `(${period} >= $${params.push(new Date(p.from))} AND ${period} < $${params.push(new Date(p.to))})`);
        if (!ranges.length) continue;
        const cols = sign === 1 ? SOURCE_COLUMNS : `${KEY_COLUMNS}, ${METRIC_COLUMNS.map((c) => `-${c} AS ${c}`).join(', ')}`;
        selects.push(`SELECT ${period} AS hour, ${cols} FROM ${table} WHERE org_id = $1 AND (${ranges.join(' OR ')})${and}`);
      }
    }
    return { sql: `(${selects.join('\n      UNION ALL ')}) r`, signed: pieces.some((p) => p.sign < 0) };
  }

  /** The coarsest rollups a spend query's buckets allow (see source). */
  private levelOf(q: Pick<SpendQuery, 'granularity' | 'tz'>): RollupLevel {
    if (q.tz !== 'UTC' || q.granularity === 'hour') return 'hour';
    return q.granularity === 'month' ? 'month' : 'day';
  }

  /** The spend query (rows ordered by period, then cost, then group keys); its parameters are pushed onto `params`. */
  private spendSql(q: Omit<SpendQuery, 'limit' | 'offset'>, params: unknown[]): string {
    const { sql: src, signed } = this.source(q, params, this.levelOf(q), true);
    const tz = params.push(q.tz);
    const gran = params.push(q.granularity);
    const groups = q.groupBy.map((k) => `${COLUMN[k]} AS "${k}"`);
    const groupCols = q.groupBy.map((k) => COLUMN[k]);
    return `SELECT (date_trunc($${gran}, hour AT TIME ZONE $${tz}) AT TIME ZONE $${tz}) AS period${groups.length ? ', ' + groups.join(', ') : ''}, ${metricsOn(q.costBasis)}
              FROM ${src}
             GROUP BY 1${groupCols.length ? ', ' + groupCols.join(', ') : ''}${signed ? `
             ${HAVING_REQUESTS}` : ''}
             ORDER BY 1, sum(${COST_COLUMN[q.costBasis ?? 'computed']}) DESC${groupCols.length ? ', ' + groupCols.join(', ') : ''}`;
  }

  async spend(orgId: string, q: SpendQuery) {
    const params: unknown[] = [orgId];
    const sql = this.spendSql(q, params);
    const limit = params.push(q.limit);
    const offset = params.push(q.offset);
    return this.prisma.tenantPg(orgId, async (c) => (await c.query(`${sql} LIMIT $${limit} OFFSET $${offset}`, params)).rows as Record<string, unknown>[]);
  }

  /**
   * Every row of the spend query, `batch` rows at a time through a server-side cursor, so an export of any
   * size holds one connection and one batch in memory. `onRows` may wait (the HTTP client reading slowly):
   * the next FETCH waits with it.
   */
  async spendInBatches(orgId: string, q: Omit<SpendQuery, 'limit' | 'offset'>, onRows: (rows: Record<string, unknown>[]) => Promise<void>, batch = 2_000): Promise<number> {
    const params: unknown[] = [orgId];
    const sql = this.spendSql(q, params);
    return this.prisma.tenantCursor(orgId, sql, params, onRows, batch);
  }

  async totals(orgId: string, q: Pick<SpendQuery, 'from' | 'to' | 'filters' | 'costBasis'>) {
    const params: unknown[] = [orgId];
    // No time bucket: whole months, and edges read as their period less the outside where that is cheaper.
    const { sql: src } = this.source(q, params, 'month', true);
    return this.prisma.tenantPg(orgId, async (c) => (await c.query(`SELECT ${metricsOn(q.costBasis)} FROM ${src}`, params)).rows[0] as Record<string, string | null>);
  }

  /** Totals grouped by one key over a window (summary: top workloads, models, providers, unit economics). */
  async by(orgId: string, key: GroupKey, from: Date, to: Date, filters: Partial<Record<GroupKey, string>> = {}) {
    const params: unknown[] = [orgId];
    // Never signed: min(provider) would see the subtracted rows' providers.
    const { sql: src } = this.source({ from, to, filters }, params, 'month');
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(`SELECT ${COLUMN[key]} AS key, min(provider) AS provider, ${METRICS} FROM ${src} GROUP BY 1 ORDER BY sum(cost_usd) DESC, 1`, params);
      return res.rows as ({ key: string; provider: string } & Record<string, string>)[];
    });
  }

  /** Latency histograms merged per workload x model (element-wise sums of the bucket arrays). */
  async latency(orgId: string, q: Pick<SpendQuery, 'from' | 'to' | 'filters'>) {
    const params: unknown[] = [orgId];
    const where = this.where(q, params);
    return this.prisma.tenantPg(orgId, async (c) => {
      const totals = await c.query(
        `SELECT workload, model_id AS model, sum(requests)::float8 AS requests, sum(errors)::float8 AS errors,
                sum(latency_count)::float8 AS "latencyCount", sum(latency_sum_ms)::float8 AS "latencySumMs"
           FROM usage_rollups_hourly WHERE ${where} GROUP BY 1, 2 ORDER BY 1, 2`,
        params,
      );
      const buckets = await c.query(
        `SELECT workload, model_id AS model, u.i::int AS i, sum(u.v)::float8 AS n
           FROM usage_rollups_hourly, unnest(latency_hist) WITH ORDINALITY AS u(v, i)
          WHERE ${where} GROUP BY 1, 2, 3`,
        params,
      );
      return { totals: totals.rows as { workload: string; model: string; requests: number; errors: number; latencyCount: number; latencySumMs: number }[], buckets: buckets.rows as { workload: string; model: string; i: number; n: number }[] };
    });
  }

  /** Daily cost series (UTC days) for forecasts and the workload profile. */
  async dailyCost(orgId: string, from: Date, to: Date, workload?: string) {
    const params: unknown[] = [orgId];
    const { sql: src } = this.source({ from, to, filters: workload ? { workload } : {} }, params, 'day');
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `SELECT to_char(date_trunc('day', hour AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS date, trim_scale(sum(cost_usd))::text AS "costUsd",
                sum(input_tokens)::float8 AS "inputTokens", sum(output_tokens)::float8 AS "outputTokens", sum(requests)::float8 AS requests
           FROM ${src} GROUP BY 1 ORDER BY 1`,
        params,
      );
      return res.rows as { date: string; costUsd: string; inputTokens: number; outputTokens: number; requests: number }[];
    });
  }

  /** Hourly token series of one workload (economics load profile). */
  async hourlyTokens(orgId: string, workload: string, from: Date, to: Date) {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `SELECT hour, sum(input_tokens)::float8 AS "inputTokens", sum(output_tokens)::float8 AS "outputTokens", sum(cached_input_tokens)::float8 AS "cachedInputTokens",
                sum(requests)::float8 AS requests, trim_scale(sum(cost_usd))::text AS "costUsd"
           FROM usage_rollups_hourly WHERE org_id = $1 AND workload = $2 AND hour >= $3 AND hour < $4 GROUP BY hour ORDER BY hour`,
        [orgId, workload, from, to],
      );
      return res.rows as { hour: Date; inputTokens: number; outputTokens: number; cachedInputTokens: number; requests: number; costUsd: string }[];
    });
  }
}

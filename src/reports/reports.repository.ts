import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import { OTHER_VALUE, type AttributionDim } from '../metering/attribution.js';
import { rollupPlan, type RollupLevel } from './rollup-plan.js';

/** The dimensions of the main rollups. */
export const GROUP_KEYS = ['project', 'workload', 'environment', 'provider', 'model', 'serviceTier'] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];
/** Report dimensions kept only in the attribution rollups (src/metering/attribution.ts), one at a time. */
export const ATTRIBUTION_KEYS = ['customer', 'endUser', 'tag'] as const;
export type AttributionKey = (typeof ATTRIBUTION_KEYS)[number];
/** The attribution rollup dim of each report dimension. */
export const DIM_OF: Record<AttributionKey, AttributionDim> = { customer: 'customer', endUser: 'end_user', tag: 'tag' };
/** Main-rollup dimensions the attribution rollups also carry (the others cannot be combined with an attribution key). */
export const ATTRIBUTION_COMPATIBLE = ['project', 'workload', 'provider'] as const;
export type AttributionFilterKey = (typeof ATTRIBUTION_COMPATIBLE)[number];
/** Every groupBy a spend report takes. */
export const REPORT_GROUP_KEYS = [...GROUP_KEYS, ...ATTRIBUTION_KEYS] as const;
export type ReportGroupKey = (typeof REPORT_GROUP_KEYS)[number];
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

  /**
   * Unit economics per (UTC period, workload), `limit` rows from `offset`, ordered by period then cost: cost,
   * requests and tokens from the main rollups (every event), and the distinct customer values the attribution
   * rollups hold for the period (OTHER_VALUE counts as one).
   */
  async unitEconomics(orgId: string, q: { from: Date; to: Date; granularity: 'day' | 'week' | 'month'; filters: Partial<Record<AttributionFilterKey, string>> }, limit: number, offset: number) {
    const params: unknown[] = [orgId];
    const { sql: src, signed } = this.source(q, params, q.granularity === 'month' ? 'month' : 'day', true);
    const active = attributionSource({ from: q.from, to: q.to, dim: 'customer', filters: q.filters }, params, 'day');
    const gran = params.push(q.granularity);
    const l = params.push(limit);
    const o = params.push(offset);
    const bucket = `date_trunc($${gran}, hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `WITH m AS (
           SELECT ${bucket} AS period, workload, sum(cost_usd) AS cost, sum(requests) AS requests, sum(input_tokens) AS input, sum(output_tokens) AS output
             FROM ${src} GROUP BY 1, 2${signed ? ` ${HAVING_REQUESTS}` : ''}
         ), a AS (
           SELECT ${bucket} AS period, workload, count(DISTINCT value)::int AS active FROM ${active} GROUP BY 1, 2
         )
         SELECT m.period, m.workload, trim_scale(m.cost)::text AS "costUsd", m.requests::text AS requests, m.input::text AS "inputTokens",
                m.output::text AS "outputTokens", coalesce(a.active, 0) AS "activeCustomers"
           FROM m LEFT JOIN a USING (period, workload)
          ORDER BY m.period, m.cost DESC, m.workload LIMIT $${l} OFFSET $${o}`,
        params,
      );
      return res.rows as { period: Date; workload: string; costUsd: string; requests: string; inputTokens: string; outputTokens: string; activeCustomers: number }[];
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

/** A report on the attribution rollups: one dim, optionally one value of it, and filters the rollups carry. */
export interface AttributionQuery {
  from: Date;
  to: Date;
  dim: AttributionDim;
  value?: string;
  filters: Partial<Record<AttributionFilterKey, string>>;
}

export interface AttributionSpendQuery extends AttributionQuery {
  granularity: Granularity;
  /** The attribution key the rows are grouped by (its column is named after it), if any. */
  groupByKey?: AttributionKey;
  groupBy: AttributionFilterKey[];
  tz: string;
  costBasis?: CostBasis;
}

const ATTRIBUTION_TABLES: Record<'hour' | 'day', { table: string; period: string }> = {
  hour: { table: 'usage_rollups_attribution_hourly', period: 'hour' },
  day: { table: 'usage_rollups_attribution_daily', period: 'day' },
};
const ATTRIBUTION_COLUMNS = 'value, project, workload, provider, requests, input_tokens, output_tokens, cost_usd, provider_basis_cost_usd';
/** The metrics the attribution rollups hold, as a report names them. */
export const ATTRIBUTION_METRICS = ['costUsd', 'requests', 'inputTokens', 'outputTokens'] as const;
const attributionMetricsOn = (basis: CostBasis = 'computed') =>
  `coalesce(trim_scale(sum(${COST_COLUMN[basis]})), 0)::text AS "costUsd", coalesce(sum(requests), 0)::text AS requests,
   coalesce(sum(input_tokens), 0)::text AS "inputTokens", coalesce(sum(output_tokens), 0)::text AS "outputTokens"`;

/**
 * The attribution rows of a window as a subquery with an `hour` column: whole UTC days from the daily table,
 * ragged hours from the hourly one (at `level` hour, hours only). Never a day less its outside hours (the
 * complement the main reports use): a day is capped on its own, so a value named in an hour may sit in
 * OTHER_VALUE for the day, and subtracting would leave it negative. Uses both tables' primary keys
 * (org_id, hour|day, dim, value, ...).
 */
export function attributionSource(q: AttributionQuery, params: unknown[], level: 'hour' | 'day'): string {
  const conds = [`dim = $${params.push(q.dim)}`];
  if (q.value !== undefined) conds.push(`value = $${params.push(q.value)}`);
  for (const k of ATTRIBUTION_COMPATIBLE) if (q.filters[k] !== undefined) conds.push(`${k} = $${params.push(q.filters[k])}`);
  const and = conds.join(' AND ');
  const pieces = rollupPlan(q.from, q.to, level);
  if (!pieces.length) return `(SELECT NULL::timestamptz AS hour, ${ATTRIBUTION_COLUMNS} FROM usage_rollups_attribution_hourly WHERE false) r`;
  const selects: string[] = [];
  for (const lvl of ['hour', 'day'] as const) {
    const { table, period } = ATTRIBUTION_TABLES[lvl];
    const ranges = pieces.filter((p) => p.level === lvl).map((p) => `(${period} >= $${params.push(new Date(p.from))} AND ${period} < $${params.push(new Date(p.to))})`);
    if (ranges.length) selects.push(`SELECT ${period} AS hour, ${ATTRIBUTION_COLUMNS} FROM ${table} WHERE org_id = $1 AND (${ranges.join(' OR ')}) AND ${and}`);
  }
  return `(${selects.join('\n      UNION ALL ')}) r`;
}

/** Reports on the attribution rollups (customer, end user, tag). */
@Injectable()
export class AttributionReportsRepository {
  constructor(private readonly prisma: PrismaService) {}

  private spendSql(q: AttributionSpendQuery, params: unknown[]): string {
    const level = q.tz !== 'UTC' || q.granularity === 'hour' ? 'hour' : 'day';
    const src = attributionSource(q, params, level);
    const tz = params.push(q.tz);
    const gran = params.push(q.granularity);
    const groups = [...(q.groupByKey ? [`value AS "${q.groupByKey}"`] : []), ...q.groupBy.map((k) => `${k} AS "${k}"`)];
    const groupCols = [...(q.groupByKey ? ['value'] : []), ...q.groupBy];
    return `SELECT (date_trunc($${gran}, hour AT TIME ZONE $${tz}) AT TIME ZONE $${tz}) AS period${groups.length ? ', ' + groups.join(', ') : ''}, ${attributionMetricsOn(q.costBasis)}
              FROM ${src}
             GROUP BY 1${groupCols.length ? ', ' + groupCols.join(', ') : ''}
             ORDER BY 1, sum(${COST_COLUMN[q.costBasis ?? 'computed']}) DESC${groupCols.length ? ', ' + groupCols.join(', ') : ''}`;
  }

  async spend(orgId: string, q: AttributionSpendQuery, limit: number, offset: number) {
    const params: unknown[] = [orgId];
    const sql = this.spendSql(q, params);
    const l = params.push(limit);
    const o = params.push(offset);
    return this.prisma.tenantPg(orgId, async (c) => (await c.query(`${sql} LIMIT $${l} OFFSET $${o}`, params)).rows as Record<string, unknown>[]);
  }

  /** Every row of the attribution spend query, `batch` at a time through a server-side cursor (CSV exports). */
  async spendInBatches(orgId: string, q: AttributionSpendQuery, onRows: (rows: Record<string, unknown>[]) => Promise<void>, batch = 2_000): Promise<number> {
    const params: unknown[] = [orgId];
    return this.prisma.tenantCursor(orgId, this.spendSql(q, params), params, onRows, batch);
  }

  async totals(orgId: string, q: AttributionQuery, costBasis?: CostBasis) {
    const params: unknown[] = [orgId];
    const src = attributionSource(q, params, 'day');
    return this.prisma.tenantPg(orgId, async (c) => (await c.query(`SELECT ${attributionMetricsOn(costBasis)} FROM ${src}`, params)).rows[0] as Record<string, string>);
  }

  /** Cost, requests and tokens per value of a dim over a window, costliest first (ties: value), `limit` rows from `offset`. */
  async by(orgId: string, q: AttributionQuery, limit = 1_000_000, offset = 0) {
    const params: unknown[] = [orgId];
    const src = attributionSource(q, params, 'day');
    const l = params.push(limit);
    const o = params.push(offset);
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(`SELECT value, ${attributionMetricsOn()} FROM ${src} GROUP BY value ORDER BY sum(cost_usd) DESC, value COLLATE "C" LIMIT $${l} OFFSET $${o}`, params);
      return res.rows as { value: string; costUsd: string; requests: string; inputTokens: string; outputTokens: string }[];
    });
  }

  /**
   * The customers report's page: each value of `current` (costliest first, ties by value) with its cost and
   * requests, and its cost in `previous` (null when it had none there).
   */
  async ranking(orgId: string, current: AttributionQuery, previous: AttributionQuery, limit: number, offset: number) {
    const params: unknown[] = [orgId];
    const cur = attributionSource(current, params, 'day');
    const prev = attributionSource(previous, params, 'day');
    const l = params.push(limit);
    const o = params.push(offset);
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `WITH cur AS (SELECT value, sum(cost_usd) AS cost, sum(requests) AS requests FROM ${cur} GROUP BY value),
              prev AS (SELECT value, sum(cost_usd) AS cost FROM ${prev} WHERE value IN (SELECT value FROM cur) GROUP BY value)
         SELECT cur.value, trim_scale(cur.cost)::text AS "costUsd", cur.requests::text AS requests, trim_scale(prev.cost)::text AS "previousCostUsd"
           FROM cur LEFT JOIN prev USING (value)
          ORDER BY cur.cost DESC, cur.value COLLATE "C" LIMIT $${l} OFFSET $${o}`,
        params,
      );
      return res.rows as { value: string; costUsd: string; requests: string; previousCostUsd: string | null }[];
    });
  }

  /** A window's totals over a dim: named values, their cost and requests, the top `top` named values' cost, and OTHER_VALUE's cost. */
  async rankingTotals(orgId: string, q: AttributionQuery, top: number) {
    const params: unknown[] = [orgId];
    const src = attributionSource(q, params, 'day');
    const t = params.push(top);
    const other = params.push(OTHER_VALUE);
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `WITH cur AS (SELECT value, sum(cost_usd) AS cost, sum(requests) AS requests FROM ${src} GROUP BY value),
              named AS (SELECT cost, row_number() OVER (ORDER BY cost DESC, value COLLATE "C") AS rank FROM cur WHERE value <> $${other})
         SELECT (SELECT count(*) FROM named)::int AS named,
                (SELECT coalesce(trim_scale(sum(cost)), 0)::text FROM cur) AS "costUsd",
                (SELECT coalesce(sum(requests), 0)::text FROM cur) AS requests,
                (SELECT coalesce(trim_scale(sum(cost)), 0)::text FROM named WHERE rank <= $${t}) AS "topCostUsd",
                (SELECT trim_scale(cost)::text FROM cur WHERE value = $${other}) AS "otherCostUsd"`,
        params,
      );
      return res.rows[0] as { named: number; costUsd: string; requests: string; topCostUsd: string; otherCostUsd: string | null };
    });
  }
}

import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

export const SCOPE_KINDS = ['workload', 'customer', 'provider'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];
export type Direction = 'above' | 'below';

/** One scope's spend on one UTC day (USD, decimal string). */
export interface ScopeDay {
  kind: ScopeKind;
  value: string;
  day: string;
  costUsd: string;
}

/** A contributor's spend on one UTC day: a model, a customer or a workload inside the anomalous scope. */
export interface ContributorDay {
  dim: 'model' | 'customer' | 'workload';
  value: string;
  day: string;
  costUsd: string;
}

export interface NewAnomaly {
  day: string;
  scopeKind: ScopeKind;
  scopeValue: string;
  observedUsd: string;
  expectedUsd: string;
  lowerUsd: string;
  upperUsd: string;
  direction: Direction;
  partialDay: boolean;
  details: Record<string, unknown>;
}

export interface AnomalyRow extends NewAnomaly {
  id: string;
  createdAt: Date;
  notifiedAt: Date | null;
}

/** The attribution bucket past the per-day cap of distinct customers (src/metering/attribution.ts): no one's spend. */
const OTHER_BUCKET = '(other)';

const COLUMNS = `id, to_char(day, 'YYYY-MM-DD') AS day, scope_kind AS "scopeKind", scope_value AS "scopeValue",
  trim_scale(observed_usd)::text AS "observedUsd", trim_scale(expected_usd)::text AS "expectedUsd",
  trim_scale(lower_usd)::text AS "lowerUsd", trim_scale(upper_usd)::text AS "upperUsd", direction,
  partial_day AS "partialDay", details, created_at AS "createdAt", notified_at AS "notifiedAt"`;

const UTC_DAY = `to_char(day AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;

@Injectable()
export class AnomaliesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Daily spend of every workload, provider and customer of the org in [from, to) (UTC days). Reads the daily
   * rollups' primary keys (org_id, day, ...) of usage_rollups_daily and usage_rollups_attribution_daily.
   */
  /**
   * The UTC days (ms) in [from, to) with an hour rolled up after `since`, each with its latest rollup: the days a
   * backfill or a late batch is still changing. Reads the hourly rollups' primary key range of the org.
   */
  async recomputedDays(orgId: string, from: Date, to: Date, since: Date): Promise<{ day: number; last: Date }[]> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query<{ day: string; last: Date }>(
        `SELECT (extract(epoch FROM date_trunc('day', hour AT TIME ZONE 'UTC')) * 1000)::bigint::text AS day, max(computed_at) AS last
           FROM usage_rollups_hourly WHERE org_id = $1 AND hour >= $2 AND hour < $3 AND computed_at > $4 GROUP BY 1`,
        [orgId, from, to, since],
      );
      return res.rows.map((r) => ({ day: Number(r.day), last: r.last }));
    });
  }

  async dailySpend(orgId: string, from: Date, to: Date): Promise<ScopeDay[]> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `SELECT 'workload' AS kind, workload AS value, ${UTC_DAY} AS day, trim_scale(sum(cost_usd))::text AS "costUsd"
           FROM usage_rollups_daily WHERE org_id = $1 AND day >= $2 AND day < $3 AND workload <> '' GROUP BY workload, day
         UNION ALL
         SELECT 'provider', provider, ${UTC_DAY}, trim_scale(sum(cost_usd))::text
           FROM usage_rollups_daily WHERE org_id = $1 AND day >= $2 AND day < $3 AND provider <> '' GROUP BY provider, day
         UNION ALL
         SELECT 'customer', value, ${UTC_DAY}, trim_scale(sum(cost_usd))::text
           FROM usage_rollups_attribution_daily WHERE org_id = $1 AND day >= $2 AND day < $3 AND dim = 'customer' AND value <> $4 GROUP BY value, day`,
        [orgId, from, to, OTHER_BUCKET],
      );
      return res.rows as ScopeDay[];
    });
  }

  /**
   * What the scope's spend was made of, per day in [from, to): models and customers of a workload or provider
   * (plus the workloads of a provider); workloads of a customer from the attribution rollups, and its models
   * from the raw events of `modelsFrom` onwards only (the attribution rollups carry no model; index
   * usage_events (org_id, ts)). Runs only when an anomaly is raised.
   */
  async contributors(orgId: string, kind: ScopeKind, value: string, from: Date, to: Date, modelsFrom: Date): Promise<ContributorDay[]> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const q = (sql: string, params: unknown[]) => c.query(sql, params).then((r) => r.rows as ContributorDay[]);
      if (kind === 'customer') {
        return [
          ...(await q(
            `SELECT 'workload' AS dim, workload AS value, ${UTC_DAY} AS day, trim_scale(sum(cost_usd))::text AS "costUsd"
               FROM usage_rollups_attribution_daily WHERE org_id = $1 AND day >= $2 AND day < $3 AND dim = 'customer' AND value = $4 GROUP BY workload, day`,
            [orgId, from, to, value],
          )),
          ...(await q(
            `SELECT 'model' AS dim, model_id AS value, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, trim_scale(sum(coalesce(cost_usd, 0)))::text AS "costUsd"
               FROM usage_events WHERE org_id = $1 AND ts >= $2 AND ts < $3 AND customer = $4 GROUP BY 2, 3`,
            [orgId, modelsFrom, to, value],
          )),
        ];
      }
      const column = kind === 'workload' ? 'workload' : 'provider';
      const rows = [
        ...(await q(
          `SELECT 'model' AS dim, model_id AS value, ${UTC_DAY} AS day, trim_scale(sum(cost_usd))::text AS "costUsd"
             FROM usage_rollups_daily WHERE org_id = $1 AND day >= $2 AND day < $3 AND ${column} = $4 GROUP BY model_id, day`,
          [orgId, from, to, value],
        )),
        ...(await q(
          `SELECT 'customer' AS dim, value, ${UTC_DAY} AS day, trim_scale(sum(cost_usd))::text AS "costUsd"
             FROM usage_rollups_attribution_daily WHERE org_id = $1 AND day >= $2 AND day < $3 AND dim = 'customer' AND ${column} = $4 AND value <> $5 GROUP BY value, day`,
          [orgId, from, to, value, OTHER_BUCKET],
        )),
      ];
      if (kind === 'provider') {
        rows.push(
          ...(await q(
            `SELECT 'workload' AS dim, workload AS value, ${UTC_DAY} AS day, trim_scale(sum(cost_usd))::text AS "costUsd"
               FROM usage_rollups_daily WHERE org_id = $1 AND day >= $2 AND day < $3 AND provider = $4 GROUP BY workload, day`,
            [orgId, from, to, value],
          )),
        );
      }
      return rows;
    });
  }

  /** `kind value day` of the anomalies already raised on days in [from, to]: they are never checked again. */
  async raisedKeys(orgId: string, from: string, to: string): Promise<Set<string>> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `SELECT scope_kind, scope_value, to_char(day, 'YYYY-MM-DD') AS day FROM anomalies WHERE org_id = $1 AND day >= $2::date AND day <= $3::date`,
        [orgId, from, to],
      );
      return new Set(res.rows.map((r) => raisedKey(r.scope_kind, r.scope_value, r.day)));
    });
  }

  /** Records the anomaly unless one exists for (org, day, scope) (the anomalies_once key); true when this call inserted it. */
  async record(orgId: string, a: NewAnomaly): Promise<boolean> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `INSERT INTO anomalies (org_id, day, scope_kind, scope_value, observed_usd, expected_usd, lower_usd, upper_usd, direction, partial_day, details)
         VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (org_id, day, scope_kind, scope_value) DO NOTHING`,
        [orgId, a.day, a.scopeKind, a.scopeValue, a.observedUsd, a.expectedUsd, a.lowerUsd, a.upperUsd, a.direction, a.partialDay, JSON.stringify(a.details)],
      );
      return res.rowCount === 1;
    });
  }

  /** Anomalies whose webhooks were never recorded (just raised, or a crash between the two writes), oldest first. */
  async unnotified(orgId: string, limit: number): Promise<AnomalyRow[]> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(`SELECT ${COLUMNS} FROM anomalies WHERE org_id = $1 AND notified_at IS NULL ORDER BY created_at, id LIMIT $2`, [orgId, limit]);
      return res.rows as AnomalyRow[];
    });
  }

  async markNotified(orgId: string, id: string): Promise<void> {
    await this.prisma.tenantPg(orgId, (c) => c.query(`UPDATE anomalies SET notified_at = now() WHERE org_id = $1 AND id = $2 AND notified_at IS NULL`, [orgId, id]));
  }

  /**
   * Newest first by (created_at, id), after `before` when given; `createdFrom`/`createdTo` bound created_at,
   * `dayFrom`/`dayTo` the checked day's UTC midnight ([from, to)). Uses anomalies_org_created_idx (org_id, created_at).
   */
  async list(
    orgId: string,
    q: { limit: number; before?: { at: string; id: string }; createdFrom?: Date; createdTo?: Date; dayFrom?: Date; dayTo?: Date; scopeKind?: ScopeKind },
  ): Promise<AnomalyRow[]> {
    const where = ['org_id = $1'];
    const params: unknown[] = [orgId];
    const add = (sql: (p: string) => string, v: unknown) => {
      params.push(v);
      where.push(sql(`$${params.length}`));
    };
    if (q.before) {
      add((p) => `(created_at, id) < (${p}::timestamptz`, q.before.at);
      params.push(q.before.id);
      where[where.length - 1] += `, $${params.length}::uuid)`;
    }
    if (q.createdFrom) add((p) => `created_at >= ${p}`, q.createdFrom);
    if (q.createdTo) add((p) => `created_at < ${p}`, q.createdTo);
    if (q.dayFrom) add((p) => `(day::timestamp AT TIME ZONE 'UTC') >= ${p}`, q.dayFrom);
    if (q.dayTo) add((p) => `(day::timestamp AT TIME ZONE 'UTC') < ${p}`, q.dayTo);
    if (q.scopeKind) add((p) => `scope_kind = ${p}`, q.scopeKind);
    params.push(q.limit);
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(`SELECT ${COLUMNS} FROM anomalies WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`, params);
      return res.rows as AnomalyRow[];
    });
  }
}

export function raisedKey(kind: string, value: string, day: string): string {
  return `${kind}\u0000${value}\u0000${day}`;
}

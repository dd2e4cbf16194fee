import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** Metered tokens and cost of one (day, provider, project, model, tier), from the daily rollups. */
export interface MeteredRow {
  day: string;
  provider: string;
  project: string;
  model: string;
  tier: string;
  costUsd: string;
  requests: string;
  unpricedTokens: string;
  inputTokens: string;
  cachedInputTokens: string;
  cacheWriteTokens: string;
  cacheWrite1hTokens: string;
  outputTokens: string;
}

/** Billed USD of one (day, provider, project, model, tier, cost type, token type), from provider cost lines. */
export interface CostRow {
  day: string;
  provider: string;
  project: string;
  model: string;
  modelId: string;
  tier: string;
  costType: string;
  tokenType: string;
  lineItem: string;
  amountUsd: string;
}

/** Tokens the provider counted in one (day, provider, project, model, tier), from provider usage lines. */
export interface UsageRow {
  day: string;
  provider: string;
  project: string;
  model: string;
  modelId: string;
  tier: string;
  inputTokens: string;
  cachedInputTokens: string;
  cacheWriteTokens: string;
  cacheWrite1hTokens: string;
  outputTokens: string;
}

export interface AlertRow {
  id: string;
  provider: string;
  day: string;
  meteredCostUsd: string;
  billedCostUsd: string;
  deltaUsd: string;
  deltaPercent: string | null;
  coverage: string | null;
  reasons: string[];
  createdAt: Date;
  notifiedAt: Date | null;
  created: boolean;
}

/** Drift thresholds as stored in org_settings.reconciliation (any key may be absent). */
export type StoredThresholds = Partial<{ driftPercent: number; driftMinUsd: string; minCoverage: number }>;

const ALERT_SELECT = `SELECT id, provider, to_char(day, 'YYYY-MM-DD') AS day, trim_scale(metered_cost_usd)::text AS "meteredCostUsd",
  trim_scale(billed_cost_usd)::text AS "billedCostUsd", trim_scale(delta_usd)::text AS "deltaUsd", trim_scale(delta_percent)::text AS "deltaPercent",
  trim_scale(coverage)::text AS coverage, reasons, created_at AS "createdAt", notified_at AS "notifiedAt"`;

/**
 * Reads both sides of a reconciliation and keeps its alerts. Every query filters on org_id and a day range:
 * usage_rollups_daily_pkey (org_id, day, ...), provider_cost_lines_org_id_day_idx,
 * provider_usage_lines_org_id_bucket_start_idx, reconciliation_alerts_org_id_provider_day_key.
 */
@Injectable()
export class ReconciliationRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Metered side over UTC days [from, to), optionally one provider. */
  metered(orgId: string, from: Date, to: Date, provider?: string): Promise<MeteredRow[]> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `SELECT to_char(day AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, provider, project, model_id AS model, service_tier AS tier,
                sum(cost_usd)::text AS "costUsd", sum(requests)::text AS requests, sum(unpriced_tokens)::text AS "unpricedTokens",
                sum(input_tokens)::text AS "inputTokens", sum(cached_input_tokens)::text AS "cachedInputTokens",
                sum(cache_write_tokens)::text AS "cacheWriteTokens", sum(cache_write_1h_tokens)::text AS "cacheWrite1hTokens",
                sum(output_tokens)::text AS "outputTokens"
           FROM usage_rollups_daily
          WHERE org_id = $1 AND day >= $2 AND day < $3 AND ($4::text IS NULL OR provider = $4)
          GROUP BY 1, 2, 3, 4, 5`,
        [orgId, from, to, provider ?? null],
      );
      return res.rows as MeteredRow[];
    });
  }

  /** Billed amounts (USD lines only) over provider UTC days [from, to). */
  costs(orgId: string, from: Date, to: Date, provider?: string): Promise<CostRow[]> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, provider, project, model, model_id AS "modelId", service_tier AS tier,
                cost_type AS "costType", token_type AS "tokenType", min(line_item) AS "lineItem", sum(amount_usd)::text AS "amountUsd"
           FROM provider_cost_lines
          WHERE org_id = $1 AND day >= $2::date AND day < $3::date AND currency = 'USD' AND ($4::text IS NULL OR provider = $4)
          GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
        [orgId, from.toISOString().slice(0, 10), to.toISOString().slice(0, 10), provider ?? null],
      );
      return res.rows as CostRow[];
    });
  }

  /**
   * Provider-counted tokens per UTC day over [from, to). Where a connector stored a day both as hourly
   * (partial, while the day was current) and daily buckets, the daily bucket is read alone.
   */
  usage(orgId: string, from: Date, to: Date, provider?: string): Promise<UsageRow[]> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `SELECT to_char(u.bucket_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, u.provider, u.project, u.model, u.model_id AS "modelId", u.service_tier AS tier,
                sum(u.input_tokens)::text AS "inputTokens", sum(u.cached_input_tokens)::text AS "cachedInputTokens",
                sum(u.cache_write_tokens)::text AS "cacheWriteTokens", sum(u.cache_write_1h_tokens)::text AS "cacheWrite1hTokens",
                sum(u.output_tokens)::text AS "outputTokens"
           FROM provider_usage_lines u
          WHERE u.org_id = $1 AND u.bucket_start >= $2 AND u.bucket_start < $3 AND ($4::text IS NULL OR u.provider = $4)
            AND (u.bucket_width = '1d' OR NOT EXISTS (
                  SELECT 1 FROM provider_usage_lines d
                   WHERE d.org_id = u.org_id AND d.connector_id = u.connector_id AND d.bucket_width = '1d'
                     AND d.bucket_start = date_trunc('day', u.bucket_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'))
          GROUP BY 1, 2, 3, 4, 5, 6`,
        [orgId, from, to, provider ?? null],
      );
      return res.rows as UsageRow[];
    });
  }

  /**
   * Records the drift alert of (provider, day) once, ever; returns it either way (`created` says which), with
   * `notifiedAt` null until its webhooks were recorded. An existing alert is read, never rewritten.
   */
  async recordAlert(orgId: string, a: { provider: string; day: string; meteredCostUsd: string; billedCostUsd: string; deltaUsd: string; deltaPercent: number | null; coverage: number | null; reasons: string[] }): Promise<AlertRow> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `WITH ins AS (
           INSERT INTO reconciliation_alerts (org_id, provider, day, metered_cost_usd, billed_cost_usd, delta_usd, delta_percent, coverage, reasons)
           VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (org_id, provider, day) DO NOTHING
           RETURNING *)
         ${ALERT_SELECT}, true AS created FROM ins
         UNION ALL
         ${ALERT_SELECT}, false AS created FROM reconciliation_alerts WHERE org_id = $1 AND provider = $2 AND day = $3::date AND NOT EXISTS (SELECT 1 FROM ins)`,
        [orgId, a.provider, a.day, a.meteredCostUsd, a.billedCostUsd, a.deltaUsd, a.deltaPercent, a.coverage, a.reasons],
      );
      // A concurrent evaluation inserted it after this statement's snapshot: read it again, now committed.
      const row = res.rows[0] ?? (await c.query(`${ALERT_SELECT}, false AS created FROM reconciliation_alerts WHERE org_id = $1 AND provider = $2 AND day = $3::date`, [orgId, a.provider, a.day])).rows[0];
      return row as AlertRow;
    });
  }

  async markAlertNotified(orgId: string, id: string): Promise<void> {
    await this.prisma.tenantPg(orgId, (c) => c.query(`UPDATE reconciliation_alerts SET notified_at = now() WHERE org_id = $1 AND id = $2 AND notified_at IS NULL`, [orgId, id]));
  }

  /** Alerts newest first; `after` is the last row of the previous page (created_at, id). */
  alerts(orgId: string, limit: number, after?: { at: string; id: string }): Promise<AlertRow[]> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `${ALERT_SELECT}, false AS created FROM reconciliation_alerts
          WHERE org_id = $1 AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
          ORDER BY created_at DESC, id DESC LIMIT $2`,
        [orgId, limit, after?.at ?? null, after?.id ?? null],
      );
      return res.rows as AlertRow[];
    });
  }
}

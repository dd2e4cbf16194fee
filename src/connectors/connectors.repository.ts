import { Injectable } from '@nestjs/common';
import type { CostLine, UsageLine } from '../domain/connectors/provider-lines.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';

export interface RunProgress {
  phase: 'queued' | 'costs' | 'usage' | 'storing' | 'done';
  costPages: number;
  usagePages: number;
  skippedRows: number;
  skippedReasons: string[];
  rateLimited: number;
  serverErrors: number;
  networkErrors: number;
}

/** Connectors, their runs and the provider lines: the only SQL of the feature. */
@Injectable()
export class ConnectorsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(orgId: string, data: { id: string; provider: string; name: string; keyId: string; sealed: Buffer; baseUrl: string | null; createdBy: string | null }) {
    return this.prisma.tenant(orgId, (tx) => tx.connector.create({ data: { orgId, ...data, sealed: new Uint8Array(data.sealed) } }));
  }

  /** Newest first, keyset on (created_at, id). */
  list(orgId: string, limit: number, after: { at: string; id: string } | undefined) {
    return this.prisma.tenant(orgId, (tx) =>
      tx.connector.findMany({
        where: { orgId, ...(after ? { OR: [{ createdAt: { lt: new Date(after.at) } }, { createdAt: new Date(after.at), id: { lt: after.id } }] } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
      }),
    );
  }

  find(orgId: string, id: string) {
    return this.prisma.tenant(orgId, (tx) => tx.connector.findUnique({ where: { orgId_id: { orgId, id } } }));
  }

  /** Deletes the connector; its runs and provider lines go with it (ON DELETE CASCADE). */
  async delete(orgId: string, id: string): Promise<boolean> {
    return this.prisma.tenant(orgId, async (tx) => (await tx.connector.deleteMany({ where: { orgId, id } })).count === 1);
  }

  /** Re-seals under the current key, only if the row is still sealed as it was read (a concurrent re-seal wins). */
  async reseal(orgId: string, id: string, fromKeyId: string, to: { keyId: string; sealed: Buffer }): Promise<boolean> {
    return this.prisma.tenant(
      orgId,
      async (tx) => (await tx.connector.updateMany({ where: { orgId, id, keyId: fromKeyId }, data: { keyId: to.keyId, sealed: new Uint8Array(to.sealed) } })).count === 1,
    );
  }

  async recordOutcome(orgId: string, id: string, data: { lastSyncedAt?: Date; lastError: string | null; finalBefore?: Date }): Promise<void> {
    await this.prisma.tenant(orgId, (tx) => tx.connector.updateMany({ where: { orgId, id }, data }));
  }

  /** What is stored for a connector: line counts, billed USD and the days covered. Uses the lines' primary keys (org, connector, …). */
  async stored(orgId: string, connectorId: string): Promise<{ costLines: number; usageLines: number; billedUsd: string; firstDay: string | null; lastDay: string | null }> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const r = await c.query(
        `SELECT (SELECT count(*)::int FROM provider_cost_lines WHERE org_id = $1 AND connector_id = $2) AS "costLines",
                (SELECT count(*)::int FROM provider_usage_lines WHERE org_id = $1 AND connector_id = $2) AS "usageLines",
                (SELECT coalesce(trim_scale(sum(amount_usd)), 0)::text FROM provider_cost_lines WHERE org_id = $1 AND connector_id = $2) AS "billedUsd",
                (SELECT min(day)::text FROM provider_cost_lines WHERE org_id = $1 AND connector_id = $2) AS "firstDay",
                (SELECT max(day)::text FROM provider_cost_lines WHERE org_id = $1 AND connector_id = $2) AS "lastDay"`,
        [orgId, connectorId],
      );
      return r.rows[0];
    });
  }

  createRun(orgId: string, connectorId: string, trigger: 'manual' | 'daily' | 'hourly', fromDay: string, toDay: string) {
    return this.prisma.tenant(orgId, (tx) =>
      tx.connectorRun.create({ data: { orgId, connectorId, trigger, fromDay: new Date(`${fromDay}T00:00:00Z`), toDay: new Date(`${toDay}T00:00:00Z`), status: 'queued', progress: emptyProgress() as object } }),
    );
  }

  findRun(orgId: string, connectorId: string, runId: string) {
    return this.prisma.tenant(orgId, (tx) => tx.connectorRun.findFirst({ where: { orgId, id: runId, connectorId } }));
  }

  /** Newest first, keyset on (created_at, id); uses connector_runs_org_id_connector_id_created_at_idx. */
  listRuns(orgId: string, connectorId: string, limit: number, after: { at: string; id: string } | undefined) {
    return this.prisma.tenant(orgId, (tx) =>
      tx.connectorRun.findMany({
        where: { orgId, connectorId, ...(after ? { OR: [{ createdAt: { lt: new Date(after.at) } }, { createdAt: new Date(after.at), id: { lt: after.id } }] } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
      }),
    );
  }

  /** A run of this trigger that has not finished (scheduled fan-outs do not stack runs behind a slow one). */
  async hasOpenRun(orgId: string, connectorId: string, trigger: string, since: Date): Promise<boolean> {
    return this.prisma.tenant(orgId, async (tx) => (await tx.connectorRun.count({ where: { orgId, connectorId, trigger, status: { in: ['queued', 'running'] }, createdAt: { gte: since } } })) > 0);
  }

  async updateRun(
    orgId: string,
    runId: string,
    data: { status?: string; pages?: number; costLines?: number; usageLines?: number; retries?: number; progress?: RunProgress; error?: string | null; startedAt?: Date; finishedAt?: Date | null },
  ): Promise<void> {
    await this.prisma.tenant(orgId, (tx) => tx.connectorRun.updateMany({ where: { orgId, id: runId }, data: { ...data, progress: data.progress as object | undefined } }));
  }

  /**
   * Replaces the connector's lines of [fromDay, toDay) in ONE transaction: the old lines of the range go,
   * the new ones come, so a re-sync never counts anything twice and a reader never sees half a range.
   * A transaction-scoped advisory lock per connector serializes overlapping replaces.
   * Deletes use the primary keys (org_id, connector_id, day | bucket_start, …).
   */
  async replaceLines(orgId: string, connectorId: string, fromDay: string, toDay: string, cost: CostLine[], usage: UsageLine[]): Promise<void> {
    const from = `${fromDay}T00:00:00Z`;
    const to = `${toDay}T00:00:00Z`;
    await this.prisma.tenantPg(orgId, async (c) => {
      await c.query(`SELECT pg_advisory_xact_lock(hashtext('connector-lines:' || $1))`, [connectorId]);
      await c.query(`DELETE FROM provider_cost_lines WHERE org_id = $1 AND connector_id = $2 AND day >= $3::date AND day < $4::date`, [orgId, connectorId, fromDay, toDay]);
      await c.query(`DELETE FROM provider_usage_lines WHERE org_id = $1 AND connector_id = $2 AND bucket_start >= $3 AND bucket_start < $4`, [orgId, connectorId, from, to]);
      for (let i = 0; i < cost.length; i += 5_000) {
        const b = cost.slice(i, i + 5_000);
        await c.query(
          `INSERT INTO provider_cost_lines (org_id, connector_id, day, line_key, provider, project, model, model_id, line_item, service_tier, cost_type, token_type, amount_usd, currency)
           SELECT $1::uuid, $2::uuid, u.day, u.line_key, u.provider, u.project, u.model, u.model_id, u.line_item, u.service_tier, u.cost_type, u.token_type, u.amount_usd, u.currency
             FROM unnest($3::date[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::numeric[], $14::text[])
                  AS u(day, line_key, provider, project, model, model_id, line_item, service_tier, cost_type, token_type, amount_usd, currency)`,
          [
            orgId,
            connectorId,
            b.map((l) => l.day),
            b.map((l) => l.lineKey),
            b.map((l) => l.provider),
            b.map((l) => l.project),
            b.map((l) => l.model),
            b.map((l) => l.modelId),
            b.map((l) => l.lineItem),
            b.map((l) => l.serviceTier),
            b.map((l) => l.costType),
            b.map((l) => l.tokenType),
            b.map((l) => l.amountUsd.toFixed()),
            b.map((l) => l.currency),
          ],
        );
      }
      for (let i = 0; i < usage.length; i += 5_000) {
        const b = usage.slice(i, i + 5_000);
        await c.query(
          `INSERT INTO provider_usage_lines (org_id, connector_id, bucket_start, bucket_width, line_key, provider, project, model, model_id, service_tier, requests,
                                             input_tokens, cached_input_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, audio_input_tokens, audio_output_tokens)
           SELECT $1::uuid, $2::uuid, u.* FROM unnest($3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[],
                                          $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[], $18::bigint[]) AS u`,
          [
            orgId,
            connectorId,
            b.map((l) => l.bucketStart),
            b.map((l) => l.bucketWidth),
            b.map((l) => l.lineKey),
            b.map((l) => l.provider),
            b.map((l) => l.project),
            b.map((l) => l.model),
            b.map((l) => l.modelId),
            b.map((l) => l.serviceTier),
            b.map((l) => String(l.requests)),
            b.map((l) => String(l.inputTokens)),
            b.map((l) => String(l.cachedInputTokens)),
            b.map((l) => String(l.cacheWriteTokens)),
            b.map((l) => String(l.cacheWrite1hTokens)),
            b.map((l) => String(l.outputTokens)),
            b.map((l) => String(l.audioInputTokens)),
            b.map((l) => String(l.audioOutputTokens)),
          ],
        );
      }
    });
  }

  /** Every org's connectors, through the scheduler's cross-tenant function (ids only). */
  /** Every connector of the org with when it last synced and the first day not final yet (at most 1,000, oldest first). */
  async syncStatus(orgId: string): Promise<{ id: string; name: string; provider: string; lastSyncedAt: Date | null; finalBefore: string | null }[]> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `SELECT id, name, provider, last_synced_at AS "lastSyncedAt", to_char(final_before, 'YYYY-MM-DD') AS "finalBefore"
           FROM connectors WHERE org_id = $1 ORDER BY provider, name LIMIT 1000`,
        [orgId],
      );
      return res.rows;
    });
  }

  async allConnectors(): Promise<{ orgId: string; id: string; provider: string; finalBefore: string | null }[]> {
    const r = await this.prisma.pool.query(`SELECT org_id, id, provider, final_before::text AS final_before FROM crossover_list_connectors()`);
    return r.rows.map((x) => ({ orgId: x.org_id, id: x.id, provider: x.provider, finalBefore: x.final_before }));
  }
}

export function emptyProgress(): RunProgress {
  return { phase: 'queued', costPages: 0, usagePages: 0, skippedRows: 0, skippedReasons: [], rateLimited: 0, serverErrors: 0, networkErrors: 0 };
}

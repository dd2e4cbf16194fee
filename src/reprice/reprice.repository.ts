import { Injectable } from '@nestjs/common';
import type { TokenCounts } from '../domain/pricing/usage.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import { MeteringOutbox } from '../metering/outbox.js';
import type { ServiceTier } from '../domain/pricing/price.js';

/** A stored event as re-pricing reads it; class counts stored as NULL (events before they existed, or none reported) read as 0. */
export interface RepriceRow extends TokenCounts {
  eventId: string;
  ts: Date;
  provider: string;
  model: string;
  modelId: string;
  requests: number;
  serviceTier: ServiceTier;
  costUsd: string | null;
  unpriced: boolean;
  priceVersionId: string | null;
}

/** Re-pricing reads events in pages and writes back only what changed. */
@Injectable()
export class RepriceRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly outbox: MeteringOutbox,
  ) {}

  /** Keyset page over [from, to) in (ts, event_id) order; uses usage_events_org_id_ts_idx. */
  async page(orgId: string, from: Date, to: Date, after: { ts: Date; eventId: string } | null, limit: number, model: string | null = null): Promise<RepriceRow[]> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `SELECT event_id AS "eventId", ts, provider, model, model_id AS "modelId", requests,
                input_tokens::float8 AS "inputTokens", output_tokens::float8 AS "outputTokens", cached_input_tokens::float8 AS "cachedInputTokens",
                cache_write_tokens::float8 AS "cacheWriteTokens", reasoning_tokens::float8 AS "reasoningTokens",
                coalesce(cache_write_1h_tokens, 0)::float8 AS "cacheWrite1hTokens", coalesce(audio_input_tokens, 0)::float8 AS "audioInputTokens",
                coalesce(image_input_tokens, 0)::float8 AS "imageInputTokens", coalesce(video_input_tokens, 0)::float8 AS "videoInputTokens",
                coalesce(cached_audio_input_tokens, 0)::float8 AS "cachedAudioInputTokens", coalesce(audio_output_tokens, 0)::float8 AS "audioOutputTokens",
                service_tier AS "serviceTier", trim_scale(cost_usd)::text AS "costUsd", unpriced, price_version_id AS "priceVersionId"
           FROM usage_events
          WHERE org_id = $1 AND ts >= $2 AND ts < $3 AND ($5::text IS NULL OR model_id = $5 OR model = $5) ${after ? 'AND (ts, event_id) > ($6, $7)' : ''}
          ORDER BY ts, event_id LIMIT $4`,
        after ? [orgId, from, to, limit, model, after.ts, after.eventId] : [orgId, from, to, limit, model],
      );
      return res.rows;
    });
  }

  async count(orgId: string, from: Date, to: Date, model: string | null = null): Promise<number> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM usage_events WHERE org_id = $1 AND ts >= $2 AND ts < $3 AND ($4::text IS NULL OR model_id = $4 OR model = $4)`,
        [orgId, from, to, model],
      );
      return res.rows[0].n;
    });
  }

  /** One UPDATE for a page of changed rows. */
  async updateCosts(orgId: string, rows: { eventId: string; modelId: string; costUsd: string | null; unpriced: boolean; priceVersionId: string | null }[]): Promise<void> {
    if (!rows.length) return;
    await this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query<{ hour: Date }>(
        `UPDATE usage_events e SET model_id = u.model_id, cost_usd = u.cost_usd, unpriced = u.unpriced, price_version_id = u.price_version_id
           FROM unnest($2::text[], $3::text[], $4::numeric[], $5::bool[], $6::text[]) AS u(event_id, model_id, cost_usd, unpriced, price_version_id)
          WHERE e.org_id = $1 AND e.event_id = u.event_id
          RETURNING date_trunc('hour', e.ts) AS hour`,
        [orgId, rows.map((r) => r.eventId), rows.map((r) => r.modelId), rows.map((r) => r.costUsd), rows.map((r) => r.unpriced), rows.map((r) => r.priceVersionId)],
      );
      // Re-priced hours need their rollups recomputed too.
      await this.outbox.markDirty(c, orgId, [...new Map(res.rows.map((r) => [r.hour.getTime(), r.hour])).values()]);
    });
  }

  async createRun(orgId: string, from: Date, to: Date, total: number, model: string | null): Promise<string> {
    return this.prisma.tenant(orgId, async (tx) => (await tx.repriceRun.create({ data: { orgId, fromTs: from, toTs: to, model, status: 'queued', total } })).id);
  }

  async findRun(orgId: string, id: string) {
    return this.prisma.tenant(orgId, (tx) => tx.repriceRun.findUnique({ where: { orgId_id: { orgId, id } } }));
  }

  async updateRun(orgId: string, id: string, data: { status?: string; processed?: number; changed?: number; error?: string | null; finishedAt?: Date | null }): Promise<void> {
    await this.prisma.tenant(orgId, (tx) => tx.repriceRun.update({ where: { orgId_id: { orgId, id } }, data }));
  }
}

import { Injectable } from '@nestjs/common';
import type { TokenCountsText } from '../domain/pricing/usage.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** One daily rollup row as the FOCUS export reads it (bigints as strings, money as numeric text). */
export interface FocusRollupRow extends TokenCountsText {
  day: Date;
  project: string;
  projectName: string | null;
  workload: string;
  environment: string;
  provider: string;
  modelId: string;
  serviceTier: string;
  requests: string;
  unpricedRequests: string;
  costUsd: string;
  providerBasisCostUsd: string;
}

/*
 * Reads usage_rollups_daily on its primary key (org_id, day, project, workload, environment,
 * provider, model_id, service_tier): the range on (org_id, day) and the ORDER BY follow it, so
 * pages and the cursor walk the index in order.
 */
const SELECT = `SELECT r.day, r.project, p.name AS "projectName", r.workload, r.environment, r.provider, r.model_id AS "modelId",
       r.service_tier AS "serviceTier", r.requests::text, r.unpriced_requests::text AS "unpricedRequests",
       r.input_tokens::text AS "inputTokens", r.output_tokens::text AS "outputTokens", r.cached_input_tokens::text AS "cachedInputTokens",
       r.cache_write_tokens::text AS "cacheWriteTokens", r.reasoning_tokens::text AS "reasoningTokens",
       r.cache_write_1h_tokens::text AS "cacheWrite1hTokens", r.audio_input_tokens::text AS "audioInputTokens",
       r.image_input_tokens::text AS "imageInputTokens", r.video_input_tokens::text AS "videoInputTokens",
       r.cached_audio_input_tokens::text AS "cachedAudioInputTokens", r.audio_output_tokens::text AS "audioOutputTokens",
       r.cost_usd::text AS "costUsd", r.provider_basis_cost_usd::text AS "providerBasisCostUsd"
  FROM usage_rollups_daily r
  LEFT JOIN projects p ON p.org_id = r.org_id AND p.slug = r.project
 WHERE r.org_id = $1 AND r.day >= $2 AND r.day < $3
 ORDER BY r.day, r.project, r.workload, r.environment, r.provider, r.model_id, r.service_tier`;

/** The daily rollups the FOCUS export reads; every method takes the org first. */
@Injectable()
export class ExportsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** One page of rollup rows (`limit` rows from `offset`). */
  async page(orgId: string, from: Date, to: Date, limit: number, offset: number): Promise<FocusRollupRow[]> {
    return this.prisma.tenantPg(orgId, async (c) => (await c.query(`${SELECT} LIMIT $4 OFFSET $5`, [orgId, from, to, limit, offset])).rows as FocusRollupRow[]);
  }

  /**
   * Every rollup row of the window, `batch` at a time through a server-side cursor: one connection and one
   * batch in memory whatever the size; `onRows` may wait (a slow client) and the next FETCH waits with it.
   */
  async inBatches(orgId: string, from: Date, to: Date, onRows: (rows: FocusRollupRow[]) => Promise<void>, batch = 1_000): Promise<number> {
    return this.prisma.tenantCursor(orgId, SELECT, [orgId, from, to], onRows, batch);
  }
}

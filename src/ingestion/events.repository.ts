import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { PoolClient } from 'pg';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import { markDirtySql } from '../metering/outbox.js';
import type { ServiceTier } from '../domain/pricing/price.js';
import type { TokenCountsText } from '../domain/pricing/usage.js';

/** A row ready to store: validated, normalised, priced. */
export interface EventRow {
  eventId: string;
  ts: Date;
  provider: string;
  model: string;
  modelId: string;
  workload: string;
  project: string | null;
  environment: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** Classes priced apart (subsets, see CanonicalUsage); absent or 0 is stored as NULL. */
  cacheWrite1hTokens?: number;
  audioInputTokens?: number;
  imageInputTokens?: number;
  videoInputTokens?: number;
  cachedAudioInputTokens?: number;
  audioOutputTokens?: number;
  serviceTier: ServiceTier;
  latencyMs: number | null;
  status: string;
  tags: Record<string, string>;
  /** The org's end customer and end user (attribution rollups, budgets by customer); null when not sent. */
  customer: string | null;
  endUser: string | null;
  /** The provider-reported cost (USD), null when none was reported. */
  clientCostUsd: string | null;
  /** Where clientCostUsd came from (caller, gateway, ...); null exactly when clientCostUsd is. */
  providerCostSource: string | null;
  costUsd: string | null;
  unpriced: boolean;
  priceVersionId: string | null;
  usageFormat: string;
  contentHash: Buffer;
}

/** What a batch insert did: ids inserted, the stored hashes of ids that already existed, the hours it dirtied, the horizon it saw. */
export interface InsertOutcome {
  inserted: Set<string>;
  existing: Map<string, Buffer>;
  hours: Date[];
  retainedFrom: Date | null;
}

/** A stored event as read back; counts as decimal text, class counts stored as NULL (events before they existed, or none reported) read as "0". */
export interface StoredEvent extends Omit<EventRow, 'contentHash' | keyof TokenCountsText>, TokenCountsText {
  receivedAt: Date;
}

const SELECT_COLUMNS = `event_id AS "eventId", ts, received_at AS "receivedAt", provider, model, model_id AS "modelId", workload, project,
  environment, requests, input_tokens::text AS "inputTokens", output_tokens::text AS "outputTokens",
  cached_input_tokens::text AS "cachedInputTokens", cache_write_tokens::text AS "cacheWriteTokens", reasoning_tokens::text AS "reasoningTokens",
  coalesce(cache_write_1h_tokens, 0)::text AS "cacheWrite1hTokens", coalesce(audio_input_tokens, 0)::text AS "audioInputTokens",
  coalesce(image_input_tokens, 0)::text AS "imageInputTokens", coalesce(video_input_tokens, 0)::text AS "videoInputTokens",
  coalesce(cached_audio_input_tokens, 0)::text AS "cachedAudioInputTokens", coalesce(audio_output_tokens, 0)::text AS "audioOutputTokens",
  service_tier AS "serviceTier", latency_ms AS "latencyMs", status, tags, customer, end_user AS "endUser", trim_scale(client_cost_usd)::text AS "clientCostUsd",
  provider_cost_source AS "providerCostSource", trim_scale(cost_usd)::text AS "costUsd", unpriced,
  price_version_id AS "priceVersionId", usage_format AS "usageFormat"`;

/** A model seen in unpriced events, with their totals (sums as decimal text). */
export interface UnpricedModelRow {
  provider: string;
  model: string;
  modelId: string;
  events: number;
  requests: string;
  inputTokens: string;
  outputTokens: string;
  firstSeen: Date;
  lastSeen: Date;
}

export interface EventFilter {
  from?: Date;
  to?: Date;
  workload?: string;
  model?: string;
  customer?: string;
  endUser?: string;
  before?: { ts: Date; eventId: string };
  limit: number;
}

/** A row as the insert's JSON document spells it (absent or 0 class counts and the default tier left out: NULL / default). */
function toDocRow(r: EventRow) {
  return {
    event_id: r.eventId,
    ts: r.ts,
    provider: r.provider,
    model: r.model,
    model_id: r.modelId,
    workload: r.workload,
    project: r.project,
    environment: r.environment,
    requests: r.requests,
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    cached_input_tokens: r.cachedInputTokens,
    cache_write_tokens: r.cacheWriteTokens,
    reasoning_tokens: r.reasoningTokens,
    // Left out when absent or 0 (undefined drops the key): the columns stay NULL and the document small.
    cache_write_1h_tokens: r.cacheWrite1hTokens || undefined,
    audio_input_tokens: r.audioInputTokens || undefined,
    image_input_tokens: r.imageInputTokens || undefined,
    video_input_tokens: r.videoInputTokens || undefined,
    cached_audio_input_tokens: r.cachedAudioInputTokens || undefined,
    audio_output_tokens: r.audioOutputTokens || undefined,
    service_tier: r.serviceTier === 'default' ? undefined : r.serviceTier,
    latency_ms: r.latencyMs,
    status: r.status,
    tags: r.tags,
    customer: r.customer ?? undefined,
    end_user: r.endUser ?? undefined,
    client_cost_usd: r.clientCostUsd,
    provider_cost_source: r.providerCostSource ?? undefined,
    cost_usd: r.costUsd,
    unpriced: r.unpriced,
    price_version_id: r.priceVersionId,
    usage_format: r.usageFormat,
    content_hash: r.contentHash.toString('hex'),
  };
}

/**
 * The insert of a batch as one statement, `org` and `doc` the SQL of the org id (uuid) and of the rows (jsonb):
 * - the retention horizon, read again under a key-share lock held to commit: a purge moving it waits for
 *   this batch (SettingsRepository.advanceRetainedFrom), and events behind it are not inserted, so an
 *   event acknowledged as accepted is always rolled up before its hour's raw events are purged;
 * - the rows, ORDER BY event_id so every batch takes its locks in one order (see insertBatch);
 * - the metering outbox: the hours of the rows inserted, marked dirty in the same transaction (sorted),
 *   so a committed event always has its hour marked; the rollup worker recomputes them
 *   (RollupRepository.recompute). The horizon comes back on every row, and once more when none was
 *   inserted (the UNION's last branch).
 */
function insertSql(org: string, doc: string): string {
  return `WITH horizon AS (SELECT retained_from FROM org_settings WHERE org_id = ${org} FOR KEY SHARE),
         ins AS (
         INSERT INTO usage_events (org_id, event_id, ts, provider, model, model_id, workload, project, environment, requests,
           input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,
           cache_write_1h_tokens, audio_input_tokens, image_input_tokens, video_input_tokens, cached_audio_input_tokens, audio_output_tokens,
           service_tier, latency_ms, status, tags, customer, end_user, client_cost_usd, provider_cost_source, cost_usd, unpriced, price_version_id, usage_format, content_hash)
         SELECT ${org}, r.event_id, r.ts, r.provider, r.model, r.model_id, r.workload, r.project, r.environment, r.requests,
                r.input_tokens, r.output_tokens, r.cached_input_tokens, r.cache_write_tokens, r.reasoning_tokens,
                r.cache_write_1h_tokens, r.audio_input_tokens, r.image_input_tokens, r.video_input_tokens, r.cached_audio_input_tokens, r.audio_output_tokens,
                coalesce(r.service_tier, 'default'), r.latency_ms, r.status, r.tags, r.customer, r.end_user, r.client_cost_usd, r.provider_cost_source, r.cost_usd, r.unpriced,
                r.price_version_id, r.usage_format, decode(r.content_hash, 'hex')
           FROM jsonb_to_recordset(${doc}) AS r(event_id text, ts timestamptz, provider text, model text, model_id text, workload text,
                project text, environment text, requests int, input_tokens bigint, output_tokens bigint, cached_input_tokens bigint,
                cache_write_tokens bigint, reasoning_tokens bigint, cache_write_1h_tokens bigint, audio_input_tokens bigint,
                image_input_tokens bigint, video_input_tokens bigint, cached_audio_input_tokens bigint, audio_output_tokens bigint,
                service_tier text, latency_ms int, status text, tags jsonb, customer text, end_user text, client_cost_usd numeric, provider_cost_source text,
                cost_usd numeric, unpriced bool, price_version_id text, usage_format text, content_hash text)
          WHERE r.ts >= coalesce((SELECT retained_from FROM horizon), '-infinity')
          ORDER BY r.event_id
         ON CONFLICT (org_id, event_id) DO NOTHING
         RETURNING event_id, date_trunc('hour', ts) AS hour),
         dirty AS (${markDirtySql(org, '(SELECT DISTINCT hour FROM ins)')})
         SELECT event_id, hour, (SELECT retained_from FROM horizon) AS retained_from FROM ins
         UNION ALL
         SELECT NULL, NULL, (SELECT retained_from FROM horizon) WHERE NOT EXISTS (SELECT 1 FROM ins)`;
}

/** `text` as a dollar-quoted literal (no escapes inside), its tag random and absent from the text. */
function dollarQuoted(text: string): string {
  let tag: string;
  do tag = `$cx${randomBytes(8).toString('hex')}$`;
  while (text.includes(tag));
  return `${tag}${text}${tag}`;
}

/**
 * Batches up to this many rows go in one round trip (their document inlined in the SQL text); larger ones pass it
 * as a parameter, which PostgreSQL takes without lexing it as SQL (bench/ingest: ~200 against ~100 µs of
 * PostgreSQL CPU per event in batches of 500), and where one more round trip is negligible.
 */
const ONE_TRIP_MAX_ROWS = 50;

/** Slugs remembered per process before the set starts over (~100 bytes each). */
const KNOWN_SLUGS_MAX = 100_000;

/** Usage events: the hot insert path and reading back. */
@Injectable()
export class EventsRepository {
  /**
   * Workload and project slugs this process has seen committed, as `<org> <kind> <slug>`: they are never
   * deleted, so a batch naming only known ones skips their upserts (one or two round trips per request).
   * Bounded: past KNOWN_SLUGS_MAX entries it starts over.
   */
  private readonly knownSlugs = new Set<string>();

  constructor(
    private readonly prisma: PrismaService,
  ) {}

  /**
   * Stores a batch in one transaction: registers the workloads and projects it
   * names, inserts every row with one `INSERT ... SELECT FROM unnest(...)`
   * (~26-51k rows/s here, against ~3.4k for createMany) and returns the ids
   * actually inserted. Rows whose (org_id, event_id) exists are skipped by
   * ON CONFLICT on the primary key; `existing` then returns their stored
   * hashes so the caller can tell duplicates from conflicts.
   */
  async insertBatch(orgId: string, rows: EventRow[]): Promise<InsertOutcome> {
    // Every batch takes its row locks in one global order: event ids sorted,
    // then dirty hours sorted, then workload/project slugs sorted. Concurrent
    // batches that overlap (re-deliveries) then wait for each other instead of
    // deadlocking.
    const slugs = this.newSlugs(orgId, rows);
    // The batch travels as one JSON document: JSON.stringify is native and
    // about the cheapest way to serialise 500 rows, where pg's JS encoding
    // of 24 array parameters was the largest CPU cost of ingest (bench/ingest).
    const doc = JSON.stringify(rows.map(toDocRow));
    type Row = { event_id: string | null; hour: Date | null; retained_from: Date | null };
    // Usually every slug is known: the whole transaction is then one round trip (BEGIN, this statement, COMMIT
    // in one simple query, its two values inlined as literals: the org id a validated UUID, the document
    // dollar-quoted). New slugs are registered in the same transaction, after the rows (the lock order above).
    const res = slugs.workloads.length || slugs.projects.length || rows.length > ONE_TRIP_MAX_ROWS
      ? await this.prisma.tenantPg(orgId, async (c) => {
          const r = await c.query<Row>(insertSql('$1::uuid', '$2::jsonb'), [orgId, doc]);
          await this.registerSlugs(c, orgId, slugs);
          return r.rows;
        })
      : await this.prisma.tenantStatement<Row>(orgId, insertSql(`'${orgId}'::uuid`, `${dollarQuoted(doc)}::jsonb`));
    const horizon = res[0]?.retained_from ?? null;
    const insertedRows = res.filter((r): r is { event_id: string; hour: Date; retained_from: Date | null } => r.event_id !== null);
    const inserted = new Set(insertedRows.map((r) => r.event_id));
    const hours = [...new Map(insertedRows.map((r) => [r.hour.getTime(), r.hour])).values()].sort((a, b) => a.getTime() - b.getTime());
    // Ids not inserted: read their stored hashes (duplicate or conflict?) once committed. The rows that stopped
    // them are committed by then (ON CONFLICT waited for any in flight), and rows are never updated in place.
    const existing = new Map<string, Buffer>();
    const skipped = rows.filter((r) => !inserted.has(r.eventId)).map((r) => r.eventId);
    if (skipped.length) {
      const found = await this.prisma.tenantPg(orgId, (c) =>
        c.query<{ event_id: string; content_hash: Buffer }>(
          // The 16-byte prefix: a process of the release before 20261201070000_events_storage, still running
          // during a rolling deploy, stores whole 32-byte hashes; its re-sent events stay duplicates.
          `SELECT event_id, substring(content_hash FROM 1 FOR 16) AS content_hash FROM usage_events WHERE org_id = $1 AND event_id = ANY($2::text[])`,
          [orgId, skipped],
        ),
      );
      for (const r of found.rows) existing.set(r.event_id, r.content_hash);
    }
    const result = { inserted, existing, hours, retainedFrom: horizon };
    // Only once committed: a rolled-back batch registered nothing.
    if (this.knownSlugs.size > KNOWN_SLUGS_MAX) this.knownSlugs.clear();
    for (const w of slugs.workloads) this.knownSlugs.add(`${orgId} w ${w}`);
    for (const p of slugs.projects) this.knownSlugs.add(`${orgId} p ${p}`);
    return result;
  }

  /** The batch's workload and project slugs not yet known to be registered, sorted (the lock order). */
  private newSlugs(orgId: string, rows: EventRow[]): { workloads: string[]; projects: string[] } {
    const workloads = [...new Set(rows.map((r) => r.workload))].filter((w) => !this.knownSlugs.has(`${orgId} w ${w}`)).sort();
    const projects = [...new Set(rows.map((r) => r.project).filter((p): p is string => !!p))].filter((p) => !this.knownSlugs.has(`${orgId} p ${p}`)).sort();
    return { workloads, projects };
  }

  private async registerSlugs(c: PoolClient, orgId: string, { workloads, projects }: { workloads: string[]; projects: string[] }): Promise<void> {
    if (workloads.length) {
      await c.query(
        `INSERT INTO workloads (org_id, id, slug, updated_at) SELECT $1, gen_random_uuid(), s, now() FROM unnest($2::text[]) s ON CONFLICT (org_id, slug) DO NOTHING`,
        [orgId, workloads],
      );
    }
    if (projects.length) {
      await c.query(`INSERT INTO projects (org_id, id, slug) SELECT $1, gen_random_uuid(), s FROM unnest($2::text[]) s ON CONFLICT (org_id, slug) DO NOTHING`, [orgId, projects]);
    }
  }

  async findOne(orgId: string, eventId: string): Promise<StoredEvent | null> {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query<StoredEvent>(`SELECT ${SELECT_COLUMNS} FROM usage_events WHERE org_id = $1 AND event_id = $2`, [orgId, eventId]);
      return res.rows[0] ?? null;
    });
  }

  /** Newest first, keyset-paginated on (ts, event_id); uses usage_events_org_id_ts_idx. */
  async list(orgId: string, f: EventFilter): Promise<StoredEvent[]> {
    const where = ['org_id = $1'];
    const params: unknown[] = [orgId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (f.from) add('ts >= ?', f.from);
    if (f.to) add('ts < ?', f.to);
    if (f.workload) add('workload = ?', f.workload);
    // The catalog id or the name as sent: both placeholders are the one parameter.
    if (f.model) add('(model_id = ? OR model = ?)', f.model);
    if (f.customer) add('customer = ?', f.customer);
    if (f.endUser) add('end_user = ?', f.endUser);
    if (f.before) {
      params.push(f.before.ts, f.before.eventId);
      where.push(`(ts, event_id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(f.limit);
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query<StoredEvent>(
        `SELECT ${SELECT_COLUMNS} FROM usage_events WHERE ${where.join(' AND ')} ORDER BY ts DESC, event_id DESC LIMIT $${params.length}`,
        params,
      );
      return res.rows;
    });
  }

  /** Models seen without a price, with how much usage went unpriced. */
  /**
   * Unpriced (provider, model) pairs, most events first, `limit` of them from `offset`: the groups have no key to
   * resume after (their counts move), so the page is an offset; a group may shift pages between two reads.
   */
  async unpricedModels(orgId: string, page: { limit: number; offset: number }) {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query<UnpricedModelRow>(
        `SELECT provider, model, model_id AS "modelId", count(*)::int AS events, sum(requests)::text AS requests,
                sum(input_tokens)::text AS "inputTokens", sum(output_tokens)::text AS "outputTokens", min(ts) AS "firstSeen", max(ts) AS "lastSeen"
           FROM usage_events WHERE org_id = $1 AND unpriced GROUP BY provider, model, model_id
          ORDER BY count(*) DESC, provider, model, model_id LIMIT $2 OFFSET $3`,
        [orgId, page.limit, page.offset],
      );
      return res.rows;
    });
  }
}

import { Injectable } from '@nestjs/common';
import { BudgetCounters } from '../budgets/budget-counters.js';
import type { FieldError } from '../common/errors.js';
import { InvalidError } from '../common/errors.js';
import { TtlCache } from '../common/ttl-cache.js';
import { decodeCursor, toPage } from '../common/pagination.js';
import type { Principal } from '../common/principal.js';
import { OrgsService } from '../orgs/orgs.service.js';
import { normalizeUsage } from '../domain/pricing/usage.js';
import type { ServiceTierPricing } from '../domain/pricing/service-tier.js';
import { EventPricer } from '../catalog/event-pricer.js';
import { MeteringService } from '../metering/metering.service.js';
import { MetricsService } from '../infra/metrics/metrics.service.js';
import { OrgSettingsService } from '../orgs/org-settings.service.js';
import { EventsRepository, type EventFilter, type EventRow, type InsertOutcome, type StoredEvent } from './events.repository.js';
import { GroupCommit } from './group-commit.js';
import { DEFAULT_COST_SOURCE, GATEWAY_COST_SOURCE, MAX_EVENTS_PER_BATCH, validateEvent } from './event-validator.js';

/** A stored event with how its service tier was priced (null when the event is unpriced). */
export type EventView = StoredEvent & { tierPricing: ServiceTierPricing | null };

/** What became of each posted event. */
export const INGEST_STATUSES = ['accepted', 'duplicate', 'conflict', 'rejected'] as const;
export type EventStatus = (typeof INGEST_STATUSES)[number];

export interface IngestResult {
  accepted: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
  results: { index: number; id: string | null; status: EventStatus; errors?: FieldError[] }[];
}

/** Restrictions the caller's credentials put on what it may post. */
export interface IngestScope {
  orgId: string;
  /** A project-scoped key files every event under its project. */
  projectSlug: string | null;
}

/**
 * Insert transactions of one org in flight at once per process before the org's next requests wait to share
 * one: two keep a steady stream flowing (one commits while the next is sent), and waiting requests then form
 * groups as large as the load makes them.
 */
const INFLIGHT_INSERTS_PER_ORG = 2;

/**
 * Takes a batch, stores each valid event once, prices it with the price in
 * force at its timestamp, and reports per event. One bad event never sinks
 * the others; a malformed envelope stores nothing.
 */
function beforeHorizon(at: string, horizon: Date): FieldError {
  return { field: `${at}.timestamp`, message: `is before ${horizon.toISOString()}: raw events before then were purged by retention, so it could not be counted exactly` };
}

@Injectable()
export class IngestionService {
  /** The retention horizon per org as ingest pre-checks it (a minute old at most; it moves once a night). */
  private readonly horizons = new TtlCache<Date | null>(60_000, 10_000);
  /** The slug of a project-scoped key's project, per `<org> <project id>`: a project's slug never changes. */
  private readonly projectSlugs = new TtlCache<string | null>(600_000, 10_000);
  /**
   * Inserts of one org share a transaction while another of the org is in flight (see GroupCommit): a service
   * posting one event per LLM call pays about one transaction per burst instead of one per event.
   */
  private readonly commits: GroupCommit<EventRow, InsertOutcome>;

  constructor(
    private readonly events: EventsRepository,
    private readonly pricer: EventPricer,
    private readonly metering: MeteringService,
    private readonly metrics: MetricsService,
    private readonly settings: OrgSettingsService,
    private readonly orgs: OrgsService,
    private readonly budgetCounters: BudgetCounters,
  ) {
    this.commits = new GroupCommit((orgId, rows) => this.events.insertBatch(orgId, rows), (r) => r.eventId, {
      maxRows: MAX_EVENTS_PER_BATCH,
      maxInflightPerKey: INFLIGHT_INSERTS_PER_ORG,
    });
  }

  /** The project a project-scoped key files events under (signatures are checked by the auth guard, on every route). */
  async scopeFor(p: Principal): Promise<IngestScope> {
    const projectId = p.kind === 'api_key' ? p.projectId : null;
    const projectSlug = projectId ? await this.projectSlugs.get(`${p.orgId} ${projectId}`, () => this.orgs.projectSlug(p.orgId, projectId)) : null;
    return { orgId: p.orgId, projectSlug };
  }

  async findEvent(orgId: string, eventId: string): Promise<EventView | null> {
    const e = await this.events.findOne(orgId, eventId);
    return e === null ? null : (await this.withTierPricing(orgId, [e]))[0];
  }

  async listEvents(orgId: string, f: EventFilter): Promise<EventView[]> {
    return this.withTierPricing(orgId, await this.events.list(orgId, f));
  }

  /**
   * How each priced event's service tier was priced, worked out again from the sourced offers (they change only
   * with a release, and re-pricing applies them to past events): no price table is read, the org's overrides
   * come from the ingest cache (to tell a custom price apart).
   */
  private async withTierPricing(orgId: string, rows: StoredEvent[]): Promise<EventView[]> {
    if (!rows.some((e) => !e.unpriced)) return rows.map((e) => ({ ...e, tierPricing: null }));
    const ctx = await this.pricer.forIngest(orgId);
    return rows.map((e) => ({ ...e, tierPricing: e.unpriced ? null : this.pricer.tierPricing(ctx, e) }));
  }

  /** Models seen without a price, with how much usage went unpriced. */
  /** A page of the models seen without a price; the cursor holds the offset of the next page. */
  async unpricedModels(orgId: string, limit: number, cursor?: string) {
    const offset = decodeCursor<{ o: number }>(cursor)?.o ?? 0;
    const rows = await this.events.unpricedModels(orgId, { limit: limit + 1, offset });
    const page = toPage(rows, limit, () => ({ o: offset + limit }));
    return {
      data: page.data.map((r) => ({ ...r, firstSeen: r.firstSeen.toISOString(), lastSeen: r.lastSeen.toISOString() })),
      nextCursor: page.nextCursor,
    };
  }

  /** Unwraps `{ events: [...] }` or a single event object; 400 for anything else. */
  envelope(body: unknown): { list: unknown[]; single: boolean } {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new InvalidError('Invalid request: body', [{ field: 'body', message: 'must be {"events": [...]} or a single event object' }]);
    }
    const b = body as Record<string, unknown>;
    if ('events' in b) {
      const extra = Object.keys(b).filter((k) => k !== 'events');
      if (extra.length) throw new InvalidError(`Invalid request: ${extra.join(', ')}`, extra.map((k) => ({ field: k, message: 'unknown field' })));
      if (!Array.isArray(b.events)) throw new InvalidError('Invalid request: events', [{ field: 'events', message: 'must be an array' }]);
      if (b.events.length < 1 || b.events.length > MAX_EVENTS_PER_BATCH) {
        throw new InvalidError('Invalid request: events', [{ field: 'events', message: `must hold 1 to ${MAX_EVENTS_PER_BATCH} events (got ${b.events.length})` }]);
      }
      return { list: b.events, single: false };
    }
    return { list: [body], single: true };
  }

  async ingest(scope: IngestScope, list: unknown[], prefix: (i: number) => string = (i) => `events[${i}]`): Promise<IngestResult> {
    const now = new Date();
    // Both cached per process: the insert re-reads the horizon under a lock, so a stale one only lets an event
    // reach that authoritative check; overrides are at most PRICING_CACHE_MS old.
    const [pricing, retainedFrom] = await Promise.all([this.pricer.forIngest(scope.orgId), this.horizons.get(scope.orgId, () => this.settings.retainedFrom(scope.orgId))]);

    const results: IngestResult['results'] = [];
    const rows: EventRow[] = [];
    const rowIndex = new Map<string, number>(); // event id → index in the request
    const rowPos = new Map<string, number>(); // event id → position in rows
    const sameBatch: { index: number; id: string; hash: Buffer }[] = [];

    list.forEach((raw, index) => {
      const v = validateEvent(raw, prefix(index), now);
      const errors: FieldError[] = v.ok ? [] : v.errors;
      const usage = v.ok ? normalizeUsage(v.event.rawUsage, `${prefix(index)}.usage`) : null;
      if (usage && !usage.ok) errors.push(...usage.errors);
      if (v.ok && usage?.ok && v.event.providerCostSource !== null && v.event.clientCostUsd === null && usage.gatewayCostUsd === undefined) {
        errors.push({ field: `${prefix(index)}.providerCostSource`, message: 'names where providerCostUsd came from: send providerCostUsd with it' });
      }
      if (v.ok && retainedFrom && v.event.ts < retainedFrom) errors.push(beforeHorizon(prefix(index), retainedFrom));
      if (v.ok && scope.projectSlug && v.event.project && v.event.project !== scope.projectSlug) {
        errors.push({ field: `${prefix(index)}.project`, message: `this API key only posts to project "${scope.projectSlug}"` });
      }
      if (!v.ok || !usage?.ok || errors.length) {
        const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
        results[index] = { index, id, status: 'rejected', errors };
        return;
      }
      const e = v.event;
      if (rowIndex.has(e.id)) {
        sameBatch.push({ index, id: e.id, hash: e.contentHash });
        return;
      }
      // The caller's tier wins over the one the usage object reports; neither = default.
      const serviceTier = e.serviceTier ?? usage.serviceTier ?? 'default';
      // The caller's cost wins over a gateway's (OpenRouter usage.cost), each with its provenance.
      const providerCostUsd = e.clientCostUsd ?? usage.gatewayCostUsd ?? null;
      const providerCostSource =
        providerCostUsd === null ? null : e.clientCostUsd !== null ? (e.providerCostSource ?? DEFAULT_COST_SOURCE) : (e.providerCostSource ?? GATEWAY_COST_SOURCE);
      const { provider, modelId, result: priced } = this.pricer.price(pricing, { ...e, usage: usage.usage, at: e.ts, serviceTier });
      rowIndex.set(e.id, index);
      rowPos.set(e.id, rows.length);
      rows.push({
        eventId: e.id,
        ts: e.ts,
        provider,
        model: e.model,
        modelId,
        workload: e.workload,
        project: scope.projectSlug ?? e.project,
        environment: e.environment,
        requests: e.requests,
        ...usage.usage,
        serviceTier,
        latencyMs: e.latencyMs,
        status: e.status,
        tags: e.tags,
        customer: e.customer,
        endUser: e.endUser,
        clientCostUsd: providerCostUsd,
        providerCostSource,
        costUsd: priced.priced ? priced.costUsd.toFixed() : null,
        unpriced: !priced.priced,
        priceVersionId: priced.priced ? priced.priceVersionId : null,
        usageFormat: usage.format,
        contentHash: e.contentHash,
      });
    });

    if (rows.length) {
      const { inserted, existing, hours, retainedFrom: horizon } = await this.commits.submit(scope.orgId, rows);
      this.metering.nudge(scope.orgId, hours);
      // Only rows this request inserted: a duplicate or a conflict was counted when first stored (fire-and-forget).
      this.budgetCounters.record(scope.orgId, inserted.size === rows.length ? rows : rows.filter((r) => inserted.has(r.eventId)));
      for (const r of rows) {
        const index = rowIndex.get(r.eventId)!;
        if (inserted.has(r.eventId)) results[index] = { index, id: r.eventId, status: 'accepted' };
        // A purge moved the horizon between the first check and the insert.
        else if (horizon && r.ts < horizon && !existing.has(r.eventId)) results[index] = { index, id: r.eventId, status: 'rejected', errors: [beforeHorizon(prefix(index), horizon)] };
        else results[index] = { index, id: r.eventId, status: existing.get(r.eventId)?.equals(r.contentHash) ? 'duplicate' : 'conflict' };
      }
    }
    // The same id twice in one batch: compared with the first occurrence.
    for (const d of sameBatch) {
      const first = rows[rowPos.get(d.id)!];
      results[d.index] = { index: d.index, id: d.id, status: first.contentHash.equals(d.hash) ? 'duplicate' : 'conflict' };
    }

    const count = (s: EventStatus) => results.filter((r) => r.status === s).length;
    const out = { accepted: count('accepted'), duplicates: count('duplicate'), conflicts: count('conflict'), rejected: count('rejected'), results };
    this.metrics.events.inc({ status: 'accepted' }, out.accepted);
    this.metrics.events.inc({ status: 'duplicate' }, out.duplicates);
    this.metrics.events.inc({ status: 'conflict' }, out.conflicts);
    this.metrics.events.inc({ status: 'rejected' }, out.rejected);
    return out;
  }
}

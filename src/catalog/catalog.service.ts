import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { ModelPrice, PriceOverride as PriceOverrideRow } from '../generated/prisma/client.js';
import { canonicalProvider, resolveCatalogModel, type ModelMatcher, type ModelResolution } from '../domain/pricing/model-resolver.js';
import type { SourceDecision } from '../domain/catalog/catalog-merge.js';
import { compileMatch } from '../domain/catalog/match-rules.js';
import { planSeed, type SeedPlan } from '../domain/catalog/seed-plan.js';
import { genaiPackageSources, genaiPricesSourceId } from './genai-prices-source.js';
import type { PriceOverride, PriceVersion } from '../domain/pricing/price.js';
import { factRowsFromReference, mergedCatalog } from './catalog-seed.js';
import { CatalogRepository } from './catalog.repository.js';
import { InvalidError } from '../common/errors.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const REFRESH_MS = 60_000;
/** Resolutions kept per process (event names repeat); dropped whole on refresh or when full. */
const RESOLUTION_CACHE_MAX = 20_000;

function toPriceVersion(r: ModelPrice): PriceVersion {
  return {
    id: r.id,
    modelId: r.modelId,
    provider: r.provider,
    inputPerMTok: r.inputPerMTok.toString(),
    outputPerMTok: r.outputPerMTok.toString(),
    cachedInputPerMTok: r.cachedInputPerMTok?.toString() ?? null,
    cacheWritePerMTok: r.cacheWritePerMTok?.toString() ?? null,
    reasoningPerMTok: r.reasoningPerMTok?.toString() ?? null,
    cacheWrite1hPerMTok: r.cacheWrite1hPerMTok?.toString() ?? null,
    inputAudioPerMTok: r.inputAudioPerMTok?.toString() ?? null,
    cachedInputAudioPerMTok: r.cachedInputAudioPerMTok?.toString() ?? null,
    outputAudioPerMTok: r.outputAudioPerMTok?.toString() ?? null,
    inputImagePerMTok: r.inputImagePerMTok?.toString() ?? null,
    inputVideoPerMTok: r.inputVideoPerMTok?.toString() ?? null,
    tiers: (r.tiers as unknown as PriceVersion['tiers']) ?? [],
    effectiveFrom: r.effectiveFrom,
    effectiveTo: r.effectiveTo,
    source: r.source,
  };
}

/** An org override in the domain's terms. */
export function toDomainOverride(r: PriceOverrideRow): PriceOverride {
  const window = { effectiveFrom: r.effectiveFrom, effectiveTo: r.effectiveTo };
  if (r.kind === 'discount') return { kind: 'discount', id: r.id, provider: r.provider, percent: r.percent!.toString(), ...window };
  return {
    kind: 'custom',
    id: r.id,
    modelId: r.modelId!,
    inputPerMTok: r.inputPerMTok!.toString(),
    outputPerMTok: r.outputPerMTok!.toString(),
    cachedInputPerMTok: r.cachedInputPerMTok?.toString() ?? null,
    cacheWritePerMTok: r.cacheWritePerMTok?.toString() ?? null,
    reasoningPerMTok: r.reasoningPerMTok?.toString() ?? null,
    tiers: [],
    ...window,
  };
}

/**
 * The price catalog in memory: the seeded reference prices (re-seeded
 * idempotently at boot) plus aliases, refreshed every minute. The catalog is
 * small (~70 prices) so every ingest batch prices from memory.
 */
@Injectable()
export class CatalogService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CatalogService.name);
  private byModel = new Map<string, PriceVersion[]>();
  private readonly overrideListeners: ((orgId: string) => void)[] = [];
  private rows: ModelPrice[] = [];
  /** The same versions by (provider, model id), built with byModel at each refresh: ingest reads it per event. */
  private byProviderModel = new Map<string, PriceVersion[]>();
  private known = new Set<string>();
  private aliases: Record<string, string> = {};
  private matchers: ModelMatcher[] = [];
  private decisions = new Map<string, SourceDecision>();
  private resolutions = new Map<string, ModelResolution>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly repo: CatalogRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.seed();
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch((e) => this.logger.warn(`catalog refresh failed: ${e.message}`)), REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Seeds the catalog from the genai-prices package merged with the reference
   * file (append-only: see src/domain/catalog/seed-plan.ts), its aliases and
   * match rules, and the reference facts. Safe on every boot and from several
   * replicas; stored costs are never re-priced (POST /v1/catalog/reprice is).
   */
  async seed(now: Date = new Date()): Promise<SeedPlan> {
    const source = genaiPricesSourceId();
    const packages = genaiPackageSources((id) => this.logger.warn(`catalog seed: ${source} has no provider ${id}; not seeded`));
    const merged = mergedCatalog(packages, source, now);
    this.decisions = new Map(merged.decisions.map((d) => [`${d.provider}\u0000${d.modelId}`, d]));
    this.matchers = merged.matchers.map((m) => ({ provider: m.provider, modelId: m.modelId, test: compileMatch(m.match).test }));
    const plan = await this.repo.appendPriceVersions((stored) => planSeed(merged.versions, stored, now));
    await this.repo.upsertAliasesBulk(merged.aliases);
    await this.repo.upsertFacts(factRowsFromReference());
    for (const d of merged.decisions) if (d.sources.length > 1) this.logger.log(`catalog seed: ${d.provider}/${d.modelId}: ${d.reason}`);
    for (const line of plan.log) this.logger.log(`catalog seed: ${line}`);
    for (const s of merged.skips) this.logger.debug(`catalog seed skipped: ${s.provider}/${s.modelId}: ${s.reason}`);
    this.logger.log(
      `catalog seed (${source} + reference file): ${merged.versions.length} price versions of ${merged.decisions.length} models, ` +
        `${plan.inserts.length} added, ${plan.closes.length} closed, ${merged.aliases.length} aliases, ${merged.skips.length} items skipped or partly seeded (debug log lists them)`,
    );
    return plan;
  }

  /** Which source a model's prices come from and why, or null for a model the seed did not price. */
  sourceDecision(provider: string, modelId: string): SourceDecision | null {
    return this.decisions.get(`${provider}\u0000${modelId}`) ?? null;
  }

  async refresh(): Promise<void> {
    const [rows, aliases] = await Promise.all([this.repo.allPrices(), this.repo.allAliases()]);
    const byModel = new Map<string, PriceVersion[]>();
    for (const r of rows) {
      const list = byModel.get(r.modelId) ?? [];
      list.push(toPriceVersion(r));
      byModel.set(r.modelId, list);
    }
    const byProviderModel = new Map<string, PriceVersion[]>();
    for (const list of byModel.values()) {
      for (const v of list) {
        const k = `${v.provider}\u0000${v.modelId}`;
        byProviderModel.set(k, [...(byProviderModel.get(k) ?? []), v]);
      }
    }
    this.rows = rows;
    this.byModel = byModel;
    this.byProviderModel = byProviderModel;
    this.known = new Set(byModel.keys());
    this.aliases = Object.fromEntries(aliases.map((a) => [a.alias, a.modelId]));
    this.resolutions = new Map();
  }

  /** Catalog model id for what an event names; unknown names stay as given (and are unpriced). */
  resolve(provider: string, model: string, extraKnown: Iterable<string> = []): ModelResolution {
    const extra = [...extraKnown];
    const prov = canonicalProvider(provider);
    // An org's custom model names change the answer, so only resolutions without them are cached.
    const cacheKey = extra.length === 0 ? `${prov}\u0000${model}` : null;
    const cached = cacheKey === null ? undefined : this.resolutions.get(cacheKey);
    if (cached !== undefined) return cached;
    const known = extra.length === 0 ? this.known : new Set([...this.known, ...extra]);
    const result = resolveCatalogModel(prov, model, known, this.aliases, this.matchers);
    if (cacheKey !== null) {
      if (this.resolutions.size >= RESOLUTION_CACHE_MAX) this.resolutions.clear();
      this.resolutions.set(cacheKey, result);
    }
    return result;
  }

  versionsOf(modelId: string): PriceVersion[] {
    return this.byModel.get(modelId) ?? [];
  }

  /**
   * The versions of `modelId` sold by `provider` when the catalog has any (one id may be offered by several hosts
   * at different prices, e.g. an open model), else every version of the id. What an event of `provider` is billed at.
   */
  versionsFor(provider: string, modelId: string): PriceVersion[] {
    return this.byProviderModel.get(`${provider}\u0000${modelId}`) ?? this.versionsOf(modelId);
  }

  allRows(): ModelPrice[] {
    return this.rows;
  }

  /** The org's discounts and custom prices, oldest first. */
  overrides(orgId: string): Promise<PriceOverrideRow[]> {
    return this.repo.overrides(orgId);
  }

  /** A page of the org's discounts and custom prices, oldest effectiveFrom first. */
  async overridesPage(orgId: string, limit: number, cursor?: string): Promise<Page<PriceOverrideRow>> {
    const after = decodeCursor<{ at: string; id: string }>(cursor);
    // The id is compared with a uuid column: anything else cannot have come from this API.
    if (after && (typeof after.at !== 'string' || typeof after.id !== 'string' || !UUID.test(after.id))) {
      throw new InvalidError('Invalid request: cursor', [{ field: 'cursor', message: 'is not a cursor returned by this API' }]);
    }
    const rows = await this.repo.overridesPage(orgId, limit, after);
    return toPage(rows, limit, (r) => ({ at: r.effectiveFrom.toISOString(), id: r.id }));
  }

  /** Called with the org whenever this process changes its price overrides (caches drop theirs). */
  onOverridesChanged(listener: (orgId: string) => void): void {
    this.overrideListeners.push(listener);
  }

  async createOverride(orgId: string, data: Parameters<CatalogRepository['createOverride']>[1]): Promise<PriceOverrideRow> {
    const row = await this.repo.createOverride(orgId, data);
    for (const l of this.overrideListeners) l(orgId);
    return row;
  }

  async deleteOverride(orgId: string, id: string): Promise<boolean> {
    const deleted = await this.repo.deleteOverride(orgId, id);
    for (const l of this.overrideListeners) l(orgId);
    return deleted;
  }

  /** Seeded reference facts of one kind (gpu, open_model), each with its source id. */
  facts(kind: string) {
    return this.repo.facts(kind);
  }
}

import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { ModelPrice, PriceOverride as PriceOverrideRow } from '../generated/prisma/client.js';
import { canonicalProvider, resolveCatalogModel, type ModelResolution } from '../domain/pricing/model-resolver.js';
import type { PriceOverride, PriceVersion } from '../domain/pricing/price.js';
import { aliasRowsFromReference, factRowsFromReference, priceRowsFromReference } from './catalog-seed.js';
import { CatalogRepository } from './catalog.repository.js';

const REFRESH_MS = 60_000;

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
  private known = new Set<string>();
  private aliases: Record<string, string> = {};
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

  /** Upserts the shipped reference data; safe to run on every boot and from several replicas. */
  async seed(): Promise<void> {
    await this.repo.upsertPrices(priceRowsFromReference());
    await this.repo.upsertAliases(aliasRowsFromReference());
    await this.repo.upsertFacts(factRowsFromReference());
  }

  async refresh(): Promise<void> {
    const [rows, aliases] = await Promise.all([this.repo.allPrices(), this.repo.allAliases()]);
    const byModel = new Map<string, PriceVersion[]>();
    for (const r of rows) {
      const list = byModel.get(r.modelId) ?? [];
      list.push(toPriceVersion(r));
      byModel.set(r.modelId, list);
    }
    this.rows = rows;
    this.byModel = byModel;
    this.known = new Set(byModel.keys());
    this.aliases = Object.fromEntries(aliases.map((a) => [a.alias, a.modelId]));
  }

  /** Catalog model id for what an event names; unknown names stay as given (and are unpriced). */
  resolve(provider: string, model: string, extraKnown: Iterable<string> = []): ModelResolution {
    const known = new Set([...this.known, ...extraKnown]);
    return resolveCatalogModel(canonicalProvider(provider), model, known, this.aliases);
  }

  versionsOf(modelId: string): PriceVersion[] {
    return this.byModel.get(modelId) ?? [];
  }

  allRows(): ModelPrice[] {
    return this.rows;
  }

  /** The org's discounts and custom prices, oldest first. */
  overrides(orgId: string): Promise<PriceOverrideRow[]> {
    return this.repo.overrides(orgId);
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

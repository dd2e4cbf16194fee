import { Injectable } from '@nestjs/common';
import type { CanonicalUsage } from '../domain/pricing/usage.js';
import { priceEvent, type PriceEventResult } from '../domain/pricing/cost.js';
import type { CustomPriceOverride, PriceOverride } from '../domain/pricing/price.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogService, toDomainOverride } from './catalog.service.js';
import { TtlCache } from '../common/ttl-cache.js';
import { canonicalProvider } from '../domain/pricing/model-resolver.js';

/** An org's pricing context: its overrides and the model names its custom prices make known. */
export interface OrgPricing {
  overrides: PriceOverride[];
  customModels: string[];
}

/** How long ingest keeps an org's price overrides (ms) before reading them again. */
export const PRICING_CACHE_MS = 10_000;

/** Resolves and prices events the same way at ingest and at re-pricing. */
@Injectable()
export class EventPricer {
  /**
   * Overrides per org for ingest, kept PRICING_CACHE_MS: ingest then reads no price table per request. A change
   * made through this process is seen at once (invalidate); one made through another replica within the TTL.
   * Re-pricing always reads them fresh.
   */
  private readonly cache = new TtlCache<OrgPricing>(PRICING_CACHE_MS, 10_000);

  constructor(
    private readonly catalog: CatalogService,
    private readonly catalogRepo: CatalogRepository,
  ) {
    catalog.onOverridesChanged((orgId) => this.cache.delete(orgId));
  }

  /** The org's pricing for ingest (cached, see above). */
  forIngest(orgId: string): Promise<OrgPricing> {
    return this.cache.get(orgId, () => this.forOrg(orgId));
  }

  async forOrg(orgId: string): Promise<OrgPricing> {
    const overrides = (await this.catalogRepo.overrides(orgId)).map(toDomainOverride);
    return { overrides, customModels: overrides.filter((o): o is CustomPriceOverride => o.kind === 'custom').map((o) => o.modelId) };
  }

  price(ctx: OrgPricing, e: { provider: string; model: string; usage: CanonicalUsage; requests: number; at: Date }): { provider: string; modelId: string; result: PriceEventResult } {
    const provider = canonicalProvider(e.provider);
    const { modelId } = this.catalog.resolve(provider, e.model, ctx.customModels);
    const result = priceEvent({ usage: e.usage, requests: e.requests, at: e.at, provider, modelId }, this.catalog.versionsOf(modelId), ctx.overrides);
    return { provider, modelId, result };
  }
}

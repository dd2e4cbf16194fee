import { Injectable } from '@nestjs/common';
import type { CanonicalUsage } from '../domain/pricing/usage.js';
import { priceEvent, type PriceEventResult } from '../domain/pricing/cost.js';
import type { CustomPriceOverride, PriceOverride, ServiceTier } from '../domain/pricing/price.js';
import { readApiOffers } from '../domain/economics/api-offers.js';
import { serviceTierPricing, type ServiceTierPricing, type TierOfferTerms } from '../domain/pricing/service-tier.js';
import { API_OFFERS_JSON } from './reference-data.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogService, toDomainOverride } from './catalog.service.js';
import { TtlCache } from '../common/ttl-cache.js';
import { canonicalProvider } from '../domain/pricing/model-resolver.js';

/** An org's pricing context: its overrides and the model names its custom prices make known. */
export interface OrgPricing {
  overrides: PriceOverride[];
  customModels: string[];
}

/** Sourced batch / flex discounts (src/reference/api-offers.json), read once: they change with a release, not at run time. */
const TIER_OFFERS: readonly TierOfferTerms[] = readApiOffers(API_OFFERS_JSON).tiers;

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

  price(
    ctx: OrgPricing,
    e: { provider: string; model: string; usage: CanonicalUsage; requests: number; at: Date; serviceTier?: ServiceTier },
  ): { provider: string; modelId: string; result: PriceEventResult } {
    const provider = canonicalProvider(e.provider);
    const { modelId } = this.catalog.resolve(provider, e.model, ctx.customModels);
    const result = priceEvent(
      { usage: e.usage, requests: e.requests, at: e.at, provider, modelId, serviceTier: e.serviceTier },
      this.catalog.versionsFor(provider, modelId),
      ctx.overrides,
      TIER_OFFERS,
    );
    return { provider, modelId, result };
  }

  /**
   * How a stored event's service tier is priced, for reading it back (no price table is read): standard,
   * a sourced discount, or standard because none is sourced. `priceVersionId` tells a custom price apart.
   */
  tierPricing(ctx: OrgPricing, e: { provider: string; modelId: string; serviceTier: ServiceTier; priceVersionId: string | null }): ServiceTierPricing {
    const custom = e.priceVersionId !== null && ctx.overrides.some((o) => o.kind === 'custom' && o.id === e.priceVersionId);
    return serviceTierPricing(e.serviceTier, e.provider, e.modelId, TIER_OFFERS, custom);
  }
}

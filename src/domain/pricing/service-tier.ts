import { Money, type Decimal } from '../money.js';
import { SERVICE_TIERS, type ServiceTier } from './price.js';

/*
 * Service tiers (the processing tier a request ran on) and what they do to a
 * price. Crossover prices a tier as the standard rates x a SOURCED factor:
 * src/reference/api-offers.json `tiers` lists, per provider (and optionally
 * per model), the fraction batch and flex take off the standard per-token
 * prices, each with its source. Cached input is discounted only where the
 * source says so (`cachedInputDiscounted: true`); null (not stated) keeps the
 * standard cached price, the conservative reading. A tier with no sourced
 * price for the provider/model (priority everywhere, batch at a provider the
 * file does not list) is priced at standard rates and says so
 * (priced: false + reason), never silently.
 */

/** One sourced tier offer (the fields of economics' TierOffer that pricing reads); discountFraction is 0..1 of per-token prices. */
export interface TierOfferTerms {
  provider: string;
  tier: string;
  discountFraction: number;
  /** Catalog model ids covered (lower-case); null = every model of the provider. */
  models: readonly string[] | null;
  cachedInputDiscounted: boolean | null;
  source: string;
}

/** How one event's service tier was priced. */
export interface ServiceTierPricing {
  tier: ServiceTier;
  /** true: the tier's own price applied (default, or a sourced batch/flex discount); false: standard rates, see reason. */
  priced: boolean;
  /** Fraction taken off the standard per-token rates (0 = none), exact. */
  discountFraction: Decimal;
  /** Whether cached-input reads get the discount too. */
  cachedInputDiscounted: boolean;
  /** Source id of the discount (api-offers.json sources[]), null when none applied. */
  source: string | null;
  /** Why the tier was priced at standard rates, null when priced. */
  reason: string | null;
}

/**
 * Provider spellings of a service tier → Crossover's tier. OpenAI reports
 * "default", "flex", "priority", "scale" (Scale Tier units, billed apart from
 * tokens) and echoes "auto" when a request asked for it; Anthropic reports
 * "standard", "priority" and "batch".
 */
const REPORTED: Readonly<Record<string, ServiceTier>> = {
  default: 'default',
  standard: 'default',
  auto: 'default',
  scale: 'default',
  batch: 'batch',
  flex: 'flex',
  priority: 'priority',
};

/** The provider values serviceTierFromReported accepts, for error messages. */
export const REPORTED_SERVICE_TIER_VALUES = Object.keys(REPORTED);

export function isServiceTier(v: unknown): v is ServiceTier {
  return typeof v === 'string' && (SERVICE_TIERS as readonly string[]).includes(v);
}

/** Crossover's tier for a value a provider reports (see REPORTED), or null when it is not one. */
export function serviceTierFromReported(v: unknown): ServiceTier | null {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(REPORTED, v) ? REPORTED[v] : null;
}

const NONE = new Money(0);

/**
 * The factor terms of `tier` for one model (provider as canonicalised, catalog model id) from the sourced
 * offers; `customPrice` true when the org's own price replaces the catalog (it applies as is to every tier,
 * since the sourced discounts are off the provider's list prices).
 */
export function serviceTierPricing(
  tier: ServiceTier,
  provider: string,
  modelId: string,
  offers: readonly TierOfferTerms[],
  customPrice = false,
): ServiceTierPricing {
  const standard = (reason: string | null): ServiceTierPricing => ({
    tier,
    priced: reason === null,
    discountFraction: NONE,
    cachedInputDiscounted: false,
    source: null,
    reason,
  });
  if (tier === 'default') return standard(null);
  if (customPrice) return standard(`the org's custom price for ${modelId} applies as is to the ${tier} tier`);
  const p = provider.trim().toLowerCase();
  const id = modelId.trim().toLowerCase();
  const offer = offers.find((o) => o.provider === p && o.tier === tier && (o.models === null || o.models.includes(id)));
  if (offer === undefined || !(offer.discountFraction > 0 && offer.discountFraction < 1)) {
    return standard(`no sourced ${tier} price for ${p}/${modelId}: priced at standard rates`);
  }
  return {
    tier,
    priced: true,
    // The shortest decimal that round-trips the JSON number (0.5 → "0.5"), never float arithmetic.
    discountFraction: new Money(String(offer.discountFraction)),
    cachedInputDiscounted: offer.cachedInputDiscounted === true,
    source: offer.source,
    reason: null,
  };
}

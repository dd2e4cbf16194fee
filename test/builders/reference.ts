import { priceRowsFromReference } from '../../src/catalog/catalog-seed.js';
import { REFERENCE } from '../../src/catalog/reference-data.js';
import { economicsCatalogFrom } from '../../src/domain/economics/reference-adapter.js';
import type { Catalog } from '../../src/domain/economics/types.js';
import type { PriceVersion } from '../../src/domain/pricing/price.js';
import type { Reference } from '../../src/domain/reference/reference-reader.js';

/**
 * The shipped reference data as specs see it: the same records, seed rows and
 * economics catalog the app derives from src/reference/economics.json, so a
 * spec cannot read the file differently from production.
 */

/** The reference file read by the one reader (src/domain/reference/reference-reader.ts). */
export const referenceData: Reference = REFERENCE;

/** The economics catalog the app serves (EconomicsService builds the same). */
export function referenceEconomicsCatalog(): Catalog {
  return economicsCatalogFrom(REFERENCE);
}

/**
 * The seeded price catalog as CatalogService holds it after boot: the seed's
 * rows (USD per 1M tokens, open-ended from SEED_EFFECTIVE_FROM) as price
 * versions. Ids stand in for the database's UUIDs.
 */
export function referencePriceVersions(): PriceVersion[] {
  return priceRowsFromReference(REFERENCE).map((r) => ({
    id: `seed:${r.provider}/${r.modelId}`,
    modelId: r.modelId,
    provider: r.provider,
    inputPerMTok: r.inputPerMTok,
    outputPerMTok: r.outputPerMTok,
    cachedInputPerMTok: r.cachedInputPerMTok,
    cacheWritePerMTok: r.cacheWritePerMTok,
    reasoningPerMTok: null,
    tiers: r.tiers,
    effectiveFrom: r.effectiveFrom,
    effectiveTo: null,
    source: r.source,
  }));
}

import reference from '../reference/economics.json' with { type: 'json' };
import gpuMarket from '../reference/gpu-market.json' with { type: 'json' };
import { readReference, type Reference } from '../domain/reference/reference-reader.js';

/**
 * The sourced facts Crossover ships with (src/reference/economics.json, a
 * copy of the research pass with a source id on every figure, and
 * src/reference/gpu-market.json, the normalised GPU offers), read once into
 * typed records. The only import of the file: the catalog seed, the economics
 * catalog and the planner's tiers all derive from REFERENCE; orgs override any of it.
 */
export const REFERENCE: Reference = readReference(reference, gpuMarket);

/** The date the seeded list prices are taken to be in force from (the file has no price history). */
export const SEED_EFFECTIVE_FROM = new Date('2020-01-01T00:00:00.000Z');

// Its home is the domain; re-exported for the catalog and ingestion code that imports it from here.
export { canonicalProvider } from '../domain/pricing/model-resolver.js';

// Where each API provider processes data (sourced); read by the planner through src/domain/planner/providers.ts.
export { default as PROVIDER_REGIONS } from '../reference/provider-regions.json' with { type: 'json' };

// Batch / flex discounts and cache-write surcharges of the closed APIs (sourced); read by readApiOffers (src/domain/economics/api-offers.ts).
export { default as API_OFFERS_JSON } from '../reference/api-offers.json' with { type: 'json' };

import reference from '../reference/economics.json' with { type: 'json' };

/**
 * The sourced facts Crossover ships with (src/reference/economics.json, a
 * copy of the research pass with a source id on every figure). Read only by
 * the catalog seed and the economics catalog; orgs override any of it.
 */
export type ReferenceData = typeof reference;
export const REFERENCE: ReferenceData = reference;

/** The date the seeded list prices are taken to be in force from (the file has no price history). */
export const SEED_EFFECTIVE_FROM = new Date('2020-01-01T00:00:00.000Z');

const PROVIDER_NAMES: Record<string, string> = {
  together_ai: 'together',
  fireworks_ai: 'fireworks',
  deepinfra: 'deepinfra',
  groq: 'groq',
};

/** One spelling per provider ("Together" and "together_ai" are the same company). */
export function canonicalProvider(name: string): string {
  const lower = name.trim().toLowerCase();
  return PROVIDER_NAMES[lower] ?? lower;
}

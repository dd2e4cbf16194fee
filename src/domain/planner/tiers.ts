import type { QualityRequirement, QualityTier, TaskCategory } from './types.js';

/** Quality tiers from weakest to strongest: encoder < small (7-8B) < mid (~30B) < large (70B-class) < frontier. */
export const QUALITY_TIERS: readonly QualityTier[] = ['encoder', 'small', 'mid', 'large', 'frontier'];

export interface TierBand {
  min: QualityTier;
  max: QualityTier;
  /** Why this band, e.g. "classification → encoder..small; 'best-available' raises one tier → small..mid". */
  explanation: string;
}

/**
 * Base band per task category (inclusive):
 * classification, embedding → encoder..small; extraction, summarisation → small;
 * chat → mid..large; reasoning, code → frontier only;
 * 'other' or unannotated → mid..frontier (conservative: nothing below mid without knowing the task).
 */
const BASE_BANDS: Record<TaskCategory, [QualityTier, QualityTier]> = {
  classification: ['encoder', 'small'],
  embedding: ['encoder', 'small'],
  extraction: ['small', 'small'],
  summarisation: ['small', 'small'],
  chat: ['mid', 'large'],
  reasoning: ['frontier', 'frontier'],
  code: ['frontier', 'frontier'],
  other: ['mid', 'frontier'],
};

/** True for a known task category string (including 'other'). */
export function isTaskCategory(value: unknown): value is TaskCategory {
  return typeof value === 'string' && Object.hasOwn(BASE_BANDS, value);
}

/** Tier → rank 0..4 (encoder 0 … frontier 4); unknown tier → -1. */
export function tierRank(tier: unknown): number {
  return QUALITY_TIERS.indexOf(tier as QualityTier);
}

function clampRank(rank: number): QualityTier {
  return QUALITY_TIERS[Math.max(0, Math.min(QUALITY_TIERS.length - 1, rank))];
}

/**
 * Eligible quality-tier band (inclusive) for a task category and quality requirement:
 * 'best-available' shifts both ends up one tier (capped at frontier); 'good-enough' lowers the bottom one tier
 * (floored at encoder); 'high' or none keeps the base band.
 */
export function eligibleTierBand(category?: TaskCategory, requirement?: QualityRequirement): TierBand {
  const known = isTaskCategory(category);
  const cat: TaskCategory = known ? (category as TaskCategory) : 'other';
  const [baseMin, baseMax] = BASE_BANDS[cat];
  let min = tierRank(baseMin);
  let max = tierRank(baseMax);
  const label = known ? cat : 'unannotated task';
  let explanation = `${label} → ${baseMin}..${baseMax}`;
  if (requirement === 'best-available') {
    min += 1;
    max += 1;
    explanation += `; 'best-available' raises one tier → ${clampRank(min)}..${clampRank(max)}`;
  } else if (requirement === 'good-enough') {
    min -= 1;
    explanation += `; 'good-enough' allows one tier lower → ${clampRank(min)}..${clampRank(max)}`;
  }
  return { min: clampRank(min), max: clampRank(max), explanation };
}

/** True when `tier` lies inside `band` (inclusive). */
export function tierWithin(tier: QualityTier, band: TierBand): boolean {
  const r = tierRank(tier);
  return r >= 0 && r >= tierRank(band.min) && r <= tierRank(band.max);
}

import { eligibleTierBand, isTaskCategory, tierWithin } from './tiers.js';
import type { QualityRequirement, QualityTier, TaskCategory } from './types.js';

describe('eligibleTierBand', () => {
  it.each<[TaskCategory | undefined, QualityRequirement | undefined, QualityTier, QualityTier]>([
    ['classification', 'high', 'encoder', 'small'],
    ['embedding', undefined, 'encoder', 'small'],
    ['extraction', 'high', 'small', 'small'],
    ['summarisation', 'high', 'small', 'small'],
    ['chat', 'high', 'mid', 'large'],
    ['reasoning', 'high', 'frontier', 'frontier'],
    ['code', undefined, 'frontier', 'frontier'],
    ['other', 'high', 'mid', 'frontier'],
    [undefined, undefined, 'mid', 'frontier'],
    // best-available raises both ends one tier (capped at frontier)
    ['classification', 'best-available', 'small', 'mid'],
    ['chat', 'best-available', 'large', 'frontier'],
    ['reasoning', 'best-available', 'frontier', 'frontier'],
    // good-enough lowers the bottom one tier (floored at encoder)
    ['classification', 'good-enough', 'encoder', 'small'],
    ['extraction', 'good-enough', 'encoder', 'small'],
    ['chat', 'good-enough', 'small', 'large'],
    ['reasoning', 'good-enough', 'large', 'frontier'],
  ])('%s / %s → %s..%s', (category, requirement, min, max) => {
    const band = eligibleTierBand(category, requirement);
    expect([band.min, band.max]).toEqual([min, max]);
    expect(band.explanation).toContain(`${min}..${max}`);
  });

  it('an unknown category string "toString" is treated as unannotated (mid..frontier)', () => {
    const band = eligibleTierBand('toString' as TaskCategory);
    expect([band.min, band.max]).toEqual(['mid', 'frontier']);
    expect(isTaskCategory('toString')).toBe(false);
    expect(isTaskCategory('chat')).toBe(true);
  });

  it.each<[QualityTier, boolean]>([
    ['encoder', false],
    ['small', false],
    ['mid', true],
    ['large', true],
    ['frontier', false],
    ['huge' as QualityTier, false],
  ])('chat band mid..large contains %s: %s', (tier, inside) => {
    expect(tierWithin(tier, eligibleTierBand('chat', 'high'))).toBe(inside);
  });
});

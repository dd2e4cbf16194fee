import { closedQualityTier, closedTier } from './model-tiers.js';

describe('closed model tiers (src/reference/economics.json closedModels[].tier)', () => {
  it.each<[string, string]>([
    ['gpt-5', 'frontier'],
    ['o3', 'frontier'],
    ['claude-opus-4.1', 'frontier'],
    ['claude-opus-4.5', 'frontier'],
    ['claude-opus-4.6', 'frontier'],
    ['claude-sonnet-4', 'frontier'],
    ['claude-sonnet-4.5', 'frontier'],
    ['gemini-2.5-pro', 'frontier'],
    ['gpt-4.1', 'mid'],
    ['gpt-4o', 'mid'],
    ['o4-mini', 'mid'],
    ['claude-haiku-4.5', 'mid'],
    ['gemini-2.5-flash', 'mid'],
    ['gpt-5-mini', 'mid'],
    ['gpt-4o-mini', 'small'],
    ['gpt-4.1-mini', 'small'],
    ['gpt-5-nano', 'small'],
    ['claude-3.5-haiku', 'small'],
    ['gemini-2.5-flash-lite', 'small'],
    ['a-model-the-catalog-does-not-list', 'mid'],
  ])('%s → %s', (modelId, tier) => {
    expect(closedTier(modelId)).toBe(tier);
  });

  it('on the open models\' scale: frontier stays frontier, mid rates as large (70B class), small as small', () => {
    expect(['gpt-5', 'gpt-4o', 'gpt-5-nano'].map(closedQualityTier)).toEqual(['frontier', 'large', 'small']);
  });
});

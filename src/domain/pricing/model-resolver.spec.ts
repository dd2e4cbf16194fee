import { canonicalProvider, resolveCatalogModel, type ResolutionRule } from './model-resolver.js';

/** closedModels[].id of src/reference/economics.json. */
const KNOWN = [
  'gpt-5',
  'gpt-5-mini',
  'gpt-5-nano',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-4o',
  'gpt-4o-mini',
  'o3',
  'o4-mini',
  'claude-opus-4.1',
  'claude-opus-4.5',
  'claude-opus-4.6',
  'claude-sonnet-4',
  'claude-sonnet-4.5',
  'claude-haiku-4.5',
  'claude-3.5-haiku',
  'gemini-2.5-pro',
  'gemini-2.5-flash',
  'gemini-2.5-flash-lite',
];

describe('resolveCatalogModel: real-world names → catalog ids', () => {
  it.each<[string, string, string, ResolutionRule]>([
    ['openai', 'gpt-4o', 'gpt-4o', 'exact'],
    ['openai', '  GPT-4o ', 'gpt-4o', 'exact'],
    ['openai', 'gpt-4o-2024-08-06', 'gpt-4o', 'snapshot'],
    ['openai', 'gpt-4o-mini-2024-07-18', 'gpt-4o-mini', 'snapshot'],
    ['openai', 'gpt-4.1-2025-04-14', 'gpt-4.1', 'snapshot'],
    ['openai', 'gpt-4.1-mini-2025-04-14', 'gpt-4.1-mini', 'snapshot'],
    ['openai', 'gpt-5-2025-08-07', 'gpt-5', 'snapshot'],
    ['openai', 'gpt-5-nano-2025-08-07', 'gpt-5-nano', 'snapshot'],
    ['openai', 'o3-2025-04-16', 'o3', 'snapshot'],
    ['openai', 'o4-mini-2025-04-16', 'o4-mini', 'snapshot'],
    ['openrouter', 'openai/gpt-4o', 'gpt-4o', 'prefix-stripped'],
    ['pydantic-ai', 'openai:gpt-5-mini', 'gpt-5-mini', 'prefix-stripped'],
    ['anthropic', 'claude-sonnet-4-5-20250929', 'claude-sonnet-4.5', 'snapshot'],
    ['anthropic', 'claude-sonnet-4-5', 'claude-sonnet-4.5', 'snapshot'],
    ['anthropic', 'claude-sonnet-4-20250514', 'claude-sonnet-4', 'snapshot'],
    ['anthropic', 'claude-3-5-haiku-20241022', 'claude-3.5-haiku', 'snapshot'],
    ['anthropic', 'claude-3-5-haiku-latest', 'claude-3.5-haiku', 'snapshot'],
    ['anthropic', 'claude-opus-4-1-20250805', 'claude-opus-4.1', 'snapshot'],
    ['anthropic', 'claude-opus-4-1', 'claude-opus-4.1', 'snapshot'],
    ['anthropic', 'claude-opus-4-5-20251101', 'claude-opus-4.5', 'snapshot'],
    ['anthropic', 'claude-opus-4-6', 'claude-opus-4.6', 'snapshot'],
    ['anthropic', 'claude-haiku-4-5-20251001', 'claude-haiku-4.5', 'snapshot'],
    ['bedrock', 'anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4.5', 'snapshot'],
    ['bedrock', 'us.anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4', 'snapshot'],
    [
      'bedrock',
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0',
      'claude-haiku-4.5',
      'snapshot',
    ],
    ['vertex', 'claude-3-5-haiku@20241022', 'claude-3.5-haiku', 'snapshot'],
    ['litellm', 'vertex_ai/claude-opus-4-1@20250805', 'claude-opus-4.1', 'snapshot'],
    ['google', 'models/gemini-2.5-pro', 'gemini-2.5-pro', 'prefix-stripped'],
    ['vertex', 'publishers/google/models/gemini-2.5-pro', 'gemini-2.5-pro', 'prefix-stripped'],
    [
      'vertex',
      'projects/acme-prod/locations/us-central1/publishers/google/models/gemini-2.5-flash-001',
      'gemini-2.5-flash',
      'snapshot',
    ],
    ['google', 'gemini-2.5-flash-lite-preview-06-17', 'gemini-2.5-flash-lite', 'snapshot'],
    ['google', 'gemini-2.5-flash-001', 'gemini-2.5-flash', 'snapshot'],
    ['google', 'gemini-2.5-flash-preview-09-2025', 'gemini-2.5-flash', 'snapshot'],
    ['google', 'gemini-2.5-pro-exp-03-25', 'gemini-2.5-pro', 'snapshot'],
    ['google', 'models/gemini-2.5-pro-preview-05-06', 'gemini-2.5-pro', 'snapshot'],
    ['litellm', 'gemini/gemini-2.5-flash', 'gemini-2.5-flash', 'prefix-stripped'],
    ['pydantic-ai', 'google-gla:gemini-2.5-pro', 'gemini-2.5-pro', 'prefix-stripped'],
    ['openrouter', 'openrouter/anthropic/claude-sonnet-4.5', 'claude-sonnet-4.5', 'prefix-stripped'],
    ['openrouter', 'anthropic/claude-3.5-haiku', 'claude-3.5-haiku', 'prefix-stripped'],
  ])('%s %s → %s (%s)', (provider, model, modelId, rule) => {
    expect(resolveCatalogModel(provider, model, KNOWN)).toEqual({ modelId, rule });
  });
});

describe('resolveCatalogModel: names that must stay unknown (priced differently or not at all)', () => {
  it.each<[string, string, string]>([
    ['custom', 'my-finetune', 'my-finetune'],
    ['openai', 'ft:gpt-4o-mini-2024-07-18:acme::9AbCdEf', 'ft:gpt-4o-mini-2024-07-18:acme::9abcdef'],
    ['openai', 'gpt-4.1-nano', 'gpt-4.1-nano'],
    ['openai', 'o3-mini', 'o3-mini'],
    ['openai', 'o3-pro-2025-06-10', 'o3-pro-2025-06-10'],
    ['openai', 'gpt-4o-audio-preview-2024-12-17', 'gpt-4o-audio-preview-2024-12-17'],
    ['openai', 'gpt-4o-search-preview', 'gpt-4o-search-preview'],
    ['openai', 'chatgpt-4o-latest', 'chatgpt-4o-latest'],
    ['anthropic', 'claude-3-5-sonnet-20241022', 'claude-3-5-sonnet-20241022'],
    ['google', 'gemini-2.5-flash-image', 'gemini-2.5-flash-image'],
    ['openai', '   ', ''],
  ])('%s %s → unknown %s', (provider, model, modelId) => {
    expect(resolveCatalogModel(provider, model, KNOWN)).toEqual({ modelId, rule: 'unknown' });
  });
});

describe('resolveCatalogModel: aliases and known-id shapes', () => {
  it.each<[string, string, string, Record<string, string>, string, ResolutionRule]>([
    ['org deployment name', 'azure', 'prod-chat', { 'prod-chat': 'gpt-4o' }, 'gpt-4o', 'alias'],
    ['alias keys and names compare case-insensitively', 'azure', 'Prod-Chat', { 'PROD-chat': 'gpt-4o' }, 'gpt-4o', 'alias'],
    [
      'alias beats the snapshot rule (gpt-4o-2024-05-13 had its own $5/$15 price)',
      'openai',
      'gpt-4o-2024-05-13',
      { 'gpt-4o-2024-05-13': 'gpt-4o-2024-05-13' },
      'gpt-4o-2024-05-13',
      'alias',
    ],
    ['alias beats an exact known id', 'openai', 'gpt-4o', { 'gpt-4o': 'gpt-4o-mini' }, 'gpt-4o-mini', 'alias'],
    ['provider-scoped alias wins for that provider', 'azure', 'prod', { 'azure/prod': 'gpt-4o', prod: 'gpt-4o-mini' }, 'gpt-4o', 'alias'],
    ['unscoped alias for another provider', 'openai', 'prod', { 'azure/prod': 'gpt-4o', prod: 'gpt-4o-mini' }, 'gpt-4o-mini', 'alias'],
    ['alias matched after a prefix is stripped', 'openrouter', 'acme/prod-chat', { 'prod-chat': 'gpt-4o' }, 'gpt-4o', 'alias'],
    ['alias matched after a snapshot is stripped', 'openai', 'prod-chat-2025-01-01', { 'prod-chat': 'gpt-4o' }, 'gpt-4o', 'alias'],
  ])('%s: %s %s → %s', (_name, provider, model, aliases, modelId, rule) => {
    expect(resolveCatalogModel(provider, model, KNOWN, aliases)).toEqual({ modelId, rule });
  });

  it('accepts a Set of known ids: gpt-4o-mini-2024-07-18 → gpt-4o-mini', () => {
    expect(resolveCatalogModel('openai', 'gpt-4o-mini-2024-07-18', new Set(KNOWN))).toEqual({ modelId: 'gpt-4o-mini', rule: 'snapshot' });
  });

  it.each<[string, string, string, ResolutionRule]>([
    ['meta-llama/Llama-3.3-70B-Instruct-Turbo', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 'exact'],
    ['together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 'prefix-stripped'],
    ['accounts/fireworks/models/qwen3-8b', 'accounts/fireworks/models/qwen3-8b', 'accounts/fireworks/models/qwen3-8b', 'exact'],
  ])('managed ids with paths: %s → %s (catalog spelling kept)', (model, knownId, modelId, rule) => {
    expect(resolveCatalogModel('together_ai', model, [knownId])).toEqual({ modelId, rule });
  });
});

describe('canonicalProvider: one spelling per provider', () => {
  it.each<[string, string]>([
    ['together_ai', 'together'],
    [' Together ', 'together'],
    ['fireworks_ai', 'fireworks'],
    ['DeepInfra', 'deepinfra'],
    ['openai', 'openai'],
  ])('%s → %s', (name, canonical) => {
    expect(canonicalProvider(name)).toBe(canonical);
  });
});

describe('price-source match rules (last resort)', () => {
  const matchers = [
    { provider: 'anthropic', modelId: 'claude-sonnet-4-6', test: (n: string) => n.startsWith('claude-sonnet-4-6') || n.startsWith('claude-sonnet-4.6') },
    { provider: 'google', modelId: 'gemini-3-flash-preview', test: (n: string) => n.startsWith('gemini-3-flash-preview-') },
  ];
  it.each<[string, string, string, string]>([
    ['anthropic', 'claude-sonnet-4.6-thinking', 'claude-sonnet-4-6', 'match-rule'],
    ['openrouter', 'google/gemini-3-flash-preview-12-2025', 'gemini-3-flash-preview', 'match-rule'],
    ['anthropic', 'claude-sonnet-4-6', 'claude-sonnet-4-6', 'exact'],
    ['openai', 'gpt-unknown', 'gpt-unknown', 'unknown'],
  ])('%s %s → %s by %s', (provider, model, id, rule) => {
    expect(resolveCatalogModel(provider, model, ['claude-sonnet-4-6', 'gemini-3-flash-preview'], {}, matchers)).toEqual({ modelId: id, rule });
  });
  it('a rule for a model that is not seeded never matches', () => {
    expect(resolveCatalogModel('anthropic', 'claude-sonnet-4-6-x', [], {}, matchers).rule).toBe('unknown');
  });
});

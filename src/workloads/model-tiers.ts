import type { ModelTier, QualityTier } from '../domain/planner/types.js';

// Closed models by capability tier (the catalog's closed models). Anything
// unknown is treated as 'mid'.
const CLOSED_TIERS: Record<string, ModelTier> = {
  'gpt-5': 'frontier',
  o3: 'frontier',
  'claude-opus-4.1': 'frontier',
  'claude-opus-4.5': 'frontier',
  'claude-opus-4.6': 'frontier',
  'claude-sonnet-4': 'frontier',
  'claude-sonnet-4.5': 'frontier',
  'gemini-2.5-pro': 'frontier',
  'gpt-4.1': 'mid',
  'gpt-4o': 'mid',
  'o4-mini': 'mid',
  'claude-haiku-4.5': 'mid',
  'gemini-2.5-flash': 'mid',
  'gpt-5-mini': 'mid',
  'gpt-4o-mini': 'small',
  'gpt-4.1-mini': 'small',
  'gpt-5-nano': 'small',
  'claude-3.5-haiku': 'small',
  'gemini-2.5-flash-lite': 'small',
};

export function closedTier(modelId: string): ModelTier {
  return CLOSED_TIERS[modelId] ?? 'mid';
}

/**
 * The planner's quality tier of a closed model, on the open models' scale:
 * frontier closed models are frontier; mid ones (gpt-4o, Haiku, Flash) are
 * rated like 70B-class open models; small ones (nano, mini, Flash-Lite) like
 * 7-8B open models, so they are not proposed where the task needs more.
 */
export function closedQualityTier(modelId: string): QualityTier {
  const t = closedTier(modelId);
  return t === 'frontier' ? 'frontier' : t === 'mid' ? 'large' : 'small';
}

/**
 * Open models by size: encoders; up to ~10B small; up to ~40B mid; up to
 * ~120B large (70B class, gpt-oss-120b); beyond that frontier-class
 * (405B, DeepSeek-V3, Qwen3-235B). Size is a proxy the org's evaluations override.
 */
export function openQualityTier(model: { kind?: string; paramsB?: number | null }): QualityTier {
  if (model.kind === 'encoder' || model.kind === 'encoder-decoder') return 'encoder';
  const p = model.paramsB ?? 0;
  if (p <= 10) return 'small';
  if (p <= 40) return 'mid';
  if (p <= 130) return 'large';
  return 'frontier';
}

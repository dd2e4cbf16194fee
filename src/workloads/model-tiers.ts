import { REFERENCE } from '../catalog/reference-data.js';
import type { ModelTier, QualityTier } from '../domain/planner/types.js';

// Read from the reference data (closedModels[].tier) so a model added to the
// catalog is tiered where it is priced, not in a second hand-kept table.
const CLOSED_TIERS = new Map(REFERENCE.closedModels.map((m) => [m.id, m.tier]));

/** A closed model's capability tier; one the reference does not list or tier counts as 'mid'. */
export function closedTier(modelId: string): ModelTier {
  return CLOSED_TIERS.get(modelId) ?? 'mid';
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

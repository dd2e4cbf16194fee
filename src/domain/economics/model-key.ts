/**
 * Model names are spelled differently by every source ("Llama-3.1-8B-Instruct",
 * "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", "llama-v3p1-8b-instruct",
 * "Llama 3.1 8B instruct"). Matching reduces each to a key that drops the org
 * path, serving/packaging suffixes and instruction-tuning markers, because those
 * do not change parameter count or architecture, which is all the economics use.
 */

/** Suffix tokens that name a packaging or fine-tune, not a different network. */
const NOISE_TOKENS = new Set([
  'instruct',
  'it',
  'chat',
  'hf',
  'turbo',
  'instant',
  'versatile',
  'fp8',
  'tput',
  'fine',
  'tune',
]);

/** Strict key: org path, "meta-" prefix, noise tokens and punctuation removed (lower case). */
export function modelKey(name: string): string {
  let s = name.toLowerCase().trim();
  const slash = s.lastIndexOf('/');
  if (slash >= 0) s = s.slice(slash + 1);
  s = s.replace(/^meta-/, '');
  // Fireworks spells versions "v3p1" and "qwen2p5".
  s = s.replace(/v(\d+)p(\d+)/g, '$1.$2').replace(/(\d)p(\d)/g, '$1.$2');
  const tokens = s.split(/[\s\-_()]+/).filter((t) => t.length > 0 && !NOISE_TOKENS.has(t));
  return tokens.join('').replace(/[^a-z0-9.]/g, '');
}

/**
 * Loose key: the strict key without a trailing "v0.x" revision, so
 * "Mixtral-8x7B-Instruct-v0.1" meets "mixtral-8x7b-instruct". Only v0.x is
 * dropped: "deepseek-v3" vs "deepseek-v3.1" are different models.
 */
export function looseModelKey(name: string): string {
  return modelKey(name).replace(/v0\.\d+$/, '');
}

/** Same model by strict key (case, org prefix and instruct markers ignored). */
export function sameModel(a: string, b: string): boolean {
  return modelKey(a) === modelKey(b);
}

/** Matches a published model name to one of `ids` by model key: strict key first, then loose; null when none. */
export function matchModelKey(name: string, ids: readonly string[]): string | null {
  const strict = modelKey(name);
  const exact = ids.find((id) => modelKey(id) === strict);
  if (exact !== undefined) return exact;
  const loose = looseModelKey(name);
  // Prefer a catalog entry with no revision of its own ("mistral-7b" over "mistral-7b-v0.3").
  const candidates = ids.filter((id) => looseModelKey(id) === loose);
  return candidates.find((id) => modelKey(id) === loose) ?? candidates[0] ?? null;
}

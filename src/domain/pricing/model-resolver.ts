/*
 * Model names in usage events are spelled by SDKs, gateways and clouds
 * ("openai/gpt-4o", "models/gemini-2.5-pro", "us.anthropic.claude-sonnet-4-20250514-v1:0",
 * "claude-3-5-haiku@20241022"). Resolution applies explicit, ordered rules and
 * reports which one matched, so a surprising price can be traced to its rule.
 * Only suffixes that name a snapshot of the same model are stripped; size or
 * variant words ("-mini", "-nano", "-audio", "-search") never are, so
 * "gpt-4o-mini-2024-07-18" can only become "gpt-4o-mini", never "gpt-4o".
 * A stripped name must be a known id (or alias) to count: nothing is guessed.
 * Last, a name none of those rules knows is tried against the price source's
 * own match rules (e.g. genai-prices' `starts_with: "claude-sonnet-4-6"`),
 * the event provider's models first: the source says which names it prices
 * as which model, so that is a sourced mapping, not a guess.
 */

export type ResolutionRule = 'exact' | 'alias' | 'prefix-stripped' | 'snapshot' | 'match-rule' | 'unknown';

/** A price source's rule for the names it bills as `modelId` (see src/domain/catalog/match-rules.ts). */
export interface ModelMatcher {
  provider: string;
  modelId: string;
  /** True when the source prices `name` (lower-cased, trimmed) as this model; bounded time. */
  test(name: string): boolean;
}

export interface ModelResolution {
  modelId: string;
  rule: ResolutionRule;
}

/** Gateway/SDK spellings "openai:gpt-4o", "google-gla:gemini-2.5-pro" (pydantic-ai, Vercel AI SDK). */
const COLON_PROVIDER_PREFIX =
  /^(?:openai|anthropic|google|google-gla|google-vertex|gemini|vertex_ai|bedrock|azure|groq|mistral|together|fireworks|deepinfra|openrouter):(?=[a-z])/;

/** Bedrock ids: optional cross-region profile ("us.", "eu.", "global.") then vendor ("anthropic.", "meta."). */
const DOTTED_VENDOR_PREFIX = /^(?:[a-z]+(?:-[a-z]+)*\.)+(?=[a-z])/;

/**
 * Snapshot suffixes, tried in order at the end of the name, one per step. Each
 * names a dated or versioned build of the same model at the same list price.
 */
const SNAPSHOT_SUFFIXES: readonly RegExp[] = [
  /@[a-z0-9._-]*$/, // Vertex: claude-3-5-haiku@20241022, gemini-1.5-pro@001
  /-v\d+:\d+$/, // Bedrock: -v1:0
  /-\d{4}-\d{2}-\d{2}$/, // OpenAI: -2024-08-06
  /-\d{8}$/, // Anthropic: -20250514
  /-latest$/,
  /-preview(?:-\d+)*$/, // Gemini: -preview-06-17, -preview-09-2025
  /-exp(?:-\d+)*$/, // Gemini experimental builds
  /-\d{4}$/, // older OpenAI: gpt-4-0613, gpt-3.5-turbo-0125
  /-\d{3}$/, // Gemini stable: -001, -002
];

/** Anthropic's dash-version form: "claude-3-5-haiku" / "claude-opus-4-1" → one digit pair as "3.5" / "4.1". */
const DASH_VERSION = /(^|-)(\d{1,2})-(\d{1,2})(?=-|$)/g;

const PROVIDER_NAMES: Record<string, string> = {
  together_ai: 'together',
  fireworks_ai: 'fireworks',
  // genai-prices' provider ids for the same companies.
  'x-ai': 'xai',
  moonshotai: 'moonshot',
};

/** One spelling per provider: "Together", "together_ai" and "together" are the same company. */
export function canonicalProvider(name: string): string {
  const lower = name.trim().toLowerCase();
  return PROVIDER_NAMES[lower] ?? lower;
}

function norm(s: string): string {
  return s.trim().toLowerCase();
}

/** Prefix-stripped spellings of `name`, most specific (least stripped) first, `name` excluded. */
function strippedPrefixes(name: string): string[] {
  const out: string[] = [];
  let s = name;
  const push = (next: string) => {
    if (next !== s && next.length > 0) {
      out.push(next);
      s = next;
    }
  };
  // One path segment at a time: "together_ai/meta-llama/X" may be known as "meta-llama/X".
  for (let slash = s.indexOf('/'); slash >= 0; slash = s.indexOf('/')) {
    const next = s.slice(slash + 1);
    if (next.length === 0) break;
    push(next);
  }
  push(s.replace(COLON_PROVIDER_PREFIX, ''));
  push(s.replace(DOTTED_VENDOR_PREFIX, ''));
  return out;
}

/** Each dash-version pair of `name` written with a dot, one pair at a time and all pairs at once. */
function dotVersionVariants(name: string): string[] {
  const matches = [...name.matchAll(DASH_VERSION)];
  const out = matches.map((m) => {
    const at = m.index;
    return `${name.slice(0, at)}${m[1]}${m[2]}.${m[3]}${name.slice(at + m[0].length)}`;
  });
  if (matches.length > 1) out.push(name.replace(DASH_VERSION, '$1$2.$3'));
  return out;
}

/**
 * Resolves a model name from a usage event to a catalog id (ids are opaque strings).
 * Aliases may be keyed "provider/name" (wins) or "name"; `provider` scopes only those keys.
 */
export function resolveCatalogModel(
  provider: string,
  model: string,
  known: ReadonlySet<string> | readonly string[],
  aliases: Readonly<Record<string, string>> = {},
  matchers: readonly ModelMatcher[] = [],
): ModelResolution {
  const knownByKey = new Map<string, string>();
  for (const id of known) knownByKey.set(norm(id), id);
  const aliasByKey = new Map<string, string>();
  for (const [from, to] of Object.entries(aliases)) aliasByKey.set(norm(from), to);
  const prov = norm(provider);

  const name = norm(model);
  const alias = (candidate: string): string | undefined =>
    (prov ? aliasByKey.get(`${prov}/${candidate}`) : undefined) ?? aliasByKey.get(candidate);

  const lookup = (candidate: string, rule: ResolutionRule): ModelResolution | null => {
    const a = alias(candidate);
    if (a !== undefined) return { modelId: a, rule: 'alias' };
    const k = knownByKey.get(candidate);
    return k !== undefined ? { modelId: k, rule } : null;
  };

  const exact = lookup(name, 'exact');
  if (exact) return exact;
  const prefixForms = strippedPrefixes(name);
  for (const candidate of prefixForms) {
    const hit = lookup(candidate, 'prefix-stripped');
    if (hit) return hit;
  }

  let s = prefixForms.length > 0 ? prefixForms[prefixForms.length - 1] : name;
  for (;;) {
    for (const variant of dotVersionVariants(s)) {
      const hit = lookup(variant, 'snapshot');
      if (hit) return hit;
    }
    const suffix = SNAPSHOT_SUFFIXES.find((re) => re.test(s));
    if (suffix === undefined) break;
    const next = s.replace(suffix, '');
    if (next.length === 0 || next === s) break;
    s = next;
    const hit = lookup(s, 'snapshot');
    if (hit) return hit;
  }
  if (matchers.length > 0) {
    const candidates = [name, ...prefixForms];
    for (const ownProvider of [true, false]) {
      for (const m of matchers) {
        if ((norm(m.provider) === prov) !== ownProvider) continue;
        if (!knownByKey.has(norm(m.modelId))) continue;
        if (candidates.some((c) => m.test(c))) return { modelId: knownByKey.get(norm(m.modelId))!, rule: 'match-rule' };
      }
    }
  }
  return { modelId: name, rule: 'unknown' };
}

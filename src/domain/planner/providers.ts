import type { ProviderRegions } from './types.js';

/**
 * Provider identity and data-processing regions for the planner. Pure: the adapter passes in the parsed
 * src/reference/provider-regions.json (imported only by src/catalog/reference-data.ts).
 */

export interface ProviderRegionSource {
  id: string;
  url: string;
  date: string;
  note?: string;
}

export interface ProviderRegionEntry {
  id: string;
  displayName: string;
  aliases: string[];
  regions: string[];
  conditions: string | null;
  sourceIds: string[];
}

export interface ProviderRegionTable {
  providers: ProviderRegionEntry[];
  sources: ProviderRegionSource[];
}

const REGION_CODE = /^[a-z]{2,10}(-[a-z0-9]{1,10})?$/;

function norm(s: unknown): string {
  return typeof s === 'string' ? s.trim().toLowerCase() : '';
}

/** Untrusted JSON → a table; entries without an id are dropped, bad region codes ignored (never throws). */
export function readProviderRegions(raw: unknown): ProviderRegionTable {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const list = Array.isArray(r.providers) ? r.providers : [];
  const providers: ProviderRegionEntry[] = [];
  for (const p of list) {
    if (!p || typeof p !== 'object') continue;
    const e = p as Record<string, unknown>;
    const id = norm(e.id);
    if (!id) continue;
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    providers.push({
      id,
      displayName: typeof e.displayName === 'string' && e.displayName.trim() ? e.displayName.trim() : id,
      aliases: [...new Set([id, ...strings(e.aliases).map(norm)])].filter(Boolean),
      regions: strings(e.regions).map(norm).filter((c) => REGION_CODE.test(c)),
      conditions: typeof e.conditions === 'string' ? e.conditions : null,
      sourceIds: strings(e.sourceIds),
    });
  }
  const sources = (Array.isArray(r.sources) ? r.sources : [])
    .filter((s): s is ProviderRegionSource => !!s && typeof s === 'object' && typeof (s as ProviderRegionSource).id === 'string')
    .map((s) => ({ id: s.id, url: String(s.url ?? ''), date: String(s.date ?? ''), note: typeof s.note === 'string' ? s.note : undefined }));
  return { providers, sources };
}

/** The table entry for a provider spelling ("groq", "Groq", "together_ai"), case-insensitive; null when unknown. */
export function findProvider(table: ProviderRegionTable, provider: string | null | undefined): ProviderRegionEntry | null {
  const key = norm(provider);
  if (!key) return null;
  return table.providers.find((p) => p.aliases.includes(key)) ?? null;
}

/** One key per provider (the table id, else the lower-cased trimmed name): "Groq" and "groq" give "groq". */
export function providerKey(table: ProviderRegionTable, provider: string | null | undefined): string {
  return findProvider(table, provider)?.id ?? norm(provider);
}

/** The display spelling of a provider ("DeepInfra" for "deepinfra"); unknown names are returned trimmed. */
export function providerDisplayName(table: ProviderRegionTable, provider: string | null | undefined): string {
  return findProvider(table, provider)?.displayName ?? (typeof provider === 'string' ? provider.trim() : '');
}

/** The provider's processing regions for the planner's data-control gate; null when the table does not list it (not proven). */
export function providerRegionsFor(table: ProviderRegionTable, provider: string | null | undefined): ProviderRegions | null {
  const e = findProvider(table, provider);
  if (!e) return null;
  return { provider: e.displayName, regions: [...e.regions], conditions: e.conditions, sourceIds: [...e.sourceIds] };
}

/**
 * True when `offered` keeps data inside `required`: the same code, or a narrower one ('eu-west' satisfies 'eu').
 * A broader offer does not satisfy a narrower need ('eu' does not prove 'eu-west').
 */
export function regionSatisfies(offered: string, required: string): boolean {
  const o = norm(offered);
  const r = norm(required);
  return o !== '' && (o === r || o.startsWith(`${r}-`));
}

/** Same provider, whatever the spelling: trimmed, case-insensitive, '_ai' suffix and aliases folded when a table is given. */
export function sameProvider(a: string | null | undefined, b: string | null | undefined, table?: ProviderRegionTable): boolean {
  if (!norm(a) || !norm(b)) return false;
  if (table) return providerKey(table, a) === providerKey(table, b);
  const fold = (s: string | null | undefined) => norm(s).replace(/_ai$/, '');
  return fold(a) === fold(b);
}

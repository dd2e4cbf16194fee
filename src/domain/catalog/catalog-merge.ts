import { selectInForce } from '../pricing/price.js';
import { rateDifferences, RATE_FIELDS, versionsOfModel, catalogIdOf, type GenaiMatch, type GenaiProvider, type SeedRates, type SeedSkip, type SeedVersion } from './genai-prices.js';
import { compileMatch, equalsNames } from './match-rules.js';

/*
 * Two sources price closed models: the genai-prices package (maintained,
 * start-dated history, cache-write TTL and modality rates) and Crossover's
 * reference file (a one-off research copy, also the only source for managed
 * open-model APIs and GPU facts). Where both price the same provider + model:
 *   - the package WINS: it is maintained upstream and carries history and the
 *     class rates the file lacks, so upgrading it is how prices move;
 *   - a rate the package leaves out but the file has (e.g. a long-context tier)
 *     is filled from the file: dropping it would under-bill, and the file
 *     names its source for it;
 * and the note on each merged version says so, with every rate in which the
 * two disagreed. A model only one source prices comes from that source.
 * The package model is filed under the reference's catalog id when its match
 * rule accepts that id (claude-sonnet-4-5 → claude-sonnet-4.5), so one model
 * never has two catalog ids.
 */

export interface PackageSource {
  /** Crossover's provider name for the package provider (canonical, lower-case). */
  provider: string;
  data: GenaiProvider;
  kind?: 'closed' | 'managed_open';
}

export interface AliasRow {
  alias: string;
  modelId: string;
  provider: string;
}

export interface MatcherRow {
  provider: string;
  modelId: string;
  match: GenaiMatch;
}

/** Which source a model's prices come from, and why (shown by GET /v1/catalog/models and logged at seed). */
export interface SourceDecision {
  provider: string;
  modelId: string;
  winner: string;
  sources: string[];
  reason: string;
}

export interface MergedCatalog {
  versions: SeedVersion[];
  aliases: AliasRow[];
  matchers: MatcherRow[];
  skips: SeedSkip[];
  decisions: SourceDecision[];
}

const key = (provider: string, modelId: string) => `${provider}\u0000${modelId}`;

/**
 * Merges the package's providers (in priority order: a model id already taken
 * by an earlier provider is skipped, e.g. Google Vertex's claude models behind
 * Anthropic's) with the reference rows. `at` picks the versions compared.
 */
export function mergeCatalog(
  packages: readonly PackageSource[],
  reference: readonly SeedVersion[],
  referenceAliases: readonly AliasRow[],
  opts: { source: string; baseFrom: Date; at: Date },
): MergedCatalog {
  const refByKey = new Map(reference.map((r) => [key(r.provider, r.modelId), r]));
  const refClosedByProvider = new Map<string, SeedVersion[]>();
  for (const r of reference) if (r.kind === 'closed') refClosedByProvider.set(r.provider, [...(refClosedByProvider.get(r.provider) ?? []), r]);
  const refSourceKeys = new Map<string, string[]>();
  for (const a of referenceAliases) refSourceKeys.set(key(a.provider, a.modelId), [...(refSourceKeys.get(key(a.provider, a.modelId)) ?? []), a.alias]);

  const versions: SeedVersion[] = [];
  const skips: SeedSkip[] = [];
  const decisions: SourceDecision[] = [];
  const matchers: MatcherRow[] = [];
  const takenIds = new Map<string, string>(); // catalog id → "provider/package id" that took it
  const fromPackage = new Set<string>();
  const earlier: { provider: string; owner: string; test: (name: string) => boolean }[] = [];
  const packageIds: { provider: string; modelId: string; packageId: string; match: GenaiMatch }[] = [];

  for (const pkg of packages) {
    for (const model of pkg.data.models) {
      const compiled = compileMatch(model.match);
      for (const r of compiled.refused) skips.push({ provider: pkg.provider, modelId: model.id, reason: `match rule pattern refused: ${r}` });
      const refHit = (refClosedByProvider.get(pkg.provider) ?? []).find(
        (r) => catalogIdOf(model) === r.modelId || compiled.test(r.modelId) || (refSourceKeys.get(key(r.provider, r.modelId)) ?? []).some((k) => compiled.test(k)),
      );
      const modelId = refHit?.modelId ?? catalogIdOf(model);
      const owner =
        takenIds.get(modelId) ??
        takenIds.get(catalogIdOf(model)) ??
        // An earlier provider's rule already prices this id (Anthropic's starts_with claude-3-7-sonnet).
        earlier.find((e) => e.provider !== pkg.provider && e.test(catalogIdOf(model)))?.owner;
      if (owner !== undefined) {
        skips.push({ provider: pkg.provider, modelId, reason: `model id already seeded from ${owner}; one catalog id has one provider's prices` });
        continue;
      }
      const { versions: vs, skips: ss } = versionsOfModel(pkg.provider, modelId, model, { source: opts.source, baseFrom: opts.baseFrom, kind: pkg.kind });
      skips.push(...ss);
      if (vs.length === 0) continue;
      // The package's own id and its exact names are this model's too: a later provider's copy
      // (Vertex's claude-sonnet-4-5 behind Anthropic's) must not become a second catalog model.
      for (const name of [modelId, catalogIdOf(model), ...equalsNames(model.match)]) if (!takenIds.has(name)) takenIds.set(name, `${pkg.data.id}/${model.id}`);
      fromPackage.add(key(pkg.provider, modelId));
      earlier.push({ provider: pkg.provider, owner: `${pkg.data.id}/${model.id}`, test: compiled.test });
      packageIds.push({ provider: pkg.provider, modelId, packageId: catalogIdOf(model), match: model.match });
      matchers.push({ provider: pkg.provider, modelId, match: model.match });

      const ref = refByKey.get(key(pkg.provider, modelId));
      if (ref === undefined) {
        versions.push(...vs);
        decisions.push({ provider: pkg.provider, modelId, winner: opts.source, sources: [opts.source], reason: `only ${opts.source} prices it` });
        continue;
      }
      const current = selectInForce(vs, opts.at) ?? vs[vs.length - 1];
      const differs = rateDifferences(ref, current);
      const filled: string[] = [];
      for (const v of vs) {
        for (const f of RATE_FIELDS) {
          if (f === 'tiers') {
            if (v.tiers.length === 0 && ref.tiers.length > 0) {
              v.tiers = ref.tiers.map((t) => ({ ...t }));
              if (!filled.includes('tiers')) filled.push('tiers');
            }
          } else if (v[f] === null && ref[f] !== null) {
            (v as unknown as Record<string, unknown>)[f] = ref[f];
            if (!filled.includes(f)) filled.push(f);
          }
        }
      }
      const reason =
        `${opts.source} wins over ${ref.source} (reference file): maintained upstream, with start-dated history and cache-write TTL / modality rates` +
        (differs.length === 0 ? '; both sources agree on every rate' : `; they disagree on ${differs.join('; ')} (reference→package)`) +
        (filled.length > 0 ? `; filled from ${ref.source} where the package has no rate: ${filled.join(', ')}` : '');
      for (const v of vs) v.note = v.note === null ? reason : `${reason}. ${v.note}`;
      versions.push(...vs);
      decisions.push({ provider: pkg.provider, modelId, winner: opts.source, sources: [ref.source, opts.source], reason });
    }
  }

  for (const r of reference) {
    if (fromPackage.has(key(r.provider, r.modelId))) continue;
    if (r.kind === 'closed' && takenIds.has(r.modelId)) {
      skips.push({ provider: r.provider, modelId: r.modelId, reason: `reference row left out: id already seeded from ${takenIds.get(r.modelId)}` });
      continue;
    }
    versions.push(r);
    decisions.push({ provider: r.provider, modelId: r.modelId, winner: r.source, sources: [r.source], reason: `only the reference file prices it (${r.source})` });
  }

  // Aliases: the reference's source keys, then each package model's `equals` names and its own id, first wins.
  const seededIds = new Set(versions.map((v) => v.modelId));
  const aliases = new Map<string, AliasRow>();
  const addAlias = (a: AliasRow) => {
    const alias = a.alias.trim().toLowerCase();
    if (alias.length === 0 || alias.length > 200 || alias === a.modelId || seededIds.has(alias) || aliases.has(alias)) return;
    aliases.set(alias, { ...a, alias });
  };
  for (const a of referenceAliases) addAlias(a);
  for (const p of packageIds) {
    addAlias({ alias: p.packageId, modelId: p.modelId, provider: p.provider });
    for (const name of equalsNames(p.match)) addAlias({ alias: name, modelId: p.modelId, provider: p.provider });
  }
  return { versions, aliases: [...aliases.values()], matchers, skips, decisions };
}

export type { SeedRates };

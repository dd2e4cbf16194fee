import type { Reference } from '../domain/reference/reference-reader.js';
import { mergeCatalog, type MergedCatalog, type PackageSource } from '../domain/catalog/catalog-merge.js';
import type { SeedVersion } from '../domain/catalog/genai-prices.js';
import type { PriceSeedRow } from './catalog.repository.js';
import { REFERENCE, SEED_EFFECTIVE_FROM } from './reference-data.js';

/** Catalog rows (USD per 1M tokens) for closed models and managed open APIs, each with its source id. */
export function priceRowsFromReference(ref: Reference = REFERENCE): PriceSeedRow[] {
  const rows: PriceSeedRow[] = ref.closedModels.map((m) => ({
    provider: m.provider,
    modelId: m.id,
    kind: 'closed',
    inputPerMTok: m.inputPerMTok,
    outputPerMTok: m.outputPerMTok,
    cachedInputPerMTok: m.cachedInputPerMTok,
    cacheWritePerMTok: m.cacheWritePerMTok,
    tiers: m.longContext ? [{ aboveInputTokens: m.longContext.thresholdTokens, inputPerMTok: m.longContext.inputPerMTok, outputPerMTok: m.longContext.outputPerMTok }] : [],
    contextTokens: m.contextTokens,
    effectiveFrom: SEED_EFFECTIVE_FROM,
    source: m.source,
  }));
  const seen = new Set<string>();
  for (const m of ref.managedOpenApis) {
    // One row per (provider, model, effectiveFrom) in the table; should the file list an
    // offer twice (two spellings of the provider), the first wins.
    if (seen.has(`${m.provider}/${m.modelId}`)) continue;
    seen.add(`${m.provider}/${m.modelId}`);
    rows.push({
      provider: m.provider,
      modelId: m.modelId,
      kind: 'managed_open',
      inputPerMTok: m.inputPerMTok,
      outputPerMTok: m.outputPerMTok,
      cachedInputPerMTok: null,
      cacheWritePerMTok: null,
      tiers: [],
      contextTokens: m.contextTokens,
      effectiveFrom: SEED_EFFECTIVE_FROM,
      source: m.source,
    });
  }
  return rows;
}

/** Explicit aliases: the id the price source files a model under, where it differs from the catalog's. */
export function aliasRowsFromReference(ref: Reference = REFERENCE) {
  return ref.closedModels
    .filter((m) => m.sourceKey !== null && m.sourceKey !== m.id)
    .map((m) => ({ alias: m.sourceKey!, modelId: m.id, provider: m.provider }));
}

/** Open models (current and the older seed models), GPUs, measured throughput and routing results, stored as published. */
export function factRowsFromReference(ref: Reference = REFERENCE) {
  const rows: { kind: string; id: string; data: unknown; source: string }[] = [];
  for (const m of [...ref.openModels, ...ref.seedModels]) rows.push({ kind: 'open_model', id: m.id, data: { ...m.published, generation: m.generation }, source: m.source });
  for (const g of ref.gpus) rows.push({ kind: 'gpu', id: g.id, data: g.published, source: g.source });
  for (const t of ref.throughput) rows.push({ kind: 'throughput', id: t.key, data: t.published, source: t.source });
  for (const r of ref.routingResults) rows.push({ kind: 'routing_result', id: r.id, data: r.published, source: r.source });
  return rows;
}

/** The reference file's price rows as seed versions (open-ended from SEED_EFFECTIVE_FROM, no class rates). */
export function referenceSeedVersions(ref: Reference = REFERENCE): SeedVersion[] {
  return priceRowsFromReference(ref).map((r) => ({
    ...r,
    tiers: r.tiers.map((t) => ({ ...t })),
    cacheWrite1hPerMTok: null,
    inputAudioPerMTok: null,
    cachedInputAudioPerMTok: null,
    outputAudioPerMTok: null,
    inputImagePerMTok: null,
    inputVideoPerMTok: null,
    effectiveTo: null,
    note: null,
  }));
}

/**
 * The whole price catalog to seed: the genai-prices package's providers merged
 * with the reference file (see src/domain/catalog/catalog-merge.ts for which
 * source wins and why). `at`: when "the price in force" is judged for notes.
 */
export function mergedCatalog(packages: readonly PackageSource[], source: string, at: Date, ref: Reference = REFERENCE): MergedCatalog {
  return mergeCatalog(packages, referenceSeedVersions(ref), aliasRowsFromReference(ref), { source, baseFrom: SEED_EFFECTIVE_FROM, at });
}

import { canonicalProvider, REFERENCE, SEED_EFFECTIVE_FROM, type ReferenceData } from './reference-data.js';
import type { PriceSeedRow } from './catalog.repository.js';

// Numbers from JSON become decimal strings through String(), which prints the
// shortest exact representation of the parsed double (0.1 → "0.1").
const dec = (n: number | null | undefined): string | null => (n === null || n === undefined ? null : String(n));

/** Catalog rows for closed models and managed open APIs, each with its source id. */
export function priceRowsFromReference(ref: ReferenceData = REFERENCE): PriceSeedRow[] {
  const rows: PriceSeedRow[] = [];
  for (const m of ref.closedModels) {
    const lc = m.longContextPricing as { thresholdTokens: number; inputPerMTok: number; outputPerMTok: number } | null;
    rows.push({
      provider: canonicalProvider(m.provider),
      modelId: m.id,
      kind: 'closed',
      inputPerMTok: dec(m.inputPerMTok)!,
      outputPerMTok: dec(m.outputPerMTok)!,
      cachedInputPerMTok: dec(m.cachedInputPerMTok),
      cacheWritePerMTok: dec(m.cacheWritePerMTok as number | null),
      tiers: lc ? [{ aboveInputTokens: lc.thresholdTokens, inputPerMTok: dec(lc.inputPerMTok)!, outputPerMTok: dec(lc.outputPerMTok)! }] : [],
      contextTokens: m.contextTokens ?? null,
      effectiveFrom: SEED_EFFECTIVE_FROM,
      source: m.source,
    });
  }
  const seen = new Set<string>();
  for (const m of ref.managedOpenApis) {
    const provider = canonicalProvider(m.provider);
    const modelId = m.model.trim().toLowerCase();
    // The file lists some offers twice under two spellings of the provider; the first wins.
    if (seen.has(`${provider}/${modelId}`) || m.inputPerMTok === null || m.outputPerMTok === null) continue;
    seen.add(`${provider}/${modelId}`);
    rows.push({
      provider,
      modelId,
      kind: 'managed_open',
      inputPerMTok: dec(m.inputPerMTok)!,
      outputPerMTok: dec(m.outputPerMTok)!,
      cachedInputPerMTok: null,
      cacheWritePerMTok: null,
      tiers: [],
      contextTokens: (m.contextTokens as number | null) ?? null,
      effectiveFrom: SEED_EFFECTIVE_FROM,
      source: m.source,
    });
  }
  return rows;
}

/** Explicit aliases: the provider's own spelling of a model id where it differs from the catalog's. */
export function aliasRowsFromReference(ref: ReferenceData = REFERENCE) {
  return ref.closedModels
    .filter((m) => m.sourceKey && m.sourceKey.toLowerCase() !== m.id)
    .map((m) => ({ alias: m.sourceKey.toLowerCase(), modelId: m.id, provider: canonicalProvider(m.provider) }));
}

/** Open models (current and the older seed models), GPUs, measured throughput and routing results. */
export function factRowsFromReference(ref: ReferenceData = REFERENCE) {
  const rows: { kind: string; id: string; data: unknown; source: string }[] = [];
  for (const m of ref.openModels) rows.push({ kind: 'open_model', id: m.id, data: { ...m, generation: 'current' }, source: m.source });
  for (const m of ref.seedModels) rows.push({ kind: 'open_model', id: m.id, data: { ...m, generation: 'seed' }, source: m.source });
  for (const g of ref.gpus) rows.push({ kind: 'gpu', id: g.id, data: g, source: g.source });
  ref.throughput.forEach((t) =>
    rows.push({ kind: 'throughput', id: `${t.model}|${t.gpu}|${t.count}|${t.precision}|${t.engine}|${t.islOsl}|${t.concurrency}`, data: t, source: t.source }),
  );
  for (const r of ref.routingResults) rows.push({ kind: 'routing_result', id: r.id, data: r, source: r.source });
  return rows;
}

import { selectInForce } from '../pricing/price.js';
import { rateDifferences, type SeedRates, type SeedVersion } from './genai-prices.js';

/*
 * Seeding is append-only, so history is never rewritten and stored costs never
 * move (POST /v1/catalog/reprice stays the explicit way to re-price):
 *   - a model the catalog lacks gets every version the sources give it;
 *   - a known model gets the dated versions that start after its latest stored one;
 *   - when the sources' price in force now still differs from the stored one
 *     (a newer package corrected a price, or a new source won), a new version
 *     starts at `now`: events before it keep the price they were billed at;
 *   - a stored row is only ever closed (effectiveTo null → the next version's
 *     start), never re-rated or deleted.
 * Running the plan again against its own result plans nothing (idempotent).
 */

/** A stored price version as the plan needs it (rates as decimal strings or Decimals). */
export interface StoredVersion extends Partial<Record<keyof SeedRates, unknown>> {
  provider: string;
  modelId: string;
  effectiveFrom: Date;
  effectiveTo: Date | null;
  source: string;
}

export interface SeedPlan {
  inserts: SeedVersion[];
  /** Stored open-ended versions to close at `effectiveTo` (the next version's start). */
  closes: { provider: string; modelId: string; effectiveFrom: Date; effectiveTo: Date }[];
  /** One line per decision, for the seed log. */
  log: string[];
}

const key = (provider: string, modelId: string) => `${provider}\u0000${modelId}`;

/** What to add to the stored catalog so it carries the desired versions (see the block comment). */
export function planSeed(desired: readonly SeedVersion[], stored: readonly StoredVersion[], now: Date): SeedPlan {
  const storedBy = new Map<string, StoredVersion[]>();
  for (const s of stored) storedBy.set(key(s.provider, s.modelId), [...(storedBy.get(key(s.provider, s.modelId)) ?? []), s]);
  const desiredBy = new Map<string, SeedVersion[]>();
  for (const d of desired) desiredBy.set(key(d.provider, d.modelId), [...(desiredBy.get(key(d.provider, d.modelId)) ?? []), d]);

  const inserts: SeedVersion[] = [];
  const closes: SeedPlan['closes'] = [];
  const log: string[] = [];
  for (const [k, want] of desiredBy) {
    want.sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
    const have = storedBy.get(k) ?? [];
    const { provider, modelId } = want[0];
    if (have.length === 0) {
      inserts.push(...want);
      continue;
    }
    const latest = Math.max(...have.map((h) => h.effectiveFrom.getTime()));
    const added = want.filter((w) => w.effectiveFrom.getTime() > latest);
    inserts.push(...added);
    for (const a of added) log.push(`${provider}/${modelId}: new version from ${a.effectiveFrom.toISOString()} (${a.source})`);

    const wantNow = selectInForce(want, now);
    const haveNow = selectInForce<StoredVersion>([...have, ...added], now);
    if (wantNow !== null && haveNow !== null) {
      const diff = rateDifferences(haveNow, wantNow);
      if (diff.length > 0 && wantNow !== haveNow) {
        const nextStart = want.find((w) => w.effectiveFrom.getTime() > now.getTime())?.effectiveFrom ?? null;
        const note = `${wantNow.source} differs from the stored version in force (${haveNow.source}): ${diff.join('; ')}; added from ${now.toISOString()}, earlier events keep their price`;
        inserts.push({ ...wantNow, effectiveFrom: now, effectiveTo: nextStart, note: wantNow.note === null ? note : `${note}. ${wantNow.note}` });
        log.push(`${provider}/${modelId}: ${note}`);
      }
    }
  }
  // Close each stored open-ended version at the start of the first inserted version after it.
  for (const s of stored) {
    if (s.effectiveTo !== null) continue;
    const after = inserts
      .filter((i) => i.provider === s.provider && i.modelId === s.modelId && i.effectiveFrom.getTime() > s.effectiveFrom.getTime())
      .map((i) => i.effectiveFrom.getTime());
    if (after.length > 0) closes.push({ provider: s.provider, modelId: s.modelId, effectiveFrom: s.effectiveFrom, effectiveTo: new Date(Math.min(...after)) });
  }
  return { inserts, closes, log };
}

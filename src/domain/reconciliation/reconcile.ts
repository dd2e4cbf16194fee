import { Money, type Decimal } from '../money.js';

/*
 * Reconciliation: what Crossover metered against what a provider billed, and
 * why they differ. Pure: plain values in, plain values out.
 *
 * The unit of comparison is a CELL: one provider, one UTC day, one model (and
 * one project when the caller groups by project). Rows of a report are sums of
 * cells, so every estimate is worked where the data is finest and then added.
 *
 * Per cell, delta = billed - metered is explained by a waterfall; each step
 * uses only the cell's data and what the steps before it left:
 *
 *   timing            opposite token imbalances on neighbouring days of the same
 *                     model (metered on one UTC day, billed on the next): the
 *                     metered tokens (and their metered cost, pro rata) move to
 *                     the day that billed them. estimate = metered cost moved in
 *                     - moved out. Done first, across cells (applyTiming).
 *   not_instrumented  billed lines that are not tokens (web search...), a cell
 *                     billed but never metered (its billed amount), and billed
 *                     tokens beyond the metered ones of a class (deficit x the
 *                     billed rate of that class).
 *   unpriced_model    metered tokens without a catalog price (metered $0):
 *                     the billed amount of those tokens.
 *   service_tier      the covered tokens at catalog rates with the tier mix the
 *                     provider billed minus with the tier mix metered.
 *   cache_write_ttl   cache-write tokens billed as 1-hour writes but metered as
 *                     5-minute ones (or the reverse) x (1h rate - 5m rate).
 *   price_mismatch    per token class: covered tokens x (billed rate - catalog
 *                     rate at the billed tier), both rates in the detail.
 *
 * When metered = catalog(metered tokens) and every billed class has its tokens,
 * the estimates add up to the delta exactly; whatever the data does not
 * support stays in `unexplainedUsd`. Nothing is ever forced to fit.
 */

export const CAUSES = ['timing', 'not_instrumented', 'unpriced_model', 'service_tier', 'cache_write_ttl', 'price_mismatch'] as const;
export type Cause = (typeof CAUSES)[number];

/** Token classes priced apart; `input` is fresh (uncached, unwritten) input. */
export const TOKEN_CLASSES = ['input', 'cached', 'cacheWrite5m', 'cacheWrite1h', 'output'] as const;
export type TokenClass = (typeof TOKEN_CLASSES)[number];

/** Token counts of one tier in canonical semantics (input includes cache reads and writes; writes include 1h writes). */
export interface TierTokens {
  inputTokens: Decimal.Value;
  cachedInputTokens: Decimal.Value;
  cacheWriteTokens: Decimal.Value;
  cacheWrite1hTokens: Decimal.Value;
  outputTokens: Decimal.Value;
}

/** What was metered in a cell (from the daily rollups). */
export interface MeteredCell {
  /** USD, as computed at ingest. */
  costUsd: Decimal.Value;
  requests: Decimal.Value;
  /** Tokens (input + output) of requests no catalog price covered. */
  unpricedTokens: Decimal.Value;
  /** Tokens by service tier (default, batch, flex, priority). */
  byTier: Record<string, TierTokens>;
}

/** One billed amount (USD) of a cell: a cost line's class, tier and cost type. */
export interface BilledAmount {
  tier: string;
  /** Token class, 'unclassified' for token lines of an unknown type, null for lines that are not tokens. */
  cls: TokenClass | 'unclassified' | null;
  /** The line's cost type or line item when it is not tokens (web_search, code_execution...). */
  label?: string;
  usd: Decimal.Value;
}

/** What the provider billed (cost lines) and counted (usage lines) in a cell. */
export interface BilledCell {
  amounts: BilledAmount[];
  byTier: Record<string, TierTokens>;
}

/** Catalog rates of a cell's model on its day at the standard tier (USD per 1M tokens), with where they came from. */
export interface CatalogRates {
  rates: Record<TokenClass, Decimal>;
  /** Price version or override id, for the details. */
  source: string;
}

/** Price factor of a service tier for a token class relative to standard (batch: 0.5); null when not known. */
export type TierFactor = (tier: string, cls: TokenClass) => Decimal | null;

export interface Cell {
  key: Record<string, string>;
  day: string;
  metered: MeteredCell;
  billed: BilledCell;
  /** null: no catalog price for the model that day. */
  catalog: CatalogRates | null;
  tierFactor: TierFactor;
}

export interface Explanation {
  cause: Cause;
  /** USD, signed like the delta it explains (positive: billed more than metered). */
  estimatedUsd: Decimal;
  detail?: string;
}

export interface CellResult {
  key: Record<string, string>;
  meteredCostUsd: Decimal;
  billedCostUsd: Decimal;
  meteredTokens: Decimal;
  billedTokens: Decimal;
  explanations: Explanation[];
}

type Vec = Record<TokenClass, Decimal>;

const ZERO = new Money(0);
const MILLION = new Money(1_000_000);

function zeroVec(): Vec {
  return { input: ZERO, cached: ZERO, cacheWrite5m: ZERO, cacheWrite1h: ZERO, output: ZERO };
}

/** Canonical tier tokens → class vector (tokens). */
export function classVector(t: TierTokens): Vec {
  const input = new Money(t.inputTokens);
  const cached = new Money(t.cachedInputTokens);
  const cw = new Money(t.cacheWriteTokens);
  const cw1h = Money.min(new Money(t.cacheWrite1hTokens), cw);
  return { input: Money.max(ZERO, input.minus(cached).minus(cw)), cached, cacheWrite5m: cw.minus(cw1h), cacheWrite1h: cw1h, output: new Money(t.outputTokens) };
}

function addVec(a: Vec, b: Vec): Vec {
  const out = zeroVec();
  for (const k of TOKEN_CLASSES) out[k] = a[k].plus(b[k]);
  return out;
}

function total(v: Vec): Decimal {
  return TOKEN_CLASSES.reduce((s, k) => s.plus(v[k]), ZERO);
}

function tiersOf(byTier: Record<string, TierTokens>): Map<string, Vec> {
  return new Map(Object.entries(byTier).map(([t, v]) => [t, classVector(v)]));
}

function sumTiers(m: Map<string, Vec>): Vec {
  let out = zeroVec();
  for (const v of m.values()) out = addVec(out, v);
  return out;
}

/** Metered + billed tokens of a cell (input + output, canonical), for coverage. */
export function cellTokens(c: Pick<Cell, 'metered' | 'billed'>): { metered: Decimal; billed: Decimal } {
  return { metered: total(sumTiers(tiersOf(c.metered.byTier))), billed: total(sumTiers(tiersOf(c.billed.byTier))) };
}

function usd(d: Decimal): string {
  return d.toDecimalPlaces(6).toFixed();
}

function perM(d: Decimal): string {
  return `$${d.toDecimalPlaces(6).toFixed()}/1M`;
}

const CLASS_LABEL: Record<TokenClass, string> = { input: 'input', cached: 'cached input', cacheWrite5m: '5-minute cache writes', cacheWrite1h: '1-hour cache writes', output: 'output' };

/**
 * Explains one cell (after timing): the causes other than timing, each an estimate in USD worked from the
 * cell's data. The residual is not returned; it is the delta minus the estimates.
 */
export function explainCell(c: Cell): Explanation[] {
  const out: Explanation[] = [];
  const add = (cause: Cause, est: Decimal, detail?: string) => {
    if (!est.isZero()) out.push({ cause, estimatedUsd: est, ...(detail ? { detail } : {}) });
  };
  const metered = tiersOf(c.metered.byTier);
  const billed = tiersOf(c.billed.byTier);
  const m = sumTiers(metered);
  const n = sumTiers(billed);
  const Tm = total(m);
  const Tb = total(n);

  // Lines that are not tokens are never metered: web search, code execution, storage.
  const nonToken = c.billed.amounts.filter((a) => a.cls === null);
  const nonTokenUsd = nonToken.reduce((s, a) => s.plus(a.usd), ZERO);
  if (!nonTokenUsd.isZero()) add('not_instrumented', nonTokenUsd, `billed ${[...new Set(nonToken.map((a) => a.label || 'other'))].join(', ')} (not token usage, never metered)`);
  const tokenAmounts = c.billed.amounts.filter((a) => a.cls !== null);
  const Bt = tokenAmounts.reduce((s, a) => s.plus(a.usd), ZERO);

  if (Tm.isZero()) {
    add('not_instrumented', Bt, `billed ${usd(Bt)} USD${Tb.isZero() ? '' : ` for ${Tb.toFixed()} tokens`} that were never metered`);
    return out;
  }

  const unpriced = Money.min(new Money(c.metered.unpricedTokens), Tm);
  if (c.catalog === null || unpriced.gt(0)) {
    // Tokens beyond the metered ones are not instrumented; the metered share of the billed amount is unpriced.
    const unpricedShare = c.catalog === null ? new Money(1) : unpriced.div(Tm);
    const coveredShare = Tb.gt(Tm) ? Tm.div(Tb) : new Money(1);
    const unpricedUsd = Bt.mul(coveredShare).mul(unpricedShare);
    add('unpriced_model', unpricedUsd, `${unpriced.toFixed()} metered tokens of a model without a catalog price (metered at $0); billed ${usd(unpricedUsd)} USD`);
    if (Tb.gt(Tm)) add('not_instrumented', Bt.mul(new Money(1).minus(coveredShare)), `${Tb.minus(Tm).toFixed()} billed tokens were never metered`);
    // A partly unpriced cell is not worked further: the priced part's other causes stay in the residual.
    return out;
  }
  if (Tb.isZero()) return out; // No usage lines: nothing to compare tokens with; the delta stays unexplained.

  let rates = c.catalog.rates;
  // Billed amounts and tokens by class, across tiers. Class rates need every token line classified.
  const b = zeroVec();
  let unclassified = ZERO;
  for (const a of tokenAmounts) {
    if (a.cls === 'unclassified' || a.cls === null) unclassified = unclassified.plus(a.usd);
    else b[a.cls] = b[a.cls].plus(a.usd);
  }
  const classRatesKnown = unclassified.isZero() && TOKEN_CLASSES.every((k) => n[k].gt(0) || b[k].isZero());
  const avgBilledRate = Bt.div(Tb).mul(MILLION);
  const billedRate = (k: TokenClass): Decimal => (classRatesKnown && n[k].gt(0) ? b[k].div(n[k]).mul(MILLION) : avgBilledRate);
  const cwBilledRate = classRatesKnown && n.cacheWrite5m.plus(n.cacheWrite1h).gt(0)
    ? b.cacheWrite5m.plus(b.cacheWrite1h).div(n.cacheWrite5m.plus(n.cacheWrite1h)).mul(MILLION)
    : avgBilledRate;

  // Coverage: cache writes compare as one class (the TTL split is cache_write_ttl's business).
  const mcw = m.cacheWrite5m.plus(m.cacheWrite1h);
  const ncw = n.cacheWrite5m.plus(n.cacheWrite1h);
  const covered: Record<'input' | 'cached' | 'output', Decimal> = { input: Money.min(m.input, n.input), cached: Money.min(m.cached, n.cached), output: Money.min(m.output, n.output) };
  const ccw = Money.min(mcw, ncw);
  let missingUsd = ZERO;
  let missingTokens = ZERO;
  for (const k of ['input', 'cached', 'output'] as const) {
    const deficit = Money.max(ZERO, n[k].minus(m[k]));
    missingTokens = missingTokens.plus(deficit);
    missingUsd = missingUsd.plus(deficit.mul(billedRate(k)).div(MILLION));
  }
  const cwDeficit = Money.max(ZERO, ncw.minus(mcw));
  missingTokens = missingTokens.plus(cwDeficit);
  missingUsd = missingUsd.plus(cwDeficit.mul(cwBilledRate).div(MILLION));
  add('not_instrumented', missingUsd, `${missingTokens.toFixed()} billed tokens beyond the metered ones (coverage ${Tm.div(Tb).toDecimalPlaces(4).toFixed()})`);

  // Covered cache writes split by TTL, as metered and as billed.
  const c1hMetered = Money.min(m.cacheWrite1h, ccw);
  const c1hBilled = Money.min(n.cacheWrite1h, ccw);
  const coveredAs = (c1h: Decimal): Vec => ({ ...covered, cacheWrite5m: ccw.minus(c1h), cacheWrite1h: c1h });

  // Tier mixes (share of tokens per tier) and the catalog cost of the covered tokens under a mix.
  const mix = (t: Map<string, Vec>, T: Decimal) => new Map([...t].map(([tier, v]) => [tier, total(v).div(T)] as const).filter(([, s]) => s.gt(0)));
  const meteredMix = mix(metered, Tm);
  const billedMix = mix(billed, Tb);
  const mixFactor = (mx: Map<string, Decimal>, k: TokenClass): Decimal | null => {
    let f = ZERO;
    for (const [tier, share] of mx) {
      const tf = c.tierFactor(tier, k);
      if (tf === null) return null;
      f = f.plus(share.mul(tf));
    }
    return f;
  };
  const catalogCost = (v: Vec, mx: Map<string, Decimal>): Decimal | null => {
    let s = ZERO;
    for (const k of TOKEN_CLASSES) {
      if (v[k].isZero()) continue;
      const f = mixFactor(mx, k);
      if (f === null) return null;
      s = s.plus(v[k].mul(rates[k]).mul(f).div(MILLION));
    }
    return s;
  };
  // The catalog as Crossover metered it. Rollups keep the cell's cost, not its rates, and the cost may differ
  // from the catalog's standard rates times the tokens: requests above a long-context threshold, an org's
  // discount or custom price. The rates are scaled by metered / catalog(metered tokens), so a bill that matches
  // what Crossover metered shows no price_mismatch; the scale is named in the details.
  const meteredAtCatalog = catalogCost(m, meteredMix);
  const asMetered = meteredAtCatalog !== null && meteredAtCatalog.gt(0) ? new Money(c.metered.costUsd).div(meteredAtCatalog) : new Money(1);
  if (!asMetered.eq(1)) rates = Object.fromEntries(TOKEN_CLASSES.map((k) => [k, rates[k].mul(asMetered)])) as Vec;
  const scaleNote = asMetered.eq(1) ? '' : ` (catalog x ${asMetered.toDecimalPlaces(4).toFixed()} as metered: long-context requests or the org's own prices)`;
  const sameMix = meteredMix.size === billedMix.size && [...meteredMix].every(([t, s]) => billedMix.get(t)?.eq(s));
  const atMetered = catalogCost(coveredAs(c1hMetered), meteredMix);
  const atBilled = catalogCost(coveredAs(c1hMetered), billedMix);
  if (!sameMix) {
    if (atMetered !== null && atBilled !== null) {
      const fmt = (mx: Map<string, Decimal>) => [...mx].map(([t, s]) => `${t} ${s.mul(100).toDecimalPlaces(1).toFixed()}%`).join(', ');
      add('service_tier', atBilled.minus(atMetered), `billed at ${fmt(billedMix)}; metered at ${fmt(meteredMix)}`);
    }
  }

  // 1-hour writes billed but metered as 5-minute ones (or the reverse).
  const ttlTokens = c1hBilled.minus(c1hMetered);
  const f1h = mixFactor(billedMix, 'cacheWrite1h');
  const f5m = mixFactor(billedMix, 'cacheWrite5m');
  if (!ttlTokens.isZero() && f1h !== null && f5m !== null) {
    const est = ttlTokens.mul(rates.cacheWrite1h.mul(f1h).minus(rates.cacheWrite5m.mul(f5m))).div(MILLION);
    add('cache_write_ttl', est, `${ttlTokens.abs().toFixed()} cache-write tokens billed as ${ttlTokens.gt(0) ? '1-hour' : '5-minute'} writes, metered as ${ttlTokens.gt(0) ? '5-minute' : '1-hour'} ones (${perM(rates.cacheWrite1h)} vs ${perM(rates.cacheWrite5m)})`);
  }

  // Billed unit price vs catalog unit price (at the billed tier) for the covered tokens.
  const asBilled = coveredAs(c1hBilled);
  if (classRatesKnown) {
    let est = ZERO;
    const parts: string[] = [];
    for (const k of TOKEN_CLASSES) {
      if (asBilled[k].isZero()) continue;
      const f = mixFactor(billedMix, k);
      if (f === null) continue;
      const catalogRate = rates[k].mul(f);
      const billedK = billedRate(k);
      const diff = asBilled[k].mul(billedK.minus(catalogRate)).div(MILLION);
      if (diff.isZero()) continue;
      est = est.plus(diff);
      parts.push(`${CLASS_LABEL[k]}: billed ${perM(billedK)} vs catalog ${perM(catalogRate)} (${c.catalog.source}) for ${asBilled[k].toFixed()} tokens`);
    }
    add('price_mismatch', est, parts.join('; ') + scaleNote);
  } else {
    const expected = catalogCost(asBilled, billedMix);
    const coveredTotal = total(asBilled);
    if (expected !== null && coveredTotal.gt(0)) {
      const est = coveredTotal.mul(avgBilledRate).div(MILLION).minus(expected);
      add('price_mismatch', est, `average billed ${perM(avgBilledRate)} vs catalog ${perM(expected.div(coveredTotal).mul(MILLION))} (${c.catalog.source}) for ${coveredTotal.toFixed()} tokens (cost lines without a token class)${scaleNote}`);
    }
  }
  return out;
}

function scaleTiers(byTier: Record<string, TierTokens>, f: Decimal): Record<string, TierTokens> {
  const out: Record<string, TierTokens> = {};
  for (const [t, v] of Object.entries(byTier)) {
    out[t] = {
      inputTokens: new Money(v.inputTokens).mul(f),
      cachedInputTokens: new Money(v.cachedInputTokens).mul(f),
      cacheWriteTokens: new Money(v.cacheWriteTokens).mul(f),
      cacheWrite1hTokens: new Money(v.cacheWrite1hTokens).mul(f),
      outputTokens: new Money(v.outputTokens).mul(f),
    };
  }
  return out;
}

function addTiers(a: Record<string, TierTokens>, b: Record<string, TierTokens>): Record<string, TierTokens> {
  const out: Record<string, TierTokens> = { ...a };
  for (const [t, v] of Object.entries(b)) {
    const x = out[t];
    out[t] = x
      ? {
          inputTokens: new Money(x.inputTokens).plus(v.inputTokens),
          cachedInputTokens: new Money(x.cachedInputTokens).plus(v.cachedInputTokens),
          cacheWriteTokens: new Money(x.cacheWriteTokens).plus(v.cacheWriteTokens),
          cacheWrite1hTokens: new Money(x.cacheWrite1hTokens).plus(v.cacheWrite1hTokens),
          outputTokens: new Money(x.outputTokens).plus(v.outputTokens),
        }
      : v;
  }
  return out;
}

/** The next UTC day of a YYYY-MM-DD day. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * The timing pass over cells of one series (same provider, model and project, any days): where one day
 * metered more tokens than the provider counted and its neighbour the opposite, the smaller imbalance
 * (tokens) moves to the day that billed it, with its metered cost pro rata. Returns the cells with their
 * metered side moved, and each cell's timing estimate (USD, metered cost moved in - moved out), keyed by day.
 */
export function applyTiming(series: Cell[], reported: (provider: string, day: string) => boolean = () => true): { cells: Cell[]; timingUsd: Map<string, Decimal>; detail: Map<string, string> } {
  const cells = [...series].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0)).map((c) => ({ ...c, metered: { ...c.metered } }));
  const timingUsd = new Map<string, Decimal>();
  const detail = new Map<string, string>();
  const imbalance = (c: Cell) => {
    const t = cellTokens(c);
    return t.metered.minus(t.billed);
  };
  for (let i = 0; i + 1 < cells.length; i++) {
    const a = cells[i];
    const b = cells[i + 1];
    if (nextDay(a.day) !== b.day) continue;
    // A day the provider has not reported yet (not synced, or still open) bills nothing: its metered usage is
    // not late billing of the day before, so only days with some billed line of the provider pair up.
    if (!reported(a.key.provider ?? '', a.day) || !reported(b.key.provider ?? '', b.day)) continue;
    const ea = imbalance(a);
    const eb = imbalance(b);
    let from: Cell;
    let to: Cell;
    let shift: Decimal;
    if (ea.gt(0) && eb.lt(0)) [from, to, shift] = [a, b, Money.min(ea, eb.neg())];
    else if (ea.lt(0) && eb.gt(0)) [from, to, shift] = [b, a, Money.min(ea.neg(), eb)];
    else continue;
    const fromTokens = cellTokens(from).metered;
    const f = shift.div(fromTokens);
    const cost = new Money(from.metered.costUsd).mul(f);
    const unpriced = new Money(from.metered.unpricedTokens).mul(f);
    const moved = scaleTiers(from.metered.byTier, f);
    const movedRequests = new Money(from.metered.requests).mul(f);
    from.metered = {
      costUsd: new Money(from.metered.costUsd).minus(cost),
      requests: new Money(from.metered.requests).mul(new Money(1).minus(f)),
      unpricedTokens: new Money(from.metered.unpricedTokens).minus(unpriced),
      byTier: scaleTiers(from.metered.byTier, new Money(1).minus(f)),
    };
    to.metered = {
      costUsd: new Money(to.metered.costUsd).plus(cost),
      requests: new Money(to.metered.requests).plus(movedRequests),
      unpricedTokens: new Money(to.metered.unpricedTokens).plus(unpriced),
      byTier: addTiers(to.metered.byTier, moved),
    };
    timingUsd.set(from.day, (timingUsd.get(from.day) ?? ZERO).minus(cost));
    timingUsd.set(to.day, (timingUsd.get(to.day) ?? ZERO).plus(cost));
    detail.set(from.day, `${shift.toFixed()} tokens metered on ${from.day} were billed on ${to.day}`);
    detail.set(to.day, `${shift.toFixed()} tokens billed on ${to.day} were metered on ${from.day}`);
  }
  return { cells, timingUsd, detail };
}

/** Every cell's result: its own (pre-timing) metered cost, the billed amount, and its explanations (timing first). */
/** Explains every cell; `reported(provider, day)` says whether the provider reported that day at all (timing pairs only such days). */
export function reconcileCells(cells: Cell[], seriesKey: (c: Cell) => string, reported: (provider: string, day: string) => boolean = () => true): CellResult[] {
  const bySeries = new Map<string, Cell[]>();
  for (const c of cells) {
    const k = seriesKey(c);
    bySeries.set(k, [...(bySeries.get(k) ?? []), c]);
  }
  const results: CellResult[] = [];
  for (const series of bySeries.values()) {
    const original = new Map(series.map((c) => [c.day, c]));
    const { cells: moved, timingUsd, detail } = applyTiming(series, reported);
    for (const c of moved) {
      const orig = original.get(c.day)!;
      const tokens = cellTokens(orig);
      const explanations: Explanation[] = [];
      const timing = timingUsd.get(c.day);
      if (timing && !timing.isZero()) explanations.push({ cause: 'timing', estimatedUsd: timing, detail: detail.get(c.day) });
      explanations.push(...explainCell(c));
      results.push({
        key: c.key,
        meteredCostUsd: new Money(orig.metered.costUsd),
        billedCostUsd: orig.billed.amounts.reduce((s, a) => s.plus(a.usd), ZERO),
        meteredTokens: tokens.metered,
        billedTokens: tokens.billed,
        explanations,
      });
    }
  }
  return results;
}

export interface ReconciliationRow {
  key: Record<string, string>;
  meteredCostUsd: string;
  billedCostUsd: string;
  deltaUsd: string;
  /** Percent of billed (2 dp); null when billed is 0. */
  deltaPercent: number | null;
  meteredTokens: number;
  billedTokens: number;
  /** Metered tokens / billed tokens (4 dp); null when billed tokens are 0. */
  coverage: number | null;
  explanations: { cause: Cause; estimatedUsd: string; detail?: string }[];
  /** delta - Σ estimates, as displayed (6 dp). */
  unexplainedUsd: string;
}

/** Cell results summed into rows by `groupKey` (USD 6 dp strings; estimates summed per cause, details kept up to 3). */
export function aggregate(results: CellResult[], groupKey: (key: Record<string, string>) => Record<string, string>): ReconciliationRow[] {
  const groups = new Map<string, { key: Record<string, string>; items: CellResult[] }>();
  for (const r of results) {
    const key = groupKey(r.key);
    const id = JSON.stringify(key);
    const g = groups.get(id) ?? { key, items: [] };
    g.items.push(r);
    groups.set(id, g);
  }
  return [...groups.values()].map((g) => summarize(g.key, g.items));
}

/** One row from cell results. */
export function summarize(key: Record<string, string>, items: CellResult[]): ReconciliationRow {
  const metered = items.reduce((s, r) => s.plus(r.meteredCostUsd), ZERO);
  const billed = items.reduce((s, r) => s.plus(r.billedCostUsd), ZERO);
  const mt = items.reduce((s, r) => s.plus(r.meteredTokens), ZERO);
  const bt = items.reduce((s, r) => s.plus(r.billedTokens), ZERO);
  const delta = billed.minus(metered);
  const explanations: ReconciliationRow['explanations'] = [];
  let explained = ZERO;
  for (const cause of CAUSES) {
    const xs = items.flatMap((r) => r.explanations.filter((e) => e.cause === cause));
    if (!xs.length) continue;
    const est = xs.reduce((s, e) => s.plus(e.estimatedUsd), ZERO).toDecimalPlaces(6);
    if (est.isZero()) continue;
    explained = explained.plus(est);
    const details = [...new Set(xs.map((e) => e.detail).filter((d): d is string => !!d))];
    const detail = details.length > 3 ? `${details.slice(0, 3).join(' | ')} | and ${details.length - 3} more` : details.join(' | ');
    explanations.push({ cause, estimatedUsd: est.toFixed(), ...(detail ? { detail } : {}) });
  }
  return {
    key,
    meteredCostUsd: usd(metered),
    billedCostUsd: usd(billed),
    deltaUsd: usd(delta),
    deltaPercent: billed.isZero() ? null : delta.div(billed).mul(100).toDecimalPlaces(2).toNumber(),
    meteredTokens: mt.round().toNumber(),
    billedTokens: bt.round().toNumber(),
    coverage: bt.isZero() ? null : mt.div(bt).toDecimalPlaces(4).toNumber(),
    explanations,
    unexplainedUsd: delta.toDecimalPlaces(6).minus(explained).toFixed(),
  };
}

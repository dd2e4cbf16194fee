import type { Decimal } from 'decimal.js';

/** Default search range (tokens/month): 1M to 10T. */
export const DEFAULT_CROSSOVER_MIN_TOKENS = 1e6;
export const DEFAULT_CROSSOVER_MAX_TOKENS = 1e13;

/**
 * Grid points per decade scanned before bisecting. Self-host cost is a step
 * function of replicas plus a fixed people cost, so "self-host <= API" is not
 * monotone in volume: it can hold just after a crossing, fail again when one
 * more replica is added, and hold again later. The scan finds the first grid
 * point where it holds (spacing 10^(1/40) ≈ 6%) and bisection then narrows the
 * boundary just below it. A cheaper window narrower than one grid step can be
 * missed; the next crossing is then reported.
 */
export const DEFAULT_STEPS_PER_DECADE = 40;

export interface SelfHostProbe<O> {
  /** Best self-host monthly TCO at this volume (USD). */
  costUsd: Decimal;
  option: O;
}

export interface CrossoverSearch<O> {
  /** API cost (USD/month) at a monthly token volume. */
  apiCostAt(monthlyTokens: number): Decimal;
  /** Cheapest self-host option at a monthly token volume, or null when none is feasible. */
  selfHostAt(monthlyTokens: number): SelfHostProbe<O> | null;
  minTokens?: number;
  maxTokens?: number;
  stepsPerDecade?: number;
  /**
   * The caller's promise that self-host cost never falls as volume grows and
   * the API cost is proportional to volume (USD = rate x tokens). The search
   * then walks t → selfHost(t) / rate (below it the API cannot have caught up)
   * and stops where self-host stays on the same cost step: the exact first
   * crossing, one probe per cost step passed instead of ~300 grid probes.
   */
  selfHostNonDecreasing?: boolean;
}

/** Tokens/month bounds of a crossover search. */
export interface TokenRange {
  min: number;
  max: number;
}

/**
 * crosses: self-host is cheaper from monthlyTokens on; always_cheaper: already
 * cheaper at the bottom of the range; never_below_max: not cheaper anywhere up
 * to the top; unavailable: nothing to compare (no current cost, bad range).
 */
export type CrossoverResult<O> =
  | {
      status: 'crosses';
      monthlyTokens: number;
      apiCostUsd: Decimal;
      selfHostCostUsd: Decimal;
      option: O;
      reason: null;
      searchedTokens: TokenRange;
    }
  | { status: 'always_cheaper'; monthlyTokens: null; reason: string; searchedTokens: TokenRange }
  | { status: 'never_below_max'; monthlyTokens: null; reason: string; searchedTokens: TokenRange }
  | { status: 'unavailable'; monthlyTokens: null; reason: string; searchedTokens: TokenRange | null };

/** Fixed-point steps (one per self-host cost step passed) before falling back to the grid scan. */
const MAX_FIXED_POINT_STEPS = 64;

function neverResult<O>(search: CrossoverSearch<O>, max: number, searchedTokens: TokenRange): CrossoverResult<O> {
  const feasible = search.selfHostAt(max) !== null;
  return {
    status: 'never_below_max',
    monthlyTokens: null,
    reason: feasible ? `never crosses below ${formatTokens(max)} tokens/month` : `no feasible self-host option up to ${formatTokens(max)} tokens/month`,
    searchedTokens,
  };
}

/** Compact token count for reasons: 1e13 → "10T". */
export function formatTokens(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [v, u] of units) if (n >= v) return `${Number((n / v).toPrecision(3))}${u}`;
  return String(n);
}

/**
 * Smallest monthly volume (tokens/month) in range where the self-host TCO
 * (USD/month) <= the API cost (USD/month): log-grid scan then bisection, with
 * a status saying whether it crosses, is already cheaper at the bottom of the
 * range, or never gets cheaper up to its top.
 */
export function findCrossover<O>(search: CrossoverSearch<O>): CrossoverResult<O> {
  const min = search.minTokens ?? DEFAULT_CROSSOVER_MIN_TOKENS;
  const max = search.maxTokens ?? DEFAULT_CROSSOVER_MAX_TOKENS;
  const steps = search.stepsPerDecade ?? DEFAULT_STEPS_PER_DECADE;
  if (!(min > 0) || !(max > min) || !(steps > 0)) return { status: 'unavailable', monthlyTokens: null, reason: 'invalid search range', searchedTokens: null };
  const searchedTokens = { min, max };

  const probe = (t: number): { ok: boolean; self: SelfHostProbe<O> | null; api: Decimal } => {
    const self = search.selfHostAt(t);
    const api = search.apiCostAt(t);
    return { ok: self !== null && self.costUsd.lte(api), self, api };
  };

  const first = probe(min);
  if (first.ok) {
    return {
      status: 'always_cheaper',
      monthlyTokens: null,
      reason: `self-host always cheaper in range (already at ${formatTokens(min)} tokens/month)`,
      searchedTokens,
    };
  }
  const logMin = Math.log10(min);
  const n = Math.ceil((Math.log10(max) - logMin) * steps);
  let lo = min;
  let hi: number | null = null;
  let exact = false;
  let startIndex = 1;
  if (search.selfHostNonDecreasing) {
    // Fixed-point walk: every volume below selfHost(t) / rate fails (the API there costs less than
    // self-host did at t, and self-host only rises), so jump straight to it. It holds there exactly
    // when self-host stayed on the same cost step: that is the first crossing, with no grid error.
    let t = min;
    let p = first;
    for (let i = 0; i < MAX_FIXED_POINT_STEPS && p.self !== null && p.api.gt(0); i++) {
      // 1e-12 up so float rounding cannot leave the API a hair short of the same step's cost.
      const next = t * p.self.costUsd.div(p.api).toNumber() * (1 + 1e-12);
      if (!(next > t)) break;
      if (next > max) return neverResult(search, max, searchedTokens);
      const q = probe(next);
      if (q.ok) {
        hi = next;
        exact = true;
        break;
      }
      t = next;
      p = q;
    }
    if (hi === null) {
      // Too many small steps, an infeasible volume or a free API: grid scan from where the walk stopped.
      lo = t;
      startIndex = Math.max(1, Math.floor((Math.log10(t) - logMin) * steps) + 1);
    }
  }
  for (let i = startIndex; hi === null && i <= n; i++) {
    const t = Math.min(max, 10 ** (logMin + i / steps));
    if (probe(t).ok) hi = t;
    else lo = t;
  }
  if (hi === null) return neverResult(search, max, searchedTokens);
  if (exact) lo = hi;
  // Invariant (unless exact): probe(lo) false, probe(hi) true.
  for (let i = 0; i < 200 && hi / lo > 1 + 1e-9; i++) {
    const mid = Math.sqrt(lo * hi);
    if (probe(mid).ok) hi = mid;
    else lo = mid;
  }
  // Whole tokens: floor when bisection stopped a hair above an integer boundary.
  const at = [Math.floor(hi), Math.ceil(hi)].find((t) => t >= min && probe(t).ok) ?? hi;
  const final = probe(at);
  if (final.self === null) return { status: 'unavailable', monthlyTokens: null, reason: 'self-host option vanished at the boundary', searchedTokens };
  return {
    status: 'crosses',
    monthlyTokens: at,
    apiCostUsd: final.api,
    selfHostCostUsd: final.self.costUsd,
    option: final.self.option,
    reason: null,
    searchedTokens,
  };
}

/**
 * The crossover (tokens/month) of the cheapest of several options from each
 * option's own crossover against the same API: self-host at its cheapest is
 * below the API at t exactly when some option is, so the envelope crosses
 * where the first option crosses (ties: the cheaper one at its crossing).
 */
export function earliestCrossover<O>(results: CrossoverResult<O>[], range: TokenRange | null): CrossoverResult<O> {
  if (results.length === 0) return { status: 'unavailable', monthlyTokens: null, reason: 'no feasible self-host option', searchedTokens: range };
  const always = results.find((r) => r.status === 'always_cheaper');
  if (always) return always;
  let best: Extract<CrossoverResult<O>, { status: 'crosses' }> | null = null;
  for (const r of results) {
    if (r.status !== 'crosses') continue;
    if (best === null || r.monthlyTokens < best.monthlyTokens || (r.monthlyTokens === best.monthlyTokens && r.selfHostCostUsd.lt(best.selfHostCostUsd))) best = r;
  }
  if (best !== null) return best;
  const never = results.filter((r): r is Extract<CrossoverResult<O>, { status: 'never_below_max' }> => r.status === 'never_below_max');
  if (never.length === 0) return results[0];
  // "never crosses" (some option is feasible) says more than "no feasible option".
  return never.find((r) => /never crosses/.test(r.reason)) ?? never[0];
}

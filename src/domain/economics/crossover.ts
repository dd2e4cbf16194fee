import type { Decimal } from 'decimal.js';

/** Default search range (tokens/month): 1M to 10T. */
export const DEFAULT_CROSSOVER_MIN_TOKENS = 1e6;
export const DEFAULT_CROSSOVER_MAX_TOKENS = 1e13;

/**
 * Grid points per decade scanned before bisecting. Self-host cost is a step
 * function of replicas, so "self-host <= API" is not monotone in volume; the
 * scan finds the first grid point where it holds (spacing 10^(1/40) ≈ 6%) and
 * bisection then narrows the boundary just below it. A cheaper window narrower
 * than one grid step can be missed; the next crossing is then reported.
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
}

export type CrossoverResult<O> =
  | { monthlyTokens: number; apiCostUsd: Decimal; selfHostCostUsd: Decimal; option: O; reason: null }
  | { monthlyTokens: null; reason: string };

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
 * Smallest monthly volume (tokens/month) in range where the best self-host TCO
 * <= API cost: log-grid scan then bisection. Null with a reason when self-host
 * never gets cheaper or is already cheaper at the bottom of the range.
 */
export function findCrossover<O>(search: CrossoverSearch<O>): CrossoverResult<O> {
  const min = search.minTokens ?? DEFAULT_CROSSOVER_MIN_TOKENS;
  const max = search.maxTokens ?? DEFAULT_CROSSOVER_MAX_TOKENS;
  const steps = search.stepsPerDecade ?? DEFAULT_STEPS_PER_DECADE;
  if (!(min > 0) || !(max > min)) return { monthlyTokens: null, reason: 'invalid search range' };

  const probe = (t: number): { ok: boolean; self: SelfHostProbe<O> | null; api: Decimal } => {
    const self = search.selfHostAt(t);
    const api = search.apiCostAt(t);
    return { ok: self !== null && self.costUsd.lte(api), self, api };
  };

  if (probe(min).ok) {
    return { monthlyTokens: null, reason: `self-host always cheaper in range (already at ${formatTokens(min)} tokens/month)` };
  }
  const logMin = Math.log10(min);
  const n = Math.ceil((Math.log10(max) - logMin) * steps);
  let lo = min;
  let hi: number | null = null;
  for (let i = 1; i <= n; i++) {
    const t = Math.min(max, 10 ** (logMin + i / steps));
    if (probe(t).ok) {
      hi = t;
      break;
    }
    lo = t;
  }
  if (hi === null) {
    const feasible = search.selfHostAt(max) !== null;
    return {
      monthlyTokens: null,
      reason: feasible
        ? `never crosses below ${formatTokens(max)} tokens/month`
        : `no feasible self-host option up to ${formatTokens(max)} tokens/month`,
    };
  }
  // Invariant: probe(lo) false, probe(hi) true.
  for (let i = 0; i < 200 && hi / lo > 1 + 1e-9; i++) {
    const mid = Math.sqrt(lo * hi);
    if (probe(mid).ok) hi = mid;
    else lo = mid;
  }
  // Whole tokens: floor when bisection stopped a hair above an integer boundary.
  const at = [Math.floor(hi), Math.ceil(hi)].find((t) => t >= min && probe(t).ok) ?? hi;
  const final = probe(at);
  if (final.self === null) return { monthlyTokens: null, reason: 'self-host option vanished at the boundary' };
  return { monthlyTokens: at, apiCostUsd: final.api, selfHostCostUsd: final.self.costUsd, option: final.self.option, reason: null };
}

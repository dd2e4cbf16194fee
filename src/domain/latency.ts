/** Upper edges (ms) of the latency histogram kept in every rollup row; the last bucket is open-ended. */
export const LATENCY_BUCKETS_MS = [50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000] as const;

/** Percentile from merged bucket counts: the upper edge of the bucket holding it (coarse by design), null when empty. */
export function percentileFromHistogram(counts: readonly number[], p: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (!total) return null;
  const rank = Math.ceil(p * total);
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i];
    if (seen >= rank) return i < LATENCY_BUCKETS_MS.length ? LATENCY_BUCKETS_MS[i] : Infinity;
  }
  return Infinity;
}

/** One bucket count of one row of rollups: `i` is the 1-based bucket index (SQL ordinality). */
export interface BucketCount {
  i: number;
  n: number;
}

/** Sums bucket counts into one histogram per key (element-wise sums, as rollups merge). */
export function mergeHistograms<T extends BucketCount>(counts: readonly T[], keyOf: (c: T) => string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const c of counts) {
    const key = keyOf(c);
    const arr = out.get(key) ?? new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
    arr[c.i - 1] += c.n;
    out.set(key, arr);
  }
  return out;
}

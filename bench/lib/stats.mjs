// Percentiles and number formatting for the report.

/** Nearest-rank percentile (p in 0..100) of a list of numbers; null when empty. */
export function percentile(values, p) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export const int = (n) => (n === null || n === undefined || !Number.isFinite(n) ? 'n/a' : Math.round(n).toLocaleString('en-US'));
export const ms = (n) => (n === null || n === undefined ? 'n/a' : `${Math.round(n).toLocaleString('en-US')} ms`);
export const fixed = (n, digits = 2) => (n === null || n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(digits));

/**
 * One CSV cell (RFC 4180 quoting). Tenant-supplied text (model names, tags,
 * workloads) that a spreadsheet would read as a formula (=, +, -, @, tab, CR
 * first: OWASP "CSV injection") is prefixed with a single quote, so finance
 * opening the export sees text, never a formula. Numbers pass unchanged.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value !== 'number' && typeof value !== 'bigint' && /^[=+\-@\t\r]/.test(s) && !/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (LF-terminated) of a row's values in the given column order; `csvLine(cols, null)` is the header. */
export function csvLine(columns: readonly string[], row: Record<string, unknown> | null): string {
  return columns.map((c) => csvCell(row ? row[c] : c)).join(',') + '\n';
}

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

/** A CSV document (header + rows, LF line ends) from rows of objects, columns in the given order. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  return [columns.map(csvCell).join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
}

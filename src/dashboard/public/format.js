// @ts-check
// Number and date formatting. Money arrives as decimal strings; shown as $1,234.56.

const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const MONTH = new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const DAY = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** A number from a number or a decimal string; NaN for null/undefined/''. */
export function num(v) {
  if (v === null || v === undefined || v === '') return NaN;
  return typeof v === 'number' ? v : Number(v);
}

/** $1,234.56 ("—" when unknown). */
export function usd(v) {
  const n = num(v);
  return Number.isFinite(n) ? USD.format(n) : '—';
}

/** A unit cost, where cents are too coarse: $0.0042 per request, $1.25 per customer (two significant digits below $1). */
export function usdUnit(v) {
  const n = num(v);
  if (!Number.isFinite(n)) return '—';
  if (Math.abs(n) >= 1 || n === 0) return usd(n);
  const digits = Math.min(8, Math.max(2, 1 - Math.floor(Math.log10(Math.abs(n)))));
  return `${n < 0 ? '-' : ''}$${Math.abs(n).toFixed(digits)}`;
}

/** Short money for axes and tight spots: $950, $12.3k, $4.5M. */
export function usdShort(v) {
  const n = num(v);
  if (!Number.isFinite(n)) return '—';
  const a = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  if (a >= 1e9) return `${sign}$${trim(a / 1e9)}B`;
  if (a >= 1e6) return `${sign}$${trim(a / 1e6)}M`;
  if (a >= 1e3) return `${sign}$${trim(a / 1e3)}k`;
  if (a >= 10 || a === 0) return `${sign}$${Math.round(a)}`;
  return `${sign}$${a.toFixed(2)}`;
}

function trim(x) {
  return x >= 100 ? String(Math.round(x)) : x.toFixed(1).replace(/\.0$/, '');
}

/** Token counts: 950, 12.3k, 4.5M, 7.9B, 1.2T. */
export function tokens(v) {
  const n = num(v);
  if (!Number.isFinite(n)) return '—';
  const a = Math.abs(n);
  if (a >= 1e12) return `${trim(n / 1e12)}T`;
  if (a >= 1e9) return `${trim(n / 1e9)}B`;
  if (a >= 1e6) return `${trim(n / 1e6)}M`;
  if (a >= 1e3) return `${trim(n / 1e3)}k`;
  return INT.format(n);
}

export function int(v) {
  const n = num(v);
  return Number.isFinite(n) ? INT.format(n) : '—';
}

/** 12.3% (value given in percent). */
export function pct(v, digits = 1) {
  const n = num(v);
  return Number.isFinite(n) ? `${n.toFixed(digits).replace(/\.0+$/, '')}%` : '—';
}

/** +7% / −3% with a sign. */
export function signedPct(v) {
  const n = num(v);
  if (!Number.isFinite(n)) return '—';
  const r = Math.round(n * 10) / 10;
  return `${r > 0 ? '+' : r < 0 ? '−' : ''}${Math.abs(r)}%`;
}

/** Break-even in months: "< 1 month", "5.7 months"; null means it never pays back. */
export function breakEven(v) {
  const n = num(v);
  if (!Number.isFinite(n)) return '—';
  if (n <= 0) return 'immediate';
  if (n < 1) return '< 1 month';
  return `${n.toFixed(1).replace(/\.0$/, '')} month${n === 1 ? '' : 's'}`;
}

/** 'YYYY-MM' → "Nov 2026". */
export function monthLabel(ym) {
  const d = monthStart(ym);
  return d ? MONTH.format(d) : String(ym ?? '—');
}

/** 'YYYY-MM' → Date at 00:00 UTC on the 1st (null if malformed). */
export function monthStart(ym) {
  const m = /^(\d{4})-(\d{2})$/.exec(String(ym ?? ''));
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)) : null;
}

export function dayLabel(date) {
  return DAY.format(date);
}

export function dateTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : d.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

const RECOMMENDATIONS = {
  stay_closed: 'Stay closed',
  cheaper_closed: 'Cheaper closed model',
  managed_open: 'Managed open model',
  pilot_self_host: 'Pilot self-hosting',
  self_host: 'Self-host',
};

export function recommendationLabel(r) {
  return RECOMMENDATIONS[r] ?? (r ? String(r).replace(/_/g, ' ') : 'Unknown');
}

export function recommendationClass(r) {
  return Object.hasOwn(RECOMMENDATIONS, r) ? r : 'unknown';
}

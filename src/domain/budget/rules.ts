/**
 * Pure rules of budgets: their windows (calendar month in the org's time zone, or rolling), which usage and which
 * decision requests a budget's scope matches, and the integer nano-dollars the ingest-time counters add up.
 * No Nest, Prisma or Redis here.
 */

export const BUDGET_WINDOWS = ['month', '24h', '7d', '30d'] as const;
export type BudgetWindow = (typeof BUDGET_WINDOWS)[number];

const HOUR_MS = 3_600_000;
/** Hours a rolling window covers. */
export const ROLLING_HOURS: Record<Exclude<BudgetWindow, 'month'>, number> = { '24h': 24, '7d': 168, '30d': 720 };
/** The longest a window lasts (ms): 31 days + 1 hour (a month whose edges moved to whole hours), for key expiries. */
export const LONGEST_WINDOW_MS = (31 * 24 + 1) * HOUR_MS;

/**
 * A budget window as the rollups can read it: [start, end) on whole UTC hours, and the alert period it belongs to
 * ('2026-11' for a month window, the UTC day of `at` for rolling ones).
 */
export interface WindowSpan {
  start: Date;
  end: Date;
  period: string;
}

const floorHour = (t: number): number => Math.floor(t / HOUR_MS) * HOUR_MS;

const formats = new Map<string, Intl.DateTimeFormat>();
function formatOf(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    if (formats.size > 1_000) formats.clear();
    formats.set(tz, f);
  }
  return f;
}

/** The wall-clock time in `tz` at instant `t` (ms), as fields. */
function wallOf(t: number, tz: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const p: Record<string, number> = {};
  for (const part of formatOf(tz).formatToParts(new Date(t))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year, m: p.month, d: p.day, h: p.hour, mi: p.minute, s: p.second };
}

/** The offset of `tz` from UTC at instant `t` (ms, east positive; seconds of historical LMT offsets dropped). */
function offsetMs(t: number, tz: string): number {
  const w = wallOf(t, tz);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s) - Math.floor(t / 1000) * 1000;
}

/** The instant (ms) when the wall clock in `tz` reads midnight starting day `d` of month `m` (1-12) of year `y`. */
export function zonedMidnight(y: number, m: number, d: number, tz: string): number {
  const wall = Date.UTC(y, m - 1, d);
  // Two passes: the offset at the first guess may differ from the offset at the answer (a DST change that day).
  let t = wall - offsetMs(wall, tz);
  t = wall - offsetMs(t, tz);
  return t;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The calendar month of `tz` containing `at`, read at hour granularity: it starts at the UTC hour containing
 * local midnight of the 1st and ends at the hour containing the next month's (so in Asia/Kolkata, +05:30, the
 * month starts at 18:00 UTC on the last day of the previous month, half an hour before the local boundary).
 * Every hour belongs to exactly one month.
 */
export function monthSpan(at: Date, tz: string): WindowSpan {
  const t = at.getTime();
  const w = wallOf(t, tz);
  const span = (y: number, m: number): WindowSpan => {
    const ny = m === 12 ? y + 1 : y;
    const nm = m === 12 ? 1 : m + 1;
    return { start: new Date(floorHour(zonedMidnight(y, m, 1, tz))), end: new Date(floorHour(zonedMidnight(ny, nm, 1, tz))), period: `${y}-${pad(m)}` };
  };
  const s = span(w.y, w.m);
  // The last minutes of a month inside the hour that holds the next month's boundary belong to the next month.
  return t >= s.end.getTime() ? span(w.m === 12 ? w.y + 1 : w.y, w.m === 12 ? 1 : w.m + 1) : s;
}

/**
 * The budget's window at `at`: the org-tz calendar month, or the last 24, 168 or 720 whole UTC hours counting
 * the current one (so a 24h window at 10:20 covers yesterday 11:00 to today 11:00; it moves on each hour).
 * Rolling windows alert once per threshold per UTC day.
 */
export function windowSpan(window: BudgetWindow, at: Date, tz: string): WindowSpan {
  if (window === 'month') return monthSpan(at, tz);
  const end = floorHour(at.getTime()) + HOUR_MS;
  return { start: new Date(end - ROLLING_HOURS[window] * HOUR_MS), end: new Date(end), period: at.toISOString().slice(0, 10) };
}

/** How long a window lasts at most (ms), for the expiry of what is kept about it. */
export function windowLengthMs(window: BudgetWindow): number {
  return window === 'month' ? LONGEST_WINDOW_MS : ROLLING_HOURS[window] * HOUR_MS;
}

/** What a budget is limited to; null fields match anything. */
export interface BudgetScopeRule {
  project: string | null;
  workload: string | null;
  provider: string | null;
  customer: string | null;
  tagKey: string | null;
  tagValue: string | null;
}

/** What a usage event or a decision request names. */
export interface ScopeSubject {
  project?: string | null;
  workload?: string | null;
  provider?: string | null;
  customer?: string | null;
  tags?: Readonly<Record<string, string>>;
}

/**
 * Whether the budget's scope matches the subject: every field the budget names is named alike by the subject
 * (a budget with workload=X matches only subjects that say workload=X; an org-wide budget matches everything).
 */
export function scopeMatches(b: BudgetScopeRule, s: ScopeSubject): boolean {
  if (b.project !== null && b.project !== (s.project ?? null)) return false;
  if (b.workload !== null && b.workload !== (s.workload ?? null)) return false;
  if (b.provider !== null && b.provider !== (s.provider ?? null)) return false;
  if (b.customer !== null && b.customer !== (s.customer ?? null)) return false;
  if (b.tagKey !== null && (s.tags === undefined || !Object.prototype.hasOwnProperty.call(s.tags, b.tagKey) || s.tags[b.tagKey] !== b.tagValue)) return false;
  return true;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d*))?$/;

/**
 * A USD decimal string as integer nano-dollars (10⁻⁹ USD), rounded half up at the 9th decimal; exact (no float).
 * Event costs carry up to 12 decimals: rounding is at most half a nano-dollar per event. Null for a non-decimal.
 */
export function toNanoUsd(usd: string): bigint | null {
  const m = DECIMAL.exec(usd);
  if (!m) return null;
  const frac = (m[3] ?? '').padEnd(10, '0');
  let n = BigInt(m[2]) * 1_000_000_000n + BigInt(frac.slice(0, 9));
  if (frac.charCodeAt(9) >= 53 /* '5' */) n += 1n;
  return m[1] ? -n : n;
}

/** Integer nano-dollars as a USD decimal string (exact, trailing zeros dropped). */
export function nanoToUsd(nano: bigint): string {
  const neg = nano < 0n;
  const a = neg ? -nano : nano;
  const whole = a / 1_000_000_000n;
  const frac = (a % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

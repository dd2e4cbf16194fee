import { DAY_MS, HOUR_MS } from '../domain/time.js';

/** The rollup tables a report reads, finest first. */
export type RollupLevel = 'hour' | 'day' | 'month';

/** Rows of one rollup table whose period starts in [from, to), added (sign 1) or subtracted (sign -1). */
export interface RollupPiece {
  level: RollupLevel;
  from: number;
  to: number;
  sign: 1 | -1;
}

interface Plan {
  pieces: RollupPiece[];
  cost: number;
}

/**
 * What one period of each table costs to read, in rows: about the groups active in it (at 10M events, 30
 * workloads and 10 models, ~200 hourly rows an hour, ~310 daily rows a day, ~320 monthly rows a month).
 */
const COST: Record<RollupLevel, number> = { hour: 1, day: 1.5, month: 1.6 };
const FINER: Record<RollupLevel, RollupLevel | null> = { hour: null, day: 'hour', month: 'day' };

const floorOf = (level: RollupLevel, t: number): number => {
  if (level === 'hour') return Math.floor(t / HOUR_MS) * HOUR_MS;
  if (level === 'day') return Math.floor(t / DAY_MS) * DAY_MS;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const ceilOf = (level: RollupLevel, t: number): number => (floorOf(level, t) === t ? t : nextOf(level, floorOf(level, t)));
const nextOf = (level: RollupLevel, start: number): number => {
  if (level === 'hour') return start + HOUR_MS;
  if (level === 'day') return start + DAY_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};
/** Whole periods of `level` in [a, b), both ends on its boundaries. */
const unitsIn = (level: RollupLevel, a: number, b: number): number => {
  if (level === 'hour') return (b - a) / HOUR_MS;
  if (level === 'day') return (b - a) / DAY_MS;
  const x = new Date(a);
  const y = new Date(b);
  return (y.getUTCFullYear() - x.getUTCFullYear()) * 12 + y.getUTCMonth() - x.getUTCMonth();
};

const EMPTY: Plan = { pieces: [], cost: 0 };
const join = (...plans: Plan[]): Plan => ({ pieces: plans.flatMap((p) => p.pieces), cost: plans.reduce((s, p) => s + p.cost, 0) });
const negate = (p: Plan): Plan => ({ pieces: p.pieces.map((x) => ({ ...x, sign: (x.sign * -1) as 1 | -1 })), cost: p.cost });
const whole = (level: RollupLevel, a: number, b: number): Plan => (a < b ? { pieces: [{ level, from: a, to: b, sign: 1 }], cost: COST[level] * unitsIn(level, a, b) } : EMPTY);
const cheaper = (x: Plan, y: Plan): Plan => (y.cost < x.cost ? y : x);

/**
 * The cheapest way to read [a, b) (hour boundaries) with periods no coarser than `level`: whole periods from
 * their table, the ragged edges from finer tables, or, with `complement`, an edge's whole period less what lies
 * outside the window (September 2 16:00 to October 1 as September less September 1 and the first 16 hours of
 * September 2: three small reads instead of 28 days). Sums of integers and decimals are exact, so a subtracted
 * period takes its rows back exactly; a group left with no request in the window must then be dropped by the
 * reader (every event counts at least one request).
 */
function cheapest(level: RollupLevel, a: number, b: number, complement: boolean): Plan {
  if (a >= b) return EMPTY;
  const finer = FINER[level];
  if (!finer) return whole(level, a, b);
  const s = ceilOf(level, a);
  const e = floorOf(level, b);
  const forward = (x: number, y: number) => cheapest(finer, x, y, complement);
  if (s > e) {
    // Inside one period: read it directly, or the period less its parts outside [a, b).
    const direct = forward(a, b);
    if (!complement) return direct;
    const start = floorOf(level, a);
    const end = nextOf(level, start);
    return cheaper(direct, join(whole(level, start, end), negate(forward(start, a)), negate(forward(b, end))));
  }
  const left = a === s ? EMPTY : complement ? cheaper(forward(a, s), join(whole(level, floorOf(level, a), s), negate(forward(floorOf(level, a), a)))) : forward(a, s);
  const right = e === b ? EMPTY : complement ? cheaper(forward(e, b), join(whole(level, e, nextOf(level, e)), negate(forward(b, nextOf(level, e))))) : forward(e, b);
  return join(left, whole(level, s, e), right);
}

/**
 * The rollup pieces that sum to exactly the events of [from, to) as the hourly rollups count them (every hour
 * that starts in the window), reading periods no coarser than `level`.
 */
export function rollupPlan(from: Date, to: Date, level: RollupLevel, complement = false): RollupPiece[] {
  const a = ceilOf('hour', from.getTime());
  const b = ceilOf('hour', to.getTime());
  return cheapest(level, a, b, complement).pieces;
}

/*
 * The demo company's own customers: about 300 B2B accounts named like real ones
 * (`acme-corp`, `northwind-logistics`), a long tail behind a few heavy ones.
 *
 * Shares follow a Zipf-Mandelbrot law, weight(rank) = 1 / (rank + OFFSET)^EXPONENT:
 * with 300 accounts the top 10 hold about 65% of the traffic and the largest about
 * 17% (an offset flattens the very top, so no single account is a third of the
 * business). Each account also drifts (its own monthly growth, a few onboard during
 * the six months), so month-over-month changes differ per customer.
 *
 * Pure and deterministic: everything comes from the seed. Drawn on streams of
 * their own (never the generator's per-hour stream), so adding customers did not
 * change any other field of an event.
 */
import { DAY_MS } from '../domain/time.js';
import { mix, Rng } from './rng.js';

/** Accounts generated per seed. */
export const CUSTOMER_COUNT = 300;
const EXPONENT = 1.65;
const OFFSET = 3;
/** Spread (log-space, per 30 days) of each account's own growth around the workload's. */
const GROWTH_SIGMA = 0.07;
/** Share of tail accounts that onboard during the six months (no traffic before). */
const ONBOARDING_SHARE = 0.12;

const NAMES = [
  'acme', 'globex', 'initech', 'umbrella', 'stark', 'wayne', 'northwind', 'contoso', 'fabrikam', 'tailspin',
  'wingtip', 'litware', 'proseware', 'adatum', 'fourth-coffee', 'woodgrove', 'blue-yonder', 'lamna', 'margie',
  'trey', 'alpine', 'coho', 'vandelay', 'hooli', 'pied-piper', 'soylent', 'cyberdyne', 'tyrell', 'wonka',
  'gringotts', 'oceanic', 'massive-dynamic', 'aperture', 'black-mesa', 'dunder-mifflin', 'sterling', 'prestige',
  'monarch', 'bluth', 'krusty', 'nakatomi', 'virtucon', 'zorg', 'gekko', 'duff', 'vehement', 'kwik-e',
  'oscorp', 'rekall', 'yoyodyne', 'benthic', 'mooby', 'octan', 'ollivander', 'dharma', 'halcyon', 'helix',
  'ironclad', 'juniper', 'kestrel', 'lumen', 'meridian', 'nimbus', 'orbital', 'paragon', 'quantum', 'redwood',
];
const SUFFIXES = [
  'corp', 'inc', 'labs', 'systems', 'health', 'logistics', 'bank', 'retail', 'media', 'energy', 'foods',
  'motors', 'analytics', 'cloud', 'group', 'partners', 'insurance', 'travel', 'pharma', 'software',
];

export interface DemoCustomer {
  /** The customer id events carry (`customer`). */
  name: string;
  /** Zipf-Mandelbrot weight at the anchor (unnormalised). */
  weight: number;
  /** Log-growth per 30 days relative to the workload's own trend. */
  growth: number;
  /** Days before the anchor the account started sending traffic; null = before the demo's start. */
  onboardedDaysBeforeAnchor: number | null;
  /** Opaque end users of this account (support-chat sessions), at least 3. */
  endUsers: number;
}

const bySeed = new Map<number, DemoCustomer[]>();

/** The seed's accounts, heaviest first (rank 0 is the largest at the anchor). */
export function demoCustomers(seed: number): readonly DemoCustomer[] {
  let list = bySeed.get(seed);
  if (list) return list;
  const rng = new Rng(mix(seed, 0xc057));
  const pool: string[] = [];
  for (const n of NAMES) for (const s of SUFFIXES) pool.push(`${n}-${s}`);
  // Partial Fisher-Yates: the first CUSTOMER_COUNT of a seeded shuffle.
  for (let i = 0; i < CUSTOMER_COUNT; i++) {
    const j = i + Math.floor(rng.float() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const weights = pool.slice(0, CUSTOMER_COUNT).map((_, rank) => 1 / (rank + 1 + OFFSET) ** EXPONENT);
  const total = weights.reduce((a, b) => a + b, 0);
  list = pool.slice(0, CUSTOMER_COUNT).map((name, rank) => ({
    name,
    weight: weights[rank],
    growth: GROWTH_SIGMA * rng.normal(),
    // The ten largest were customers before the demo starts; only tail accounts onboard.
    onboardedDaysBeforeAnchor: rank >= 10 && rng.chance(ONBOARDING_SHARE) ? rng.int(5, 170) : null,
    endUsers: Math.max(3, Math.round((2000 * weights[rank]) / total)),
  }));
  bySeed.set(seed, list);
  return list;
}

/** Cumulative weights of one UTC day (days relative to the anchor), for drawing accounts on that day. */
export class CustomerMix {
  private readonly cumulative: Float64Array;
  constructor(
    readonly customers: readonly DemoCustomer[],
    daysFromAnchor: number,
  ) {
    this.cumulative = new Float64Array(customers.length);
    let acc = 0;
    customers.forEach((c, i) => {
      const live = c.onboardedDaysBeforeAnchor === null || daysFromAnchor >= -c.onboardedDaysBeforeAnchor;
      acc += live ? c.weight * Math.exp((c.growth * daysFromAnchor) / 30) : 0;
      this.cumulative[i] = acc;
    });
  }

  /** Index of one account drawn in proportion to its weight that day. */
  pick(rng: Rng): number {
    const target = rng.float() * this.cumulative[this.cumulative.length - 1];
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Mixes for the days a run touches, keyed by (seed, day index since the epoch). */
const mixes = new Map<string, CustomerMix>();

/** The mix of accounts on the UTC day `dayIndex` (days since the epoch), `daysFromAnchor` days from the anchor's day. */
export function customerMixOf(seed: number, dayIndex: number, daysFromAnchor: number): CustomerMix {
  const key = `${seed}:${dayIndex}:${daysFromAnchor}`;
  let m = mixes.get(key);
  if (!m) {
    if (mixes.size > 4096) mixes.clear();
    m = new CustomerMix(demoCustomers(seed), daysFromAnchor);
    mixes.set(key, m);
  }
  return m;
}

/** An opaque end-user id (`usr_` and 8 hex digits) of account `customerIndex`, or of an employee when null. */
export function endUserId(seed: number, customerIndex: number | null, n: number): string {
  return `${customerIndex === null ? 'emp' : 'usr'}_${mix(seed, customerIndex ?? -1, n, 0xe5e4).toString(16).padStart(8, '0')}`;
}

/** Whole days from the anchor's UTC day to the UTC day of `t` (ms); negative before. */
export function daysFromAnchorDay(t: number, anchorDay: number): number {
  return Math.floor((t - anchorDay) / DAY_MS);
}

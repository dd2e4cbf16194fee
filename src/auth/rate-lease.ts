/**
 * Fixed one-minute rate-limit windows shared through Redis, counted locally in leased shares.
 *
 * Counting every request in Redis costs a round trip and a socket write per request and per limit, which was
 * the largest cost left on the single-event path. Instead each process takes a share of a counter's window at
 * once (INCRBY share) and spends it locally; it goes back to Redis only when its share is spent or the window
 * has turned. Shares are small against the limit (LEASE_FRACTION of it, 1 for a limit under LEASE_FRACTION⁻¹),
 * so:
 * - a limit under 100 a minute is counted exactly as before, one INCR per request;
 * - with P processes, the shared count can run ahead of the requests really served by at most P shares (shares
 *   taken and not spent when the window turns): a client may be refused up to P% early, never let through more
 *   than its limit;
 * - the figure in `x-ratelimit-remaining` is this process's estimate.
 * Concurrent requests that find a share spent wait for one lease instead of each taking their own.
 */
export const LEASE_FRACTION = 0.01;

/** The shared counter's answer to a lease: the count after adding `amount`, and ms until its window ends. */
export interface LeaseAnswer {
  count: number;
  ttlMs: number;
}

/** Adds `amount` to counter `key` (starting its window when new) and answers it. */
export type TakeShare = (key: string, amount: number) => Promise<LeaseAnswer>;

interface Share {
  /** The counter's value before this share, plus what this process has spent of it. */
  count: number;
  /** The last count this share may reach (the counter's value after the lease, capped at the limit). */
  until: number;
  windowEnds: number;
}

/** Shares of counters this process holds at most (the oldest are dropped first). */
const MAX_SHARES = 10_000;

export class LeasedCounters {
  private readonly shares = new Map<string, Share>();
  private readonly leasing = new Map<string, Promise<void>>();

  constructor(
    private readonly take: TakeShare,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request against counter `key` of `limit` a window; answers its count (as this process sees it) and ms left. */
  async hit(key: string, limit: number): Promise<LeaseAnswer> {
    // Loops only when a lease landed and concurrent requests spent it first.
    for (;;) {
      const s = this.shares.get(key);
      const now = this.now();
      if (s && s.windowEnds > now && s.count < s.until) {
        s.count++;
        return { count: s.count, ttlMs: s.windowEnds - now };
      }
      // Over the limit until the window turns: refused without asking Redis again.
      if (s && s.windowEnds > now && s.until >= limit) return { count: limit + 1, ttlMs: s.windowEnds - now };
      let pending = this.leasing.get(key);
      if (!pending) {
        pending = this.lease(key, limit).finally(() => this.leasing.delete(key));
        this.leasing.set(key, pending);
      }
      await pending;
    }
  }

  private async lease(key: string, limit: number): Promise<void> {
    const share = Math.max(1, Math.floor(limit * LEASE_FRACTION));
    const answer = await this.take(key, share);
    const before = answer.count - share;
    if (this.shares.size >= MAX_SHARES && !this.shares.has(key)) this.shares.delete(this.shares.keys().next().value as string);
    // Past the limit, the share is cut to what is left; `until` = limit then marks the window as used up.
    this.shares.set(key, { count: before, until: Math.min(answer.count, Math.max(before, limit)), windowEnds: this.now() + Math.max(1, answer.ttlMs) });
  }
}

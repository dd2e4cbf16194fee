/**
 * Group commit for small inserts: while one transaction of an org is in flight, the org's next small requests
 * wait and then share ONE transaction, the way a database commits many clients' WAL records with one flush.
 *
 * Services post one usage event per LLM call. Alone, each event paid a whole transaction (its round trips,
 * its commit, its socket writes); grouped, a burst of N single events costs about one. A request arriving
 * when nothing of its org is in flight is flushed at once, so a quiet org waits no extra millisecond.
 *
 * Rules that keep every caller's answer its own and exact:
 * - each caller is answered only after the transaction holding its rows has committed (or failed);
 * - a group never holds the same key twice: a caller whose keys collide with the waiting group's starts the next
 *   group (the waiting one is sent at once), and PostgreSQL orders the two transactions (ON CONFLICT waits for
 *   the other insert), so the second sees the first as a duplicate exactly as if they had come one after the other;
 * - a group waits only while it fills: full, or followed by a request it cannot take, it is sent at once, so no
 *   group waits behind a stream of others;
 * - a failed group of several callers is retried caller by caller, so one caller's bad rows never sink the
 *   others' (and each gets its own error).
 */
export interface GroupCommitOptions {
  /** Rows one group holds at most (the caller's own request may exceed it: it then goes alone). */
  maxRows: number;
  /** Transactions of one org in flight at once before newcomers wait for a group. */
  maxInflightPerKey: number;
}

interface Waiter<R, O> {
  rows: R[];
  resolve: (out: O) => void;
  reject: (err: unknown) => void;
}

interface Group<R, O> {
  waiters: Waiter<R, O>[];
  keys: Set<string>;
  rows: number;
}

interface KeyState<R, O> {
  inflight: number;
  next: Group<R, O> | null;
}

export class GroupCommit<R, O> {
  private readonly states = new Map<string, KeyState<R, O>>();

  constructor(
    /** Writes the rows of one group in one transaction; the outcome is shared by every caller of the group. */
    private readonly flush: (partition: string, rows: R[]) => Promise<O>,
    /** The identity of a row (an event id): two rows with one key never share a group. */
    private readonly keyOf: (row: R) => string,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Stores `rows` of `partition` (an org) with whatever else is waiting, and resolves once they are committed. */
  submit(partition: string, rows: R[]): Promise<O> {
    let state = this.states.get(partition);
    if (!state) {
      state = { inflight: 0, next: null };
      this.states.set(partition, state);
    }
    if (state.inflight < this.options.maxInflightPerKey) return this.run(partition, state, [{ rows }]);
    const group = state.next;
    if (rows.length >= this.options.maxRows) {
      // As large as a group: it goes alone, now, and so does the group waiting before it (never overtaken).
      if (group) this.startWaiting(partition, state);
      return this.run(partition, state, [{ rows }]);
    }
    if (group && (group.rows + rows.length > this.options.maxRows || rows.some((r) => group.keys.has(this.keyOf(r))))) {
      // Full, or the same event twice: the waiting group goes now (waiting longer gains it nothing, and a group
      // that waited for the org's transactions to drop below the limit could wait for as long as the load
      // lasts), and this request starts the next one.
      this.startWaiting(partition, state);
    }
    return new Promise<O>((resolve, reject) => {
      const g = state.next ?? (state.next = { waiters: [], keys: new Set(), rows: 0 });
      g.waiters.push({ rows, resolve, reject });
      g.rows += rows.length;
      for (const r of rows) g.keys.add(this.keyOf(r));
    });
  }

  /** Callers waiting for a group right now (all orgs). */
  get waiting(): number {
    let n = 0;
    for (const s of this.states.values()) n += s.next?.waiters.length ?? 0;
    return n;
  }

  /** Runs one transaction for `parts` (one caller when it has no waiters), then starts the org's waiting group. */
  private run(partition: string, state: KeyState<R, O>, parts: { rows: R[] }[]): Promise<O> {
    state.inflight++;
    const done = this.flush(partition, parts.length === 1 ? parts[0].rows : parts.flatMap((p) => p.rows));
    void done.then(
      () => this.release(partition, state),
      () => this.release(partition, state),
    );
    return done;
  }

  /** Runs the org's waiting group now. */
  private startWaiting(partition: string, state: KeyState<R, O>): void {
    const group = state.next!;
    state.next = null;
    void this.runGroup(partition, state, group);
  }

  private release(partition: string, state: KeyState<R, O>): void {
    state.inflight--;
    const group = state.next;
    if (group && state.inflight < this.options.maxInflightPerKey) {
      this.startWaiting(partition, state);
    } else if (!group && state.inflight === 0) {
      this.states.delete(partition);
    }
  }

  private async runGroup(partition: string, state: KeyState<R, O>, group: Group<R, O>): Promise<void> {
    try {
      const out = await this.run(partition, state, group.waiters);
      for (const w of group.waiters) w.resolve(out);
    } catch (err) {
      if (group.waiters.length === 1) {
        group.waiters[0].reject(err);
        return;
      }
      // One caller's rows may be what failed: each caller again on its own, so the others still land.
      await Promise.all(
        group.waiters.map((w) =>
          this.flush(partition, w.rows).then(
            (out) => w.resolve(out),
            (e: unknown) => w.reject(e),
          ),
        ),
      );
    }
  }
}

/**
 * Admits at most `total` holders at once in this process, and at most `perKey`
 * per key (an org). Never queues: a caller that is not admitted is told so at
 * once and answers the client with a retry hint, so heavy work (exports) can
 * never take every pooled connection and stall everyone else.
 */
export class ConcurrencyGate {
  private readonly held = new Map<string, number>();
  private running = 0;

  constructor(
    readonly total: number,
    readonly perKey: number,
  ) {}

  /** A release function when admitted (call it exactly once; later calls do nothing), null when full. */
  tryAcquire(key: string): (() => void) | null {
    const mine = this.held.get(key) ?? 0;
    if (this.running >= this.total || mine >= this.perKey) return null;
    this.running++;
    this.held.set(key, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const left = (this.held.get(key) ?? 1) - 1;
      if (left > 0) this.held.set(key, left);
      else this.held.delete(key);
    };
  }

  /** Holders now (all keys). */
  get inUse(): number {
    return this.running;
  }
}

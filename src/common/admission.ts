/**
 * Load shedding: at most `limit` requests are in flight in this process; one more is refused at once (503 +
 * Retry-After) instead of waiting behind the others for a pooled connection. A queue without bound turns an
 * overload into tens of seconds of latency for everyone and a growing heap; a refusal costs microseconds and
 * tells the client when to come back. Health and metrics are never counted.
 */
export class InflightLimiter {
  private inflight = 0;
  private refused = 0;

  constructor(readonly limit: number) {}

  /** True when admitted (call `leave` exactly once when the response ends); false when full. */
  tryEnter(): boolean {
    if (this.inflight >= this.limit) {
      this.refused++;
      return false;
    }
    this.inflight++;
    return true;
  }

  leave(): void {
    if (this.inflight > 0) this.inflight--;
  }

  /** Requests in flight now, and refused since start (for metrics). */
  get stats(): { inflight: number; refused: number } {
    return { inflight: this.inflight, refused: this.refused };
  }
}

/** Paths never shed: an orchestrator must always reach liveness and readiness, and Prometheus its metrics. */
export function exemptFromShedding(url: string): boolean {
  return url === '/health' || url.startsWith('/health/') || url.startsWith('/health?') || url === '/metrics' || url.startsWith('/metrics?');
}

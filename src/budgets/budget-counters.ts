import { Injectable, Logger } from '@nestjs/common';
import { BudgetCatalog } from './budget-catalog.js';
import { BudgetLedger } from './budget-ledger.js';
import { scopeMatches, toNanoUsd } from '../domain/budget/rules.js';

/** One stored usage row, as ingestion hands it over after its commit (only rows actually inserted). */
export type StoredUsage = {
  ts: Date;
  workload: string;
  project: string | null;
  provider: string;
  customer: string | null;
  tags: Record<string, string>;
  costUsd: string | null;
};

/**
 * Ingest-time budget counters: what the decision endpoint adds to the last rollup-based spend so that a burst is
 * seen within seconds, not at the next rollup (see BudgetDecisionService for how the two are combined).
 *
 * Cheap by construction: the org's budgets come from a per-process cache (BudgetCatalog, a few seconds, dropped
 * on budget changes in this process); an org without budgets costs a map lookup; the sums per budget go out in
 * one pipelined Redis round trip of INCRBYs of integer nano-dollars. Fire-and-forget: never awaited by ingest,
 * errors logged (at most every 10 s), never thrown. An event counts only if its ts is inside the budget's
 * current window. Unpriced events (costUsd null) count nothing, as in the rollups.
 */
@Injectable()
export class BudgetCounters {
  private readonly logger = new Logger(BudgetCounters.name);
  private lastWarn = 0;

  constructor(
    private readonly catalog: BudgetCatalog,
    private readonly ledger: BudgetLedger,
  ) {}

  record(orgId: string, events: readonly StoredUsage[]): void {
    if (!events.length) return;
    const now = Date.now();
    this.catalog
      .get(orgId)
      .then((org) => {
        if (!org.budgets.length) return;
        // Each budget's current window, once per request rather than once per event and budget.
        const budgets = org.budgets.map((b) => {
          const w = org.span(b.window, now);
          return { id: b.id, window: b.window, rule: b, start: w.start.getTime(), end: w.end.getTime(), nano: 0n };
        });
        for (const e of events) {
          if (e.costUsd === null) continue;
          const nano = toNanoUsd(e.costUsd);
          if (!nano) continue;
          const ts = e.ts.getTime();
          for (const b of budgets) if (ts >= b.start && ts < b.end && scopeMatches(b.rule, e)) b.nano += nano;
        }
        const counted = budgets.filter((b) => b.nano > 0n).map(({ id, window, nano }) => ({ id, window, nano }));
        if (counted.length) return this.ledger.add(orgId, counted);
      })
      .catch((err: Error) => {
        if (Date.now() - this.lastWarn > 10_000) {
          this.lastWarn = Date.now();
          this.logger.warn(`budget counters not updated (decisions see this usage at the next rollup): ${err.message}`);
        }
      });
  }
}

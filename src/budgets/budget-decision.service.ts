import { Injectable } from '@nestjs/common';
import { BudgetCatalog, type CatalogBudget, type OrgBudgets } from './budget-catalog.js';
import { BudgetLedger, type BudgetBase } from './budget-ledger.js';
import { nanoToUsd, scopeMatches, toNanoUsd, type ScopeSubject, type WindowSpan } from '../domain/budget/rules.js';
import { BudgetSpend } from './budget-spend.js';
import { scopeView } from './budgets.service.js';

/** A base older than this (ms) is recomputed from PostgreSQL by the request that finds it. */
export const BASE_MAX_AGE_MS = 5 * 60_000;

export interface DecisionBudget {
  id: string;
  name: string;
  window: CatalogBudget['window'];
  limitUsd: string;
  spentUsd: string;
  remainingUsd: string;
  hard: boolean;
  scope: ReturnType<typeof scopeView>;
  windowStart: string;
  windowEnd: string;
  /** When the rollup part of spentUsd was read; usage ingested since then is added from the counters. */
  rolledUpAt: string;
}

/** redis: every figure from Redis; database: at least one base was missing or stale and was recomputed now. */
export const DECISION_SOURCES = ['redis', 'database'] as const;

export interface Decision {
  allow: boolean;
  budgets: DecisionBudget[];
  asOf: string;
  source: (typeof DECISION_SOURCES)[number];
}

/**
 * The budget decision a gateway asks before forwarding an LLM request, answered from Redis.
 *
 * spent = base.spentUsd + (counter now − base.counter), where the base is the budget's spend read from the
 * rollups and base.counter the budget's ingest-time counter read just BEFORE those rollups were read (by the
 * worker after every rolled-up hour, or here when the base is missing or stale). Usage ingested after the base
 * is in the difference: a burst shows as soon as its INCRBY lands (milliseconds after its ingest commit).
 *
 * The remaining transient error, until the next base (the next rollup of the org, within about a second under
 * load; at worst BASE_MAX_AGE_MS):
 * - low by usage counted before base.counter was read but not yet rolled up when the rollups were read (a rollup
 *   still waiting out its debounce); that usage's own rollup then writes a base that includes it;
 * - high by usage whose counter increment lands after base.counter was read although its rollup was already
 *   read (increments are fire-and-forget after the commit, rollups wait ≥ 500 ms, so rare), or whose rollup
 *   completes between the two reads: counted twice until the next base;
 * - a rolling window slides between bases: usage counted since the base may have left the window (at most
 *   BASE_MAX_AGE_MS of it, and a base is stale as soon as the window's start hour moves).
 * Nothing is counted twice once the rollup that includes a burst has written its base: the base then holds the
 * burst and the counter difference restarts from the value read before it.
 */
@Injectable()
export class BudgetDecisionService {
  /** Recomputations in flight, per `<org> <budget>`: a stale base hit by many requests at once is read once. */
  private readonly inflight = new Map<string, Promise<{ base: BudgetBase; counter: bigint }>>();

  constructor(
    private readonly catalog: BudgetCatalog,
    private readonly ledger: BudgetLedger,
    private readonly spend: BudgetSpend,
  ) {}

  async decide(orgId: string, subject: ScopeSubject, now = Date.now()): Promise<Decision> {
    const org = await this.catalog.get(orgId);
    const applicable = org.budgets.filter((b) => scopeMatches(b, subject));
    const asOf = new Date(now).toISOString();
    if (!applicable.length) return { allow: true, budgets: [], asOf, source: 'redis' };
    const snap = await this.ledger.read(
      orgId,
      applicable.map((b) => b.id),
    );
    let source: Decision['source'] = 'redis';
    const budgets = await Promise.all(
      applicable.map(async (b, i) => {
        const w = org.span(b.window, now);
        let { base, counter } = snap[i];
        if (!usable(base, b, w, counter, now)) {
          source = 'database';
          ({ base, counter } = await this.recompute(orgId, org, b, now));
        }
        return this.figure(b, w, base!, counter);
      }),
    );
    return { allow: !budgets.some((b) => b.denies), budgets: budgets.map(({ denies: _d, ...b }) => b), asOf, source };
  }

  /**
   * The budget's figures, in integer nano-dollars (exact; the rollup spend rounded half up at the 9th decimal),
   * shown with at most 6 decimals like every budget answer. A few µs per budget: no Decimal on this path.
   */
  private figure(b: CatalogBudget, w: WindowSpan, base: BudgetBase, counter: bigint): DecisionBudget & { denies: boolean } {
    const spent = (toNanoUsd(base.spentUsd) ?? 0n) + (counter - BigInt(base.counter));
    const limit = toNanoUsd(b.limitUsd) ?? 0n;
    return {
      id: b.id,
      name: b.name,
      window: b.window,
      limitUsd: usd6(limit),
      spentUsd: usd6(spent),
      remainingUsd: usd6(spent >= limit ? 0n : limit - spent),
      hard: b.hard,
      scope: scopeView(b),
      windowStart: w.start.toISOString(),
      windowEnd: w.end.toISOString(),
      rolledUpAt: new Date(base.asOf).toISOString(),
      denies: b.hard && spent >= limit,
    };
  }

  /** Reads the counter, THEN the rollups, and stores both as the base (see the class comment for why that order). */
  private recompute(orgId: string, org: OrgBudgets, b: CatalogBudget, now: number): Promise<{ base: BudgetBase; counter: bigint }> {
    const key = `${orgId} ${b.id}`;
    let p = this.inflight.get(key);
    if (!p) {
      p = (async () => {
        const [counter] = await this.ledger.counters(orgId, [b.id]);
        const w = org.span(b.window, now);
        const base: BudgetBase = { spentUsd: await this.spend.of(orgId, b, w), counter: counter.toString(), asOf: Date.now(), windowStart: w.start.getTime(), version: b.version };
        await this.ledger.writeBases(orgId, [{ id: b.id, base }]);
        return { base, counter };
      })().finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }
}

/** Nano-dollars as a USD string with at most 6 decimals, half away from zero (budget views round half even: they differ only on an exact half micro-dollar). */
function usd6(nano: bigint): string {
  const neg = nano < 0n;
  const a = neg ? -nano : nano;
  return nanoToUsd((neg ? -1n : 1n) * (((a + 500n) / 1000n) * 1000n));
}

/** A base can be used when it exists, is of this version of the budget and of its current window, is recent, and its counter did not restart. */
function usable(base: BudgetBase | null, b: CatalogBudget, w: WindowSpan, counter: bigint, now: number): boolean {
  return !!base && base.version === b.version && base.windowStart === w.start.getTime() && now - base.asOf <= BASE_MAX_AGE_MS && counter >= BigInt(base.counter);
}

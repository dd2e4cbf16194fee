import { Injectable } from '@nestjs/common';
import { TtlCache } from '../common/ttl-cache.js';
import { OrgsService } from '../orgs/orgs.service.js';
import { windowSpan, type BudgetScopeRule, type BudgetWindow, type WindowSpan } from '../domain/budget/rules.js';
import { BudgetsRepository } from './budgets.repository.js';

/** How long this process trusts its copy of an org's budgets (ms): a change made through another process shows within it. */
export const BUDGET_CATALOG_TTL_MS = 5_000;

/** A budget as the hot paths (ingest counters, decisions) need it. */
export interface CatalogBudget extends BudgetScopeRule {
  id: string;
  name: string;
  window: BudgetWindow;
  hard: boolean;
  limitUsd: string;
  /** updatedAt (ms): a base taken under another version of the budget is not used. */
  version: number;
}

/** An org's budgets and time zone, with the current window of each kind memoised per hour. */
export class OrgBudgets {
  private readonly spans = new Map<string, WindowSpan>();

  constructor(
    readonly tz: string,
    readonly budgets: readonly CatalogBudget[],
  ) {}

  /** The window `kind` in the org's time zone at `now` (ms); windows move on whole hours, so one computation serves the hour. */
  span(kind: BudgetWindow, now: number): WindowSpan {
    const hour = Math.floor(now / 3_600_000);
    // Rolling windows' alert period is the UTC day, which changes on an hour boundary too.
    const k = `${kind}:${hour}`;
    let s = this.spans.get(k);
    if (!s) {
      if (this.spans.size > 16) this.spans.clear();
      s = windowSpan(kind, new Date(now), this.tz);
      this.spans.set(k, s);
    }
    return s;
  }
}

/**
 * Per-process cache of each org's budgets for the ingest path and the decision endpoint: loaded from PostgreSQL at
 * most every BUDGET_CATALOG_TTL_MS per org, dropped at once when this process changes a budget of the org.
 */
@Injectable()
export class BudgetCatalog {
  private readonly cache = new TtlCache<OrgBudgets>(BUDGET_CATALOG_TTL_MS, 10_000);

  constructor(
    private readonly repo: BudgetsRepository,
    private readonly orgs: OrgsService,
  ) {}

  get(orgId: string): Promise<OrgBudgets> {
    return this.cache.get(orgId, () => this.load(orgId));
  }

  /** Forgets the org's budgets (this process created, changed or deleted one). */
  invalidate(orgId: string): void {
    this.cache.delete(orgId);
  }

  async load(orgId: string): Promise<OrgBudgets> {
    const [rows, tz] = await Promise.all([this.repo.list(orgId), this.orgs.timezone(orgId)]);
    return new OrgBudgets(
      tz,
      rows.map((b) => ({
        id: b.id,
        name: b.name,
        window: b.window as BudgetWindow,
        hard: b.hard,
        limitUsd: b.limitUsd.toString(),
        version: b.updatedAt.getTime(),
        project: b.project,
        workload: b.workload,
        provider: b.provider,
        customer: b.customer,
        tagKey: b.tagKey,
        tagValue: b.tagValue,
      })),
    );
  }
}

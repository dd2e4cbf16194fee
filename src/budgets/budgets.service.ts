import { Injectable, Logger } from '@nestjs/common';
import { ConflictError, InvalidError, NotFoundError } from '../common/errors.js';
import { Money } from '../domain/money.js';
import { decodeCursor, toPage } from '../common/pagination.js';
import { MeteringService } from '../metering/metering.service.js';
import { OrgsService } from '../orgs/orgs.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { BudgetCatalog } from './budget-catalog.js';
import { BudgetLedger, type BudgetBase } from './budget-ledger.js';
import { windowSpan, type BudgetScopeRule, type BudgetWindow, type WindowSpan } from '../domain/budget/rules.js';
import { BudgetSpend } from './budget-spend.js';
import { BudgetsRepository, MAX_BUDGETS_PER_ORG, type AlertsQuery, type BudgetScope } from './budgets.repository.js';

/** What a budget is created or changed with (validated by the controller's DTOs). */
export interface BudgetInput {
  name: string;
  scope?: BudgetScope;
  window: BudgetWindow;
  hard: boolean;
  /** USD per window. */
  limitUsd: string;
  thresholds: number[];
}

type BudgetRow = NonNullable<Awaited<ReturnType<BudgetsRepository['find']>>>;

/** Hours a budget read rolls up itself before answering (a large backfill is left to the workers and reported). */
const READ_CATCH_UP_HOURS = 48;

const ruleOf = (b: BudgetRow): BudgetScopeRule => ({ project: b.project, workload: b.workload, provider: b.provider, customer: b.customer, tagKey: b.tagKey, tagValue: b.tagValue });

/** The scope as answers show it. */
export function scopeView(b: BudgetScopeRule) {
  return { project: b.project, workload: b.workload, provider: b.provider, customer: b.customer, tag: b.tagKey !== null ? { key: b.tagKey, value: b.tagValue } : null };
}

/**
 * Budgets: a scope (project, workload, provider, and at most one of a customer or a tag), a window (the calendar
 * month in the org's time zone, or rolling 24h/7d/30d), a limit per window, alert thresholds, and soft (alert
 * only) or hard (the decision endpoint also denies). Every budget is evaluated on its own after each rolled-up
 * hour; an alert is recorded once per budget, threshold and period however often the evaluation runs.
 */
@Injectable()
export class BudgetsService {
  private readonly logger = new Logger(BudgetsService.name);
  private lastWarn = 0;

  constructor(
    private readonly repo: BudgetsRepository,
    private readonly spendOf: BudgetSpend,
    private readonly webhooks: WebhooksService,
    private readonly metering: MeteringService,
    private readonly orgs: OrgsService,
    private readonly catalog: BudgetCatalog,
    private readonly ledger: BudgetLedger,
  ) {
    metering.onHourRolledUp((orgId, hour) => this.evaluate(orgId, hour));
  }

  private columns(scope: BudgetScope) {
    if (scope.customer && scope.tag) {
      throw new InvalidError('Invalid request: scope', [{ field: 'scope', message: 'name a customer or a tag, not both: the attribution rollups hold one dimension at a time' }]);
    }
    return {
      project: scope.project ?? null,
      workload: scope.workload ?? null,
      provider: scope.provider ?? null,
      customer: scope.customer ?? null,
      tagKey: scope.tag?.key ?? null,
      tagValue: scope.tag?.value ?? null,
    };
  }

  /** This process forgets the org's budgets and their bases: the next decision recomputes them. */
  private async changed(orgId: string, ids: string[]): Promise<void> {
    this.catalog.invalidate(orgId);
    await this.ledger.dropBases(orgId, ids).catch((e: Error) => this.warn(`budget bases not dropped: ${e.message}`));
  }

  async create(orgId: string, b: BudgetInput) {
    const row = await this.repo.create(orgId, {
      name: b.name,
      ...this.columns(b.scope ?? {}),
      window: b.window,
      hard: b.hard,
      limitUsd: b.limitUsd,
      thresholds: [...b.thresholds].sort((x, y) => x - y),
    });
    if (!row) throw new ConflictError(`An organisation holds at most ${MAX_BUDGETS_PER_ORG} budgets: delete one first`, { limit: MAX_BUDGETS_PER_ORG });
    await this.changed(orgId, [row.id]);
    // A budget already past a threshold alerts now, not at the next usage; this also stores its decision base.
    await this.evaluate(orgId, new Date());
    return this.get(orgId, row.id);
  }

  async update(orgId: string, id: string, b: Partial<BudgetInput>) {
    await this.find(orgId, id);
    await this.repo.update(orgId, id, {
      ...(b.name !== undefined ? { name: b.name } : {}),
      ...(b.scope !== undefined ? this.columns(b.scope) : {}),
      ...(b.window !== undefined ? { window: b.window } : {}),
      ...(b.hard !== undefined ? { hard: b.hard } : {}),
      ...(b.limitUsd !== undefined ? { limitUsd: b.limitUsd } : {}),
      ...(b.thresholds !== undefined ? { thresholds: [...b.thresholds].sort((x, y) => x - y) } : {}),
    });
    await this.changed(orgId, [id]);
    await this.evaluate(orgId, new Date());
    return this.get(orgId, id);
  }

  async remove(orgId: string, id: string): Promise<void> {
    await this.find(orgId, id);
    await this.repo.delete(orgId, id);
    await this.changed(orgId, [id]);
  }

  /**
   * Budget alert rows, newest first: period ('2026-11' for month windows, the UTC day for rolling ones), the
   * budget's window, and `month` (deprecated: the period of month windows, null otherwise).
   */
  alerts(orgId: string, q: AlertsQuery) {
    return this.repo.alerts(orgId, q);
  }

  /**
   * A budget as answers show it. remainingUsd is never negative (0 once spent reaches the limit; usedPercent says
   * by how much it went over). monthlyLimitUsd and monthToDateUsd are deprecated aliases kept for month windows.
   */
  view(b: BudgetRow, w: WindowSpan, spend: string) {
    const limit = new Money(b.limitUsd.toString());
    const spent = new Money(spend);
    const remaining = Money.max(0, limit.minus(spent));
    return {
      id: b.id,
      name: b.name,
      scope: scopeView(ruleOf(b)),
      window: b.window as BudgetWindow,
      hard: b.hard,
      limitUsd: limit.toFixed(),
      thresholds: b.thresholds,
      spentUsd: spent.toDecimalPlaces(6).toFixed(),
      remainingUsd: remaining.toDecimalPlaces(6).toFixed(),
      usedPercent: spent.div(limit).mul(100).toDecimalPlaces(2).toNumber(),
      windowStart: w.start.toISOString(),
      windowEnd: w.end.toISOString(),
      ...(b.window === 'month' ? { monthlyLimitUsd: limit.toFixed(), monthToDateUsd: spent.toDecimalPlaces(6).toFixed() } : {}),
      createdAt: b.createdAt.toISOString(),
    };
  }

  /**
   * Every budget with its spend in its current window. Usage just sent is in it: the org's waiting hours are
   * rolled up first (at most READ_CATCH_UP_HOURS here), and `dataFreshness` says if any still wait.
   */
  async list(orgId: string, now = new Date(), page: { limit: number; cursor?: string } = { limit: MAX_BUDGETS_PER_ORG }) {
    const after = decodeCursor<{ createdAt: string; id: string }>(page.cursor);
    if (after && (typeof after.createdAt !== 'string' || typeof after.id !== 'string')) {
      throw new InvalidError('Invalid request: cursor', [{ field: 'cursor', message: 'is not a cursor returned by this API' }]);
    }
    const dataFreshness = await this.metering.freshen(orgId, READ_CATCH_UP_HOURS, now);
    const [all, tz] = await Promise.all([this.repo.list(orgId), this.orgs.timezone(orgId)]);
    // At most MAX_BUDGETS_PER_ORG rows: paged here, after one read, and only the page's spend is computed.
    const at = after ? new Date(after.createdAt).getTime() : 0;
    const rest = after ? all.filter((b) => b.createdAt.getTime() > at || (b.createdAt.getTime() === at && b.id > after.id)) : all;
    const { data: rows, nextCursor } = toPage(rest.slice(0, page.limit + 1), page.limit, (last) => ({ createdAt: last.createdAt.toISOString(), id: last.id }));
    const data = await Promise.all(
      rows.map(async (b) => {
        const w = windowSpan(b.window as BudgetWindow, now, tz);
        return this.view(b, w, await this.spendOf.of(orgId, ruleOf(b), w));
      }),
    );
    return { data, nextCursor, dataFreshness };
  }

  private async find(orgId: string, id: string): Promise<BudgetRow> {
    const b = await this.repo.find(orgId, id);
    if (!b) throw new NotFoundError(`Budget ${id} not found`);
    return b;
  }

  async get(orgId: string, id: string) {
    const b = await this.find(orgId, id);
    const now = new Date();
    const dataFreshness = await this.metering.freshen(orgId, READ_CATCH_UP_HOURS, now);
    const w = windowSpan(b.window as BudgetWindow, now, await this.orgs.timezone(orgId));
    return { ...this.view(b, w, await this.spendOf.of(orgId, ruleOf(b), w)), dataFreshness };
  }

  /**
   * Evaluates the org's budgets (runs after each rolled-up hour `at`); returns how many new alerts were recorded.
   * Each budget is read over its current window, which becomes its decision base in Redis (the counters are read
   * BEFORE the rollups, see BudgetDecisionService). A month window is also evaluated over the month of `at` when
   * that is an earlier month (usage arriving late for it), without a base.
   * An alert recorded earlier whose webhooks were never recorded (a crash or database error between the two
   * writes) is emitted again here; emitting is idempotent per alert, so receivers never get it twice.
   */
  async evaluate(orgId: string, at: Date): Promise<number> {
    const now = new Date();
    const [rows, tz] = await Promise.all([this.repo.list(orgId), this.orgs.timezone(orgId)]);
    if (!rows.length) return 0;
    const counters = await this.ledger.counters(
      orgId,
      rows.map((b) => b.id),
    ).catch((e: Error) => {
      this.warn(`budget decision bases not refreshed (Redis): ${e.message}`);
      return null;
    });
    const bases: { id: string; base: BudgetBase }[] = [];
    let created = 0;
    for (const [i, b] of rows.entries()) {
      const w = windowSpan(b.window as BudgetWindow, now, tz);
      const spend = await this.spendOf.of(orgId, ruleOf(b), w);
      if (counters) bases.push({ id: b.id, base: { spentUsd: spend, counter: counters[i].toString(), asOf: now.getTime(), windowStart: w.start.getTime(), version: b.updatedAt.getTime() } });
      created += await this.alertCrossings(orgId, b, w, spend);
      if (b.window === 'month' && at.getTime() < w.start.getTime()) {
        const past = windowSpan('month', at, tz);
        created += await this.alertCrossings(orgId, b, past, await this.spendOf.of(orgId, ruleOf(b), past));
      }
    }
    await this.ledger.writeBases(orgId, bases).catch((e: Error) => this.warn(`budget decision bases not stored (Redis): ${e.message}`));
    return created;
  }

  private async alertCrossings(orgId: string, b: BudgetRow, w: WindowSpan, spend: string): Promise<number> {
    const used = new Money(spend).div(b.limitUsd.toString()).mul(100);
    let created = 0;
    for (const threshold of [...b.thresholds].sort((x, y) => x - y)) {
      if (used.lt(threshold)) break;
      const alert = await this.repo.recordAlert(orgId, { budgetId: b.id, period: w.period, threshold, spendUsd: spend, limitUsd: b.limitUsd.toString() });
      if (alert.created) created++;
      if (alert.notifiedAt) continue;
      await this.webhooks.emit(orgId, 'budget.threshold_crossed', `alert-${alert.id}`, {
        alertId: alert.id,
        budget: { id: b.id, name: b.name, window: b.window, hard: b.hard, scope: scopeView(ruleOf(b)) },
        window: b.window,
        hard: b.hard,
        period: w.period,
        // Deprecated: the period of month windows (null for rolling windows, whose period is a UTC day).
        month: b.window === 'month' ? w.period : null,
        threshold,
        spendUsd: new Money(alert.spendUsd).toDecimalPlaces(6).toFixed(),
        limitUsd: new Money(alert.limitUsd).toFixed(),
      });
      await this.repo.markAlertNotified(orgId, alert.id);
    }
    return created;
  }

  private warn(message: string): void {
    if (Date.now() - this.lastWarn > 10_000) {
      this.lastWarn = Date.now();
      this.logger.warn(message);
    }
  }
}

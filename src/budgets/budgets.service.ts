import { Injectable } from '@nestjs/common';
import { MeteringService } from '../metering/metering.service.js';
import { NotFoundError } from '../common/errors.js';
import { Money } from '../domain/money.js';
import { ReportsService } from '../reports/reports.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { BudgetsRepository, type BudgetScope } from './budgets.repository.js';

/** What a budget is created or changed with (validated by the controller's DTOs). */
export interface BudgetInput {
  name: string;
  scope?: BudgetScope;
  monthlyLimitUsd: string;
  thresholds: number[];
}

function monthWindow(at: Date): { month: string; from: Date; to: Date } {
  const from = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const to = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { month: from.toISOString().slice(0, 7), from, to };
}

type BudgetRow = Awaited<ReturnType<BudgetsRepository['list']>>[number];

/**
 * Monthly budgets (calendar months in UTC). Every budget whose scope matches
 * is evaluated on its own; an alert names its budget and is recorded once per
 * budget, threshold and month however often the evaluation runs.
 */
/** Hours a budget read rolls up itself before answering (a large backfill is left to the workers and reported). */
const READ_CATCH_UP_HOURS = 48;

@Injectable()
export class BudgetsService {
  constructor(
    private readonly repo: BudgetsRepository,
    private readonly reports: ReportsService,
    private readonly webhooks: WebhooksService,
    private readonly metering: MeteringService,
  ) {
    metering.onHourRolledUp((orgId, hour) => this.evaluate(orgId, hour));
  }

  /** Spend of the budget's scope in [from, to), read with the reports' own query. */
  private spend(orgId: string, from: Date, to: Date, scope: BudgetScope): Promise<string> {
    return this.reports.spendFor(orgId, from, to, { project: scope.project ?? undefined, workload: scope.workload ?? undefined, provider: scope.provider ?? undefined });
  }

  async create(orgId: string, b: BudgetInput) {
    const row = await this.repo.create(orgId, { name: b.name, ...b.scope, limitUsd: b.monthlyLimitUsd, thresholds: [...b.thresholds].sort((x, y) => x - y) });
    // A budget already past a threshold alerts now, not at the next usage.
    await this.evaluate(orgId, new Date());
    return this.get(orgId, row.id);
  }

  async update(orgId: string, id: string, b: Partial<BudgetInput>) {
    await this.get(orgId, id);
    await this.repo.update(orgId, id, {
      ...(b.name !== undefined ? { name: b.name } : {}),
      ...(b.scope !== undefined ? { project: b.scope.project ?? null, workload: b.scope.workload ?? null, provider: b.scope.provider ?? null } : {}),
      ...(b.monthlyLimitUsd !== undefined ? { limitUsd: b.monthlyLimitUsd } : {}),
      ...(b.thresholds !== undefined ? { thresholds: [...b.thresholds].sort((x, y) => x - y) } : {}),
    });
    await this.evaluate(orgId, new Date());
    return this.get(orgId, id);
  }

  async remove(orgId: string, id: string): Promise<void> {
    await this.get(orgId, id);
    await this.repo.delete(orgId, id);
  }

  alerts(orgId: string, limit: number) {
    return this.repo.alerts(orgId, limit);
  }

  view(b: BudgetRow, spend?: string) {
    const limit = b.limitUsd.toString();
    return {
      id: b.id,
      name: b.name,
      scope: { project: b.project, workload: b.workload, provider: b.provider },
      monthlyLimitUsd: new Money(limit).toFixed(),
      thresholds: b.thresholds,
      ...(spend !== undefined
        ? { monthToDateUsd: new Money(spend).toDecimalPlaces(6).toFixed(), usedPercent: new Money(spend).div(limit).mul(100).toDecimalPlaces(2).toNumber() }
        : {}),
      createdAt: b.createdAt.toISOString(),
    };
  }

  /**
   * Every budget with its month to date. Usage just sent is in it: the org's waiting hours are rolled up first
   * (at most READ_CATCH_UP_HOURS here), and `dataFreshness` says if any still wait.
   */
  async list(orgId: string, now = new Date()) {
    const dataFreshness = await this.metering.freshen(orgId, READ_CATCH_UP_HOURS, now);
    const { from, to } = monthWindow(now);
    const rows = await this.repo.list(orgId);
    return { data: await Promise.all(rows.map(async (b) => this.view(b, await this.spend(orgId, from, to, b)))), dataFreshness };
  }

  async get(orgId: string, id: string) {
    const b = await this.repo.find(orgId, id);
    if (!b) throw new NotFoundError(`Budget ${id} not found`);
    const now = new Date();
    const dataFreshness = await this.metering.freshen(orgId, READ_CATCH_UP_HOURS, now);
    const { from, to } = monthWindow(now);
    return { ...this.view(b, await this.spend(orgId, from, to, b)), dataFreshness };
  }

  /**
   * Evaluates the org's budgets for the month containing `at`; returns how many new alerts were recorded.
   * An alert recorded earlier whose webhooks were never recorded (a crash or database error between the two
   * writes) is emitted again here; emitting is idempotent per alert, so receivers never get it twice.
   */
  async evaluate(orgId: string, at: Date): Promise<number> {
    const { month, from, to } = monthWindow(at);
    let created = 0;
    for (const b of await this.repo.list(orgId)) {
      const spend = await this.spend(orgId, from, to, b);
      const used = new Money(spend).div(b.limitUsd.toString()).mul(100);
      for (const threshold of [...b.thresholds].sort((x, y) => x - y)) {
        if (used.lt(threshold)) break;
        const alert = await this.repo.recordAlert(orgId, { budgetId: b.id, month, threshold, spendUsd: spend, limitUsd: b.limitUsd.toString() });
        if (alert.created) created++;
        if (alert.notifiedAt) continue;
        await this.webhooks.emit(orgId, 'budget.threshold_crossed', `alert-${alert.id}`, {
          alertId: alert.id,
          budget: { id: b.id, name: b.name, scope: { project: b.project, workload: b.workload, provider: b.provider } },
          month,
          threshold,
          spendUsd: new Money(alert.spendUsd).toDecimalPlaces(6).toFixed(),
          limitUsd: new Money(alert.limitUsd).toFixed(),
        });
        await this.repo.markAlertNotified(orgId, alert.id);
      }
    }
    return created;
  }
}

import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/errors.js';
import { Money } from '../domain/money.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { BudgetsRepository } from './budgets.repository.js';

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
@Injectable()
export class BudgetsService {
  constructor(
    private readonly repo: BudgetsRepository,
    private readonly webhooks: WebhooksService,
  ) {}

  view(b: BudgetRow, spend?: string) {
    const limit = b.monthlyLimitUsd.toString();
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

  async list(orgId: string, now = new Date()) {
    const { from, to } = monthWindow(now);
    const rows = await this.repo.list(orgId);
    return { data: await Promise.all(rows.map(async (b) => this.view(b, await this.repo.spend(orgId, from, to, b)))) };
  }

  async get(orgId: string, id: string) {
    const b = await this.repo.find(orgId, id);
    if (!b) throw new NotFoundError(`Budget ${id} not found`);
    const { from, to } = monthWindow(new Date());
    return this.view(b, await this.repo.spend(orgId, from, to, b));
  }

  /** Evaluates the org's budgets for the month containing `at`; returns how many new alerts were recorded. */
  async evaluate(orgId: string, at: Date): Promise<number> {
    const { month, from, to } = monthWindow(at);
    let created = 0;
    for (const b of await this.repo.list(orgId)) {
      const spend = await this.repo.spend(orgId, from, to, b);
      const used = new Money(spend).div(b.monthlyLimitUsd.toString()).mul(100);
      for (const threshold of [...b.thresholds].sort((x, y) => x - y)) {
        if (used.lt(threshold)) break;
        const alert = await this.repo.recordAlert(orgId, { budgetId: b.id, month, threshold, spendUsd: spend, limitUsd: b.monthlyLimitUsd.toString() });
        if (!alert) continue;
        created++;
        await this.webhooks.emit(orgId, 'budget.threshold_crossed', `alert-${alert.id}`, {
          alertId: alert.id,
          budget: { id: b.id, name: b.name, scope: { project: b.project, workload: b.workload, provider: b.provider } },
          month,
          threshold,
          spendUsd: new Money(spend).toDecimalPlaces(6).toFixed(),
          limitUsd: new Money(b.monthlyLimitUsd.toString()).toFixed(),
        });
      }
    }
    return created;
  }
}

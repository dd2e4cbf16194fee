import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, type Page } from '../common/pagination.js';
import { BudgetsService } from '../budgets/budgets.service.js';
import { AnomaliesService, validBefore, type AnomalyView } from './anomalies.service.js';

export const ALERT_TYPES = ['budget', 'anomaly'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

type BudgetAlert = Awaited<ReturnType<BudgetsService['alerts']>>[number] & { createdAt: Date; id: string };
export type AlertView = (Record<string, unknown> & { type: 'budget'; id: string; createdAt: string }) | (AnomalyView & { type: 'anomaly' });

/** Budget alerts and spend anomalies in one list, newest first (createdAt, then id), cursor-paginated. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly budgets: BudgetsService,
    private readonly anomalies: AnomaliesService,
  ) {}

  async list(orgId: string, q: { type?: AlertType; from?: Date; to?: Date; limit: number; cursor?: string }): Promise<Page<AlertView>> {
    const before = validBefore(decodeCursor<{ at: string; id: string }>(q.cursor));
    const items: { at: number; id: string; view: AlertView }[] = [];
    if (q.type !== 'anomaly') {
      const page = (await this.budgets.alerts(orgId, {
        limit: q.limit + 1,
        from: q.from,
        to: q.to,
        before: before ? { createdAt: new Date(before.at), id: before.id } : undefined,
      })) as BudgetAlert[];
      for (const a of page) {
        const at = new Date(a.createdAt).getTime();
        items.push({ at, id: a.id, view: { type: 'budget', ...a, createdAt: new Date(a.createdAt).toISOString() } });
      }
    }
    if (q.type !== 'budget') {
      for (const a of await this.anomalies.createdBetween(orgId, { createdFrom: q.from, createdTo: q.to, before, limit: q.limit + 1 })) {
        items.push({ at: new Date(a.createdAt).getTime(), id: a.id, view: { type: 'anomaly', ...a } });
      }
    }
    items.sort((x, y) => y.at - x.at || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0));
    const page = items.slice(0, q.limit);
    const last = page[page.length - 1];
    return { data: page.map((i) => i.view), nextCursor: items.length > q.limit && last ? encodeCursor({ at: new Date(last.at).toISOString(), id: last.id }) : null };
  }
}

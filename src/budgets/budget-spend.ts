import { Injectable } from '@nestjs/common';
import { tagValue } from '../metering/attribution.js';
import { ReportsService } from '../reports/reports.service.js';
import type { BudgetScopeRule, WindowSpan } from '../domain/budget/rules.js';

/**
 * A budget's spend over a window, from the rollups: the main rollups (the reports' own query) for project,
 * workload and provider scopes; the attribution rollups for a customer or a tag (they hold one such dimension at
 * a time, which is why a budget names at most one of the two).
 */
@Injectable()
export class BudgetSpend {
  constructor(private readonly reports: ReportsService) {}

  of(orgId: string, b: BudgetScopeRule, w: Pick<WindowSpan, 'start' | 'end'>): Promise<string> {
    const main = { project: b.project ?? undefined, workload: b.workload ?? undefined, provider: b.provider ?? undefined };
    if (b.customer !== null) return this.reports.attributedSpendFor(orgId, w.start, w.end, { dim: 'customer', value: b.customer, ...main });
    if (b.tagKey !== null) return this.reports.attributedSpendFor(orgId, w.start, w.end, { dim: 'tag', value: tagValue(b.tagKey, b.tagValue!), ...main });
    return this.reports.spendFor(orgId, w.start, w.end, main);
  }
}

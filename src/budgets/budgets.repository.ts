import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';

export interface BudgetScope {
  project?: string | null;
  workload?: string | null;
  provider?: string | null;
}

/** An existing alert as recordAlert returns it (`created` false). */
const ALERT_COLUMNS = `SELECT id, created_at AS "createdAt", notified_at AS "notifiedAt", false AS created, trim_scale(spend_usd)::text AS "spendUsd", trim_scale(limit_usd)::text AS "limitUsd" FROM alerts`;

@Injectable()
export class BudgetsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(orgId: string, data: Omit<Prisma.BudgetUncheckedCreateInput, 'orgId'>) {
    return this.prisma.tenant(orgId, (tx) => tx.budget.create({ data: { ...data, orgId } }));
  }
  list(orgId: string) {
    return this.prisma.tenant(orgId, (tx) => tx.budget.findMany({ where: { orgId }, orderBy: { createdAt: 'asc' } }));
  }
  find(orgId: string, id: string) {
    return this.prisma.tenant(orgId, (tx) => tx.budget.findUnique({ where: { orgId_id: { orgId, id } } }));
  }
  update(orgId: string, id: string, data: Prisma.BudgetUpdateInput) {
    return this.prisma.tenant(orgId, (tx) => tx.budget.update({ where: { orgId_id: { orgId, id } }, data }));
  }
  async delete(orgId: string, id: string): Promise<boolean> {
    return this.prisma.tenant(orgId, async (tx) => (await tx.budget.deleteMany({ where: { orgId, id } })).count === 1);
  }

  /** Records the alert unless it exists (once per budget, threshold and month); returns it only when new. */
  /**
   * Records the alert of (budget, month, threshold) once; returns it either way, with `notifiedAt` null until
   * its webhook deliveries were recorded (markAlertNotified). An alert already there is read, never rewritten:
   * this runs after every rollup job for every threshold crossed.
   */
  async recordAlert(orgId: string, a: { budgetId: string; month: string; threshold: number; spendUsd: string; limitUsd: string }) {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `WITH ins AS (
           INSERT INTO alerts (org_id, id, budget_id, period, threshold, spend_usd, limit_usd) VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6)
           ON CONFLICT (org_id, budget_id, period, threshold) DO NOTHING
           RETURNING id, created_at, notified_at, spend_usd, limit_usd)
         SELECT id, created_at AS "createdAt", notified_at AS "notifiedAt", true AS created, trim_scale(spend_usd)::text AS "spendUsd", trim_scale(limit_usd)::text AS "limitUsd" FROM ins
         UNION ALL
         ${ALERT_COLUMNS} WHERE org_id = $1 AND budget_id = $2 AND period = $3 AND threshold = $4 AND NOT EXISTS (SELECT 1 FROM ins)`,
        [orgId, a.budgetId, a.month, a.threshold, a.spendUsd, a.limitUsd],
      );
      // A concurrent rollup of the org inserted it after this statement's snapshot: read it again, now committed.
      const row = res.rows[0] ?? (await c.query(`${ALERT_COLUMNS} WHERE org_id = $1 AND budget_id = $2 AND period = $3 AND threshold = $4`, [orgId, a.budgetId, a.month, a.threshold])).rows[0];
      return row as { id: string; createdAt: Date; notifiedAt: Date | null; created: boolean; spendUsd: string; limitUsd: string };
    });
  }

  /** Its webhook deliveries are recorded: the alert is not emitted again. */
  async markAlertNotified(orgId: string, id: string): Promise<void> {
    await this.prisma.tenantPg(orgId, (c) => c.query(`UPDATE alerts SET notified_at = now() WHERE org_id = $1 AND id = $2 AND notified_at IS NULL`, [orgId, id]));
  }

  async alerts(orgId: string, limit: number) {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `SELECT a.id, a.budget_id AS "budgetId", b.name AS "budgetName", a.period AS month, a.threshold, trim_scale(a.spend_usd)::text AS "spendUsd",
                trim_scale(a.limit_usd)::text AS "limitUsd", a.created_at AS "createdAt"
           FROM alerts a LEFT JOIN budgets b ON b.org_id = a.org_id AND b.id = a.budget_id
          WHERE a.org_id = $1 ORDER BY a.created_at DESC LIMIT $2`,
        [orgId, limit],
      );
      return res.rows;
    });
  }
}

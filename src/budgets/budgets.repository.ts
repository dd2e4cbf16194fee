import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';

export interface BudgetScope {
  project?: string | null;
  workload?: string | null;
  provider?: string | null;
  customer?: string | null;
  tag?: { key: string; value: string } | null;
}

/** A page of budget alerts: created in [from, to), strictly before `before` in (createdAt, id) order, newest first. */
export interface AlertsQuery {
  limit: number;
  from?: Date;
  to?: Date;
  before?: { createdAt: Date; id: string };
}

/** Budgets an org may hold: each is evaluated after every rolled-up hour and matched against every ingested event. */
export const MAX_BUDGETS_PER_ORG = 100;

/** An existing alert as recordAlert returns it (`created` false). */
const ALERT_COLUMNS = `SELECT id, created_at AS "createdAt", notified_at AS "notifiedAt", false AS created, trim_scale(spend_usd)::text AS "spendUsd", trim_scale(limit_usd)::text AS "limitUsd" FROM alerts`;

@Injectable()
export class BudgetsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Creates the budget unless the org already holds MAX_BUDGETS_PER_ORG (null then). Creations of one org are
   * serialised by a transaction-scoped advisory lock, so concurrent requests cannot both pass the count.
   */
  create(orgId: string, data: Omit<Prisma.BudgetUncheckedCreateInput, 'orgId'>) {
    return this.prisma.tenant(orgId, async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`budgets:${orgId}`}, 0))::text AS locked`;
      if ((await tx.budget.count({ where: { orgId } })) >= MAX_BUDGETS_PER_ORG) return null;
      return tx.budget.create({ data: { ...data, orgId } });
    });
  }
  list(orgId: string) {
    return this.prisma.tenant(orgId, (tx) => tx.budget.findMany({ where: { orgId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }));
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

  /**
   * Records the alert of (budget, period, threshold) once; returns it either way, with `notifiedAt` null until
   * its webhook deliveries were recorded (markAlertNotified). An alert already there is read, never rewritten:
   * this runs after every rollup job for every threshold crossed.
   */
  async recordAlert(orgId: string, a: { budgetId: string; period: string; threshold: number; spendUsd: string; limitUsd: string }) {
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `WITH ins AS (
           INSERT INTO alerts (org_id, id, budget_id, period, threshold, spend_usd, limit_usd) VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6)
           ON CONFLICT (org_id, budget_id, period, threshold) DO NOTHING
           RETURNING id, created_at, notified_at, spend_usd, limit_usd)
         SELECT id, created_at AS "createdAt", notified_at AS "notifiedAt", true AS created, trim_scale(spend_usd)::text AS "spendUsd", trim_scale(limit_usd)::text AS "limitUsd" FROM ins
         UNION ALL
         ${ALERT_COLUMNS} WHERE org_id = $1 AND budget_id = $2 AND period = $3 AND threshold = $4 AND NOT EXISTS (SELECT 1 FROM ins)`,
        [orgId, a.budgetId, a.period, a.threshold, a.spendUsd, a.limitUsd],
      );
      // A concurrent rollup of the org inserted it after this statement's snapshot: read it again, now committed.
      const row = res.rows[0] ?? (await c.query(`${ALERT_COLUMNS} WHERE org_id = $1 AND budget_id = $2 AND period = $3 AND threshold = $4`, [orgId, a.budgetId, a.period, a.threshold])).rows[0];
      return row as { id: string; createdAt: Date; notifiedAt: Date | null; created: boolean; spendUsd: string; limitUsd: string };
    });
  }

  /** Its webhook deliveries are recorded: the alert is not emitted again. */
  async markAlertNotified(orgId: string, id: string): Promise<void> {
    await this.prisma.tenantPg(orgId, (c) => c.query(`UPDATE alerts SET notified_at = now() WHERE org_id = $1 AND id = $2 AND notified_at IS NULL`, [orgId, id]));
  }

  /**
   * Budget alerts, newest first. `window` is the budget's (null once it is deleted, unless the period says month);
   * `month` (deprecated) is the period of month windows, null for rolling ones. Uses alerts' primary key (org_id).
   */
  async alerts(orgId: string, q: AlertsQuery) {
    const params: unknown[] = [orgId, q.limit];
    const where = ['a.org_id = $1'];
    if (q.from) where.push(`a.created_at >= $${params.push(q.from)}`);
    if (q.to) where.push(`a.created_at < $${params.push(q.to)}`);
    if (q.before) where.push(`(a.created_at, a.id) < ($${params.push(q.before.createdAt)}, $${params.push(q.before.id)}::uuid)`);
    return this.prisma.tenantPg(orgId, async (c) => {
      const res = await c.query(
        `SELECT a.id, a.budget_id AS "budgetId", b.name AS "budgetName", a.period,
                coalesce(b."window", CASE WHEN length(a.period) = 7 THEN 'month' END) AS "window",
                CASE WHEN length(a.period) = 7 THEN a.period END AS month, b.hard,
                a.threshold, trim_scale(a.spend_usd)::text AS "spendUsd", trim_scale(a.limit_usd)::text AS "limitUsd", a.created_at AS "createdAt"
           FROM alerts a LEFT JOIN budgets b ON b.org_id = a.org_id AND b.id = a.budget_id
          WHERE ${where.join(' AND ')} ORDER BY a.created_at DESC, a.id DESC LIMIT $2`,
        params,
      );
      return res.rows as { id: string; budgetId: string; budgetName: string | null; period: string; window: string | null; month: string | null; hard: boolean | null; threshold: number; spendUsd: string; limitUsd: string; createdAt: Date }[];
    });
  }
}

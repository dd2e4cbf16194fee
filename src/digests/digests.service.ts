import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InvalidError, NotFoundError } from '../common/errors.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { checkDigestCron } from './cron-check.js';
import { toJson } from '../common/json.js';
import { BudgetsService } from '../budgets/budgets.service.js';
import { diffPlans, topActions, type OrganisationPlan } from '../domain/planner/index.js';
import { Money } from '../domain/money.js';
import { DAY_MS } from '../domain/time.js';
import { EconomicsService } from '../economics/economics.service.js';
import { OrgSettingsService } from '../orgs/org-settings.service.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { ReportsService } from '../reports/reports.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { PlannerService } from '../workloads/planner.service.js';
import { MeteringService } from '../metering/metering.service.js';
import { OrgsService } from '../orgs/orgs.service.js';
import { DigestsRepository } from './digests.repository.js';

/** Weekly, Monday 08:00 in the org's time zone. */
export const DEFAULT_DIGEST_SCHEDULE = { cron: '0 8 * * 1', enabled: true };

export interface DigestSchedule {
  cron: string;
  timezone: string;
  enabled: boolean;
}

const usd = (v: unknown) => `$${new Money(String(v ?? 0)).toDecimalPlaces(2).toNumber().toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/**
 * Migration-readiness digests: one per org and scheduled period, built by a
 * BullMQ job scheduler per org (cron in the org's time zone), stored, and
 * delivered to the org's webhooks as digest.created.
 */
@Injectable()
export class DigestsService implements OnModuleInit {
  private readonly logger = new Logger(DigestsService.name);

  constructor(
    private readonly repo: DigestsRepository,
    private readonly orgs: OrgsService,
    private readonly settings: OrgSettingsService,
    private readonly queues: QueueService,
    private readonly reports: ReportsService,
    private readonly economics: EconomicsService,
    private readonly budgets: BudgetsService,
    private readonly planner: PlannerService,
    private readonly webhooks: WebhooksService,
    private readonly metering: MeteringService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new org gets the default weekly digest at once; a worker booting later registers it too, so a failure here only delays it. */
  onModuleInit(): void {
    this.orgs.onOrgCreated((org) => this.register(org.id, { ...DEFAULT_DIGEST_SCHEDULE, timezone: org.timezone }));
  }

  async schedule(orgId: string): Promise<DigestSchedule> {
    const s = (await this.settings.get(orgId)).digest as Partial<DigestSchedule>;
    return { cron: s.cron ?? DEFAULT_DIGEST_SCHEDULE.cron, timezone: s.timezone ?? (await this.orgs.timezone(orgId)), enabled: s.enabled ?? DEFAULT_DIGEST_SCHEDULE.enabled };
  }

  /** Checks the cron (it parses, and fires at most once per DIGEST_MIN_INTERVAL_SECONDS) before anything is saved or scheduled; saves, then schedules. */
  async setSchedule(orgId: string, s: DigestSchedule): Promise<DigestSchedule> {
    const check = checkDigestCron(s.cron, s.timezone, this.config.digests.minIntervalSeconds);
    if (!check.ok) throw new InvalidError('Invalid request: cron', [{ field: 'cron', message: check.reason }]);
    await this.settings.put(orgId, 'digest', { ...s });
    // Saved first: with the queue unreachable, the workers' periodic reconciliation registers it later.
    await this.register(orgId, s).catch((e) => this.logger.warn(`digest schedule of org ${orgId} saved, registered at the next reconciliation: ${(e as Error).message}`));
    return s;
  }

  /** One job scheduler per org (id digest-<org>): upserting is idempotent across replicas. */
  async register(orgId: string, s: DigestSchedule): Promise<void> {
    const q = this.queues.queue('digests');
    if (!s.enabled) {
      await q.removeJobScheduler(`digest-${orgId}`);
      return;
    }
    await q.upsertJobScheduler(`digest-${orgId}`, { pattern: s.cron, tz: s.timezone }, { name: 'build', data: { orgId }, opts: { removeOnComplete: 100, removeOnFail: 100 } });
  }

  /**
   * Every org's schedule (defaults included), as the worker reconciles them (at start and every
   * SCHEDULE_RECONCILE_SECONDS): the schedulers already in Redis with the same cron and time zone are left
   * alone, so a pass costs one read of the schedulers plus a write per schedule missing (a Redis flush) or
   * changed, not a write per org. One org's bad schedule is logged and skipped, never stops the others;
   * `signal` ends a pass early (the worker is stopping). Returns how many schedules are in place.
   */
  async registerAll(signal?: AbortSignal): Promise<number> {
    const rows = await this.orgs.schedules();
    const existing = new Map((await this.queues.queue('digests').getJobSchedulers(0, -1)).map((j) => [j.key, j] as const));
    let failed = 0;
    for (const r of rows) {
      if (signal?.aborted) break;
      const d = r.digest as Partial<DigestSchedule>;
      const s = { cron: d.cron ?? DEFAULT_DIGEST_SCHEDULE.cron, timezone: d.timezone ?? r.timezone, enabled: d.enabled ?? true };
      const now = existing.get(`digest-${r.orgId}`);
      if (s.enabled ? now?.pattern === s.cron && now.tz === s.timezone : now === undefined) continue;
      try {
        await this.register(r.orgId, s);
      } catch (e) {
        failed++;
        this.logger.warn(`digest schedule of org ${r.orgId} not registered: ${(e as Error).message}`);
      }
    }
    return rows.length - failed;
  }

  /** Builds and stores the digest of `period` unless it exists; delivers it once. */
  async build(orgId: string, period: string, now = new Date()) {
    // A retry of a slot already built only finishes what the first run could not: its webhooks.
    const built = await this.repo.findByPeriod(orgId, period);
    if (built) {
      if (!built.notifiedAt) await this.notify(orgId, built.id, period, built.data as Record<string, any>);
      return null;
    }
    // Usage sent just before the digest is in it: its hours are rolled up first.
    const dataFreshness = await this.metering.freshen(orgId, undefined, now);
    const previous = await this.repo.latest(orgId);
    const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
    const twoWeeksAgo = new Date(now.getTime() - 14 * DAY_MS);
    const [thisPeriod, lastPeriod, forecast, budgets, planned] = await Promise.all([
      this.reports.totals(orgId, { from: weekAgo, to: now, filters: {} }),
      this.reports.totals(orgId, { from: twoWeeksAgo, to: weekAgo, filters: {} }),
      this.economics.forecast(orgId, 3),
      this.budgets.list(orgId, now),
      this.planner.plan(orgId, true),
    ]);
    const plan = planned.plan as OrganisationPlan;
    const prevPlan = (previous?.data as { plan?: OrganisationPlan } | undefined)?.plan ?? null;
    const cur = new Money(thisPeriod.costUsd ?? 0);
    const prev = new Money(lastPeriod.costUsd ?? 0);
    const data = toJson({
      period,
      generatedAt: now,
      dataFreshness,
      spend: {
        thisPeriodUsd: cur,
        lastPeriodUsd: prev,
        changePercent: prev.isZero() ? null : cur.minus(prev).div(prev).mul(100).toDecimalPlaces(1).toNumber(),
      },
      forecast: forecast.organisation.months.map((m) => ({ month: m.month, expectedUsd: m.expectedUsd, p10Usd: m.p10Usd, p90Usd: m.p90Usd })),
      budgets: budgets.data.map((b) => ({ name: b.name, monthToDateUsd: b.monthToDateUsd, monthlyLimitUsd: b.monthlyLimitUsd, usedPercent: b.usedPercent })),
      changes: diffPlans(prevPlan, plan),
      topActions: topActions(plan, 3),
      plan,
    }) as Record<string, any>;
    const markdown = renderMarkdown(data);
    const created = await this.repo.insert(orgId, period, data, markdown);
    if (!created) return null;
    await this.notify(orgId, created.id, period, data);
    return created;
  }

  /** Records the digest's webhooks (idempotent per digest), then marks it notified. */
  private async notify(orgId: string, id: string, period: string, data: Record<string, any>): Promise<void> {
    await this.webhooks.emit(orgId, 'digest.created', `digest-${id}`, { digestId: id, period, summary: { spend: data.spend, topActions: data.topActions } });
    await this.repo.markNotified(orgId, id);
  }

  async get(orgId: string, id: string) {
    const d = await this.repo.find(orgId, id);
    if (!d) throw new NotFoundError(`Digest ${id} not found`);
    return d;
  }

  list(orgId: string, limit: number) {
    return this.repo.list(orgId, limit);
  }
}

function renderMarkdown(d: Record<string, any>): string {
  const lines = [`# Migration-readiness digest — ${d.period}`, ''];
  if (!d.dataFreshness.complete) lines.push(`> Usage of ${d.dataFreshness.pendingRollupHours} hour(s) was still being rolled up: figures may be low.`, '');
  lines.push(`**Spend, last 7 days:** ${usd(d.spend.thisPeriodUsd)} (previous 7 days ${usd(d.spend.lastPeriodUsd)}${d.spend.changePercent === null ? '' : `, ${d.spend.changePercent > 0 ? '+' : ''}${d.spend.changePercent}%`})`, '');
  if (d.forecast.length) {
    lines.push('## Forecast', '', '| month | expected | p10 – p90 |', '|---|---:|---:|');
    for (const m of d.forecast) lines.push(`| ${m.month} | ${usd(m.expectedUsd)} | ${usd(m.p10Usd)} – ${usd(m.p90Usd)} |`);
    lines.push('');
  }
  if (d.budgets.length) {
    lines.push('## Budgets', '', '| budget | month to date | limit | used |', '|---|---:|---:|---:|');
    for (const b of d.budgets) lines.push(`| ${b.name} | ${usd(b.monthToDateUsd)} | ${usd(b.monthlyLimitUsd)} | ${b.usedPercent}% |`);
    lines.push('');
  }
  lines.push('## Top actions', '');
  if (!d.topActions.length) lines.push('Nothing to do this week: every workload is best where it is.');
  d.topActions.forEach((a: any, i: number) => lines.push(`${i + 1}. **${a.workload}** — ${a.action} (saves ${usd(a.monthlySavingsUsd)}/month)`));
  lines.push('', '## What changed in the plan', '');
  const c = d.changes;
  const changes = [
    ...c.recommendationChanges.map((x: any) => `- ${x.workload}: ${x.from ?? 'new'} → ${x.to}`),
    ...c.gatesNewlyPassed.map((x: any) => `- ${x.workload}: gate "${x.gate}" now passes (${x.detail})`),
    ...c.newCandidates.map((x: any) => `- ${x.workload}: new candidate ${x.modelId} (${x.kind})`),
  ];
  lines.push(...(changes.length ? changes : ['No change since the last digest.']));
  lines.push('', '## Roadmap', '', '| workload | recommendation | savings / month | break-even (months) |', '|---|---|---:|---:|');
  for (const w of d.plan.workloads) lines.push(`| ${w.workload} | ${w.recommendation} | ${usd(w.monthlySavingsUsd)} | ${w.breakEvenMonths ?? '—'} |`);
  return lines.join('\n') + '\n';
}

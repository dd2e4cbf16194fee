import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InvalidError, NotFoundError } from '../common/errors.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { checkDigestCron } from './cron-check.js';
import { toJson } from '../common/json.js';
import { AnomaliesService, validBefore } from '../anomalies/anomalies.service.js';
import { BudgetsService } from '../budgets/budgets.service.js';
import { buildDigest, dashboardBase, digestSlackMessage, digestTitle, isDigestView, renderDigestMarkdown, type DigestBudgetInput, type DigestView } from '../domain/digest/index.js';
import type { OrganisationPlan } from '../domain/planner/index.js';
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

export const DIGEST_FORMATS = ['json', 'markdown', 'slack'] as const;
export type DigestFormat = (typeof DIGEST_FORMATS)[number];

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
    private readonly anomalies: AnomaliesService,
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
      if (!built.notifiedAt) await this.notify(orgId, built.id, period, built.data as Record<string, unknown>);
      return null;
    }
    // Usage sent just before the digest is in it: its hours are rolled up first.
    const dataFreshness = await this.metering.freshen(orgId, undefined, now);
    const previous = await this.repo.latest(orgId);
    const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
    const twoWeeksAgo = new Date(now.getTime() - 14 * DAY_MS);
    const [thisPeriod, lastPeriod, forecast, budgets, planned, plannerSettings, timezone, anomalies] = await Promise.all([
      this.reports.totals(orgId, { from: weekAgo, to: now, filters: {} }),
      this.reports.totals(orgId, { from: twoWeeksAgo, to: weekAgo, filters: {} }),
      this.economics.forecast(orgId, 3),
      this.budgets.list(orgId, now),
      this.planner.plan(orgId, true),
      this.planner.getSettings(orgId),
      this.orgs.timezone(orgId),
      // The UTC days of the 7 days the digest covers, today included: a partial-day anomaly is news.
      this.anomalies.between(orgId, new Date(Math.floor(weekAgo.getTime() / DAY_MS) * DAY_MS), new Date((Math.floor(now.getTime() / DAY_MS) + 1) * DAY_MS)),
    ]);
    const plan = planned.plan as OrganisationPlan;
    const prevPlan = (previous?.data as { plan?: OrganisationPlan } | undefined)?.plan ?? null;
    const view = buildDigest({
      period,
      title: digestTitle(period, timezone),
      generatedAt: now,
      dashboardUrl: dashboardBase(this.config.http.publicUrl),
      dataFreshness: dataFreshness as unknown as DigestView['dataFreshness'],
      spend: { thisPeriodUsd: thisPeriod.costUsd ?? 0, lastPeriodUsd: lastPeriod.costUsd ?? 0 },
      forecast: forecast.organisation.months.map((m) => ({ month: m.month, expectedUsd: m.expectedUsd, p10Usd: m.p10Usd, p90Usd: m.p90Usd })),
      plan,
      previousPlan: prevPlan,
      evaluationSampleSize: Number((plannerSettings.values as { minEvaluationSampleSize?: unknown }).minEvaluationSampleSize),
      anomalies: anomalies.map((a) => ({
        day: a.day,
        scopeKind: a.scope.kind,
        scopeValue: a.scope.value,
        direction: a.direction,
        observedUsd: a.observedUsd,
        expectedUsd: a.expectedUsd,
        lowerUsd: a.lowerUsd,
        upperUsd: a.upperUsd,
        partialDay: a.partialDay,
        url: a.dashboardUrl,
      })),
      budgets: budgets.data.map((b) => budgetInput(b as unknown as Record<string, unknown>)),
    });
    // The plan is stored with the view: the next digest diffs against it.
    const data = toJson({ ...view, plan }) as Record<string, unknown>;
    const created = await this.repo.insert(orgId, period, view.title, data, renderDigestMarkdown(view));
    if (!created) return null;
    await this.notify(orgId, created.id, period, data);
    return created;
  }

  /**
   * Records the digest's webhooks (idempotent per digest), then marks it notified. The payload is the digest's
   * view without the plan (bounded: top actions, at most MAX_CHANGES changes, ...) plus the older `summary`.
   */
  private async notify(orgId: string, id: string, period: string, data: Record<string, unknown>): Promise<void> {
    const { plan: _plan, ...view } = data && typeof data === 'object' && !Array.isArray(data) ? data : {};
    await this.webhooks.emit(orgId, 'digest.created', `digest-${id}`, { digestId: id, ...view, period, summary: { spend: view.spend, topActions: view.topActions } });
    await this.repo.markNotified(orgId, id);
  }

  /** A digest in one format: json (the stored view and plan), markdown, or slack (the incoming-webhook message). */
  async render(orgId: string, id: string, format: DigestFormat) {
    const d = await this.get(orgId, id);
    if (format === 'markdown') return d.markdown;
    const title = d.title ?? d.period;
    if (format === 'slack') {
      // A digest built before the view existed (no actions, changes... to render) gets its title alone.
      return isDigestView(d.data) ? digestSlackMessage(d.data) : { text: title, blocks: [{ type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } }] };
    }
    return { id: d.id, period: d.period, createdAt: d.createdAt.toISOString(), ...(d.data as object), title };
  }

  async get(orgId: string, id: string) {
    const d = await this.repo.find(orgId, id);
    if (!d) throw new NotFoundError(`Digest ${id} not found`);
    return d;
  }

  /** Digests newest first, cursor-paginated by (createdAt, id). */
  async list(orgId: string, limit: number, cursor?: string): Promise<Page<{ id: string; period: string; title: string; createdAt: string }>> {
    const before = validBefore(decodeCursor<{ at: string; id: string }>(cursor));
    const rows = await this.repo.list(orgId, limit + 1, before ? { createdAt: new Date(before.at), id: before.id } : undefined);
    return toPage(
      rows.map((d) => ({ id: d.id, period: d.period, title: d.title ?? d.period, createdAt: d.createdAt.toISOString() })),
      limit,
      (last) => ({ at: last.createdAt, id: last.id }),
    );
  }
}

/** A budget of the budgets' list as the digest reads it: month budgets (monthToDateUsd, monthlyLimitUsd) or any window (spentUsd, limitUsd). */
function budgetInput(b: Record<string, unknown>): DigestBudgetInput {
  return {
    name: String(b.name ?? ''),
    window: typeof b.window === 'string' ? b.window : 'month',
    spentUsd: b.spentUsd ?? b.monthToDateUsd,
    limitUsd: b.limitUsd ?? b.monthlyLimitUsd,
    hard: b.hard === true,
  };
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { withTimeout } from '../common/async.js';
import { InvalidError } from '../common/errors.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { baselineFor, checkDay, DEFAULT_MINIMUM_USD, HISTORY_WEEKS, type Baseline, type DailySpend } from '../domain/anomaly/anomaly.js';
import { dashboardBase } from '../domain/digest/format.js';
import { workloadUrl } from '../domain/digest/model.js';
import { Money, usdString } from '../domain/money.js';
import { DAY_MS } from '../domain/time.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { MeteringService } from '../metering/metering.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { AnomaliesRepository, raisedKey, type AnomalyRow, type ContributorDay, type Direction, type ScopeDay, type ScopeKind } from './anomalies.repository.js';

/** An org is checked at most twice per window after rollups: once SETTLE_MS after its first rollup in the window, once at the window's end. */
export const CHECK_WINDOW_MS = 10 * 60_000;
/** Wait after a rollup before checking, so the other hours of the same ingest batch are rolled up too (ms). */
export const SETTLE_MS = 3_000;
/** Complete days before today re-checked at every pass (late events, the daily pass for yesterday), beside today itself. */
export const RECHECK_DAYS = 7;
/** Contributors listed per kind (models, customers, workloads), the largest moves first. */
export const TOP_CONTRIBUTORS = 5;
/** Hours a check rolls up itself first (a large backfill is left to the workers: the next check sees it). */
const CATCH_UP_HOURS = 200;
/** Anomalies emitted per pass at most (a first pass over a noisy org stays bounded; the rest go at the next pass). */
const EMIT_PER_PASS = 100;
const ENQUEUE_TIMEOUT_MS = 1_000;

export interface Contributor {
  costUsd: string;
  /** The contributor's own baseline for the day (USD), null without 14 days of its history. */
  expectedUsd: string | null;
}

export interface TopContributors {
  models: (Contributor & { model: string })[];
  customers: (Contributor & { customer: string })[];
  workloads: (Contributor & { workload: string })[];
}

/** The `spend.anomaly` webhook payload (D renders it for Slack: names are a contract). */
export interface AnomalyPayload {
  anomalyId: string;
  day: string;
  scope: { kind: ScopeKind; value: string };
  direction: Direction;
  partialDay: boolean;
  observedUsd: string;
  expectedUsd: string;
  lowerUsd: string;
  upperUsd: string;
  minimumUsd: string;
  topContributors: TopContributors;
  dashboardUrl: string;
}

/** An anomaly as the API lists it: the payload plus `id` (= anomalyId), the baseline figures and createdAt. */
export type AnomalyView = AnomalyPayload & { id: string; baseline: Record<string, unknown> | null; createdAt: string };

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayStart = (d: Date) => Math.floor(d.getTime() / DAY_MS) * DAY_MS;

/**
 * Spend anomalies of every workload, customer and provider (src/domain/anomaly: median/MAD x weekday baseline,
 * widened by the forecast band, $50 minimum move). Checked after rollups (at most twice per CHECK_WINDOW_MS per
 * org) and nightly for yesterday's complete day; each pass reads the daily rollups of today and the
 * RECHECK_DAYS days before it with 8 weeks of history each. An anomaly is recorded once per (org, day, scope)
 * and its webhook emitted, then marked notified; a crash between the two emits it again at the next pass, under
 * the same message id, so receivers see it once.
 */
@Injectable()
export class AnomaliesService {
  private readonly logger = new Logger(AnomaliesService.name);
  private readonly publicUrl: string;
  private readonly quietMs: number;

  constructor(
    private readonly repo: AnomaliesRepository,
    private readonly metering: MeteringService,
    private readonly webhooks: WebhooksService,
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.publicUrl = config.http.publicUrl;
    this.quietMs = config.anomalies.quietSeconds * 1000;
    metering.onHourRolledUp(async (orgId) => {
      await this.scheduleCheck(orgId);
      return 0;
    });
  }

  /**
   * After a rollup: one check SETTLE_MS from now and one at the end of the current CHECK_WINDOW_MS window, both
   * with deterministic job ids (kept while the window lasts), so any number of rollups in a window costs two
   * checks and the last rollup of a burst is always checked. Never fails the rollup: the nightly pass is the
   * backstop when Redis is away.
   */
  async scheduleCheck(orgId: string, now = Date.now()): Promise<void> {
    const slot = Math.floor(now / CHECK_WINDOW_MS);
    const keep = { age: Math.ceil((2 * CHECK_WINDOW_MS) / 1000) };
    const jobs = [
      { name: 'detect' as const, data: { orgId }, opts: { jobId: `anomalies-${orgId}-${slot}-a`, delay: SETTLE_MS, removeOnComplete: keep, removeOnFail: keep } },
      { name: 'detect' as const, data: { orgId }, opts: { jobId: `anomalies-${orgId}-${slot}-b`, delay: (slot + 1) * CHECK_WINDOW_MS - now + SETTLE_MS, removeOnComplete: keep, removeOnFail: keep } },
    ];
    await withTimeout(this.queues.queue('anomalies').addBulk(jobs), ENQUEUE_TIMEOUT_MS).catch((err) => this.logger.warn(`anomaly check of ${orgId} not scheduled: ${(err as Error).message}`));
  }

  /**
   * Checks today (partial) and the RECHECK_DAYS complete days before it for every scope of the org; records new
   * anomalies and emits every one not yet notified. Returns how many were recorded now. Idempotent.
   *
   * A day is judged only once it and its 8 weeks of history are settled: no hour of them rolled up in the last
   * ANOMALY_QUIET_SECONDS. While a backfill or a late batch is arriving, days not yet posted would look like drops
   * (and an anomaly is recorded for good); those days are left to a re-check scheduled for when the org has been
   * quiet that long. `settled: true` is for a caller that knows its usage is all in (the demo, after its ingest).
   */
  async detect(orgId: string, now = new Date(), opts: { settled?: boolean } = {}): Promise<number> {
    await this.metering.catchUp(orgId, CATCH_UP_HOURS);
    const today = dayStart(now);
    const firstChecked = today - RECHECK_DAYS * DAY_MS;
    const historyFrom = new Date(firstChecked - HISTORY_WEEKS * 7 * DAY_MS);
    const recent = opts.settled || this.quietMs === 0 ? [] : await this.repo.recomputedDays(orgId, historyFrom, new Date(today + DAY_MS), new Date(now.getTime() - this.quietMs));
    // Today (partial) is judged on its history only: its own hours change all day.
    const unsettled = (d: number, partial: boolean) => recent.some((r) => r.day >= d - HISTORY_WEEKS * 7 * DAY_MS && (partial ? r.day < d : r.day <= d));
    let deferred = false;
    const rows = await this.repo.dailySpend(orgId, historyFrom, new Date(today + DAY_MS));
    const raised = await this.repo.raisedKeys(orgId, isoDay(firstChecked), isoDay(today));
    let created = 0;
    for (const [key, series] of groupByScope(rows)) {
      const [kind, value] = key;
      const byDay = new Map(series.map((r) => [r.date, r.costUsd]));
      for (let d = firstChecked; d <= today; d += DAY_MS) {
        const day = isoDay(d);
        if (raised.has(raisedKey(kind, value, day))) continue;
        const partialDay = d === today;
        if (unsettled(d, partialDay)) {
          deferred = true;
          continue;
        }
        const check = checkDay(series, day, byDay.get(day) ?? '0', partialDay);
        if (check.verdict !== 'anomaly') continue;
        const observed = new Money(byDay.get(day) ?? '0');
        const topContributors = await this.topContributors(orgId, kind, value, d, check.direction);
        const isNew = await this.repo.record(orgId, {
          day,
          scopeKind: kind,
          scopeValue: value,
          observedUsd: observed.toFixed(),
          expectedUsd: check.baseline.expected.toDecimalPlaces(12).toFixed(),
          lowerUsd: check.baseline.lower.toDecimalPlaces(12).toFixed(),
          upperUsd: check.baseline.upper.toDecimalPlaces(12).toFixed(),
          direction: check.direction,
          partialDay,
          details: { minimumUsd: check.minimumUsd.toFixed(), baseline: baselineDetails(check.baseline), topContributors },
        });
        if (isNew) created++;
      }
    }
    if (deferred) await this.scheduleRecheck(orgId, Math.max(...recent.map((r) => r.last.getTime())), now.getTime());
    await this.notifyPending(orgId);
    return created;
  }

  /** One check once the org has been quiet for ANOMALY_QUIET_SECONDS after its latest rollup `last` (ms); one job per such moment. */
  private async scheduleRecheck(orgId: string, last: number, now: number): Promise<void> {
    const at = last + this.quietMs + SETTLE_MS;
    const keep = { age: Math.ceil((2 * CHECK_WINDOW_MS) / 1000) };
    await withTimeout(
      this.queues.queue('anomalies').add('detect', { orgId }, { jobId: `anomalies-${orgId}-settled-${at}`, delay: Math.max(0, at - now), removeOnComplete: keep, removeOnFail: keep }),
      ENQUEUE_TIMEOUT_MS,
    ).catch((err) => this.logger.warn(`anomaly re-check of ${orgId} not scheduled: ${(err as Error).message}`));
  }

  /** Emits `spend.anomaly` for every recorded anomaly not yet notified, then marks it (emit is idempotent per message id). */
  private async notifyPending(orgId: string): Promise<void> {
    for (const row of await this.repo.unnotified(orgId, EMIT_PER_PASS)) {
      await this.webhooks.emit(orgId, 'spend.anomaly', `anomaly-${row.id}`, this.payload(row));
      await this.repo.markNotified(orgId, row.id);
    }
  }

  /** Models, customers and workloads behind the scope's spend on day `d` (ms), with their own expected spend. */
  private async topContributors(orgId: string, kind: ScopeKind, value: string, d: number, direction: Direction): Promise<TopContributors> {
    const from = new Date(d - HISTORY_WEEKS * 7 * DAY_MS);
    const rows = await this.repo.contributors(orgId, kind, value, from, new Date(d + DAY_MS), new Date(d));
    const day = isoDay(d);
    const ranked = (dim: ContributorDay['dim']) => {
      const series = new Map<string, DailySpend[]>();
      for (const r of rows) if (r.dim === dim) series.set(r.value, [...(series.get(r.value) ?? []), { date: r.day, costUsd: r.costUsd }]);
      return [...series]
        .map(([name, s]) => {
          const cost = new Money(s.find((x) => x.date === day)?.costUsd ?? 0);
          const expected = baselineFor(s, day)?.expected ?? null;
          return { name, cost, expected, move: cost.minus(expected ?? 0) };
        })
        .filter((c) => !c.cost.isZero() || (c.expected !== null && !c.expected.isZero()))
        .sort((a, b) => (direction === 'above' ? b.move.comparedTo(a.move) : a.move.comparedTo(b.move)) || a.name.localeCompare(b.name))
        .slice(0, TOP_CONTRIBUTORS)
        .map((c) => ({ name: c.name, costUsd: usdString(c.cost, 2), expectedUsd: c.expected === null ? null : usdString(c.expected, 2) }));
    };
    return {
      models: ranked('model').map(({ name, ...c }) => ({ model: name, ...c })),
      customers: ranked('customer').map(({ name, ...c }) => ({ customer: name, ...c })),
      workloads: ranked('workload').map(({ name, ...c }) => ({ workload: name, ...c })),
    };
  }

  /** Where to look: the workload's page for a workload, else the dashboard overview (mounted at /app). */
  dashboardUrl(kind: ScopeKind, value: string): string {
    const dashboard = dashboardBase(this.publicUrl);
    return kind === 'workload' ? workloadUrl(dashboard, value) : `${dashboard}#/`;
  }

  payload(row: AnomalyRow): AnomalyPayload {
    const details = row.details as { minimumUsd?: string; topContributors?: TopContributors };
    return {
      anomalyId: row.id,
      day: row.day,
      scope: { kind: row.scopeKind, value: row.scopeValue },
      direction: row.direction,
      partialDay: row.partialDay,
      observedUsd: usdString(row.observedUsd, 2),
      expectedUsd: usdString(row.expectedUsd, 2),
      lowerUsd: usdString(row.lowerUsd, 2),
      upperUsd: usdString(row.upperUsd, 2),
      minimumUsd: usdString(details.minimumUsd ?? DEFAULT_MINIMUM_USD, 2),
      topContributors: details.topContributors ?? { models: [], customers: [], workloads: [] },
      dashboardUrl: this.dashboardUrl(row.scopeKind, row.scopeValue),
    };
  }

  view(row: AnomalyRow): AnomalyView {
    const details = row.details as { baseline?: Record<string, unknown> };
    return { id: row.id, ...this.payload(row), baseline: details.baseline ?? null, createdAt: row.createdAt.toISOString() };
  }

  /** Anomalies of days in [from, to) (UTC), newest first (for the digest; at most 500). */
  async between(orgId: string, from: Date, to: Date): Promise<AnomalyView[]> {
    return (await this.repo.list(orgId, { limit: 500, dayFrom: from, dayTo: to })).map((r) => this.view(r));
  }

  /** Anomalies newest first (by createdAt), cursor-paginated; from/to bound the checked day. */
  async list(orgId: string, q: { from?: Date; to?: Date; scopeKind?: ScopeKind; limit: number; cursor?: string }): Promise<Page<AnomalyView>> {
    const before = decodeCursor<{ at: string; id: string }>(q.cursor);
    const rows = await this.repo.list(orgId, { limit: q.limit + 1, before: validBefore(before), dayFrom: q.from, dayTo: q.to, scopeKind: q.scopeKind });
    return toPage(
      rows.map((r) => this.view(r)),
      q.limit,
      (last) => ({ at: last.createdAt, id: last.id }),
    );
  }

  /** Anomalies created in [createdFrom, createdTo), newest first, after `before` (for the merged alerts list). */
  async createdBetween(orgId: string, q: { createdFrom?: Date; createdTo?: Date; before?: { at: string; id: string }; limit: number }): Promise<AnomalyView[]> {
    return (await this.repo.list(orgId, q)).map((r) => this.view(r));
  }
}

/** A cursor's (at, id), or a 400 when the id is no uuid (PostgreSQL would refuse it). */
export function validBefore(before: { at?: unknown; id?: unknown } | undefined): { at: string; id: string } | undefined {
  if (!before) return undefined;
  if (typeof before.at !== 'string' || typeof before.id !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(before.id)) {
    throw new InvalidError('Invalid request: cursor', [{ field: 'cursor', message: 'is not a cursor returned by this API' }]);
  }
  return { at: before.at, id: before.id };
}

function groupByScope(rows: ScopeDay[]): Map<[ScopeKind, string], DailySpend[]> {
  const byKey = new Map<string, { key: [ScopeKind, string]; series: DailySpend[] }>();
  for (const r of rows) {
    const k = `${r.kind}\u0000${r.value}`;
    let e = byKey.get(k);
    if (!e) byKey.set(k, (e = { key: [r.kind, r.value], series: [] }));
    e.series.push({ date: r.day, costUsd: r.costUsd });
  }
  return new Map([...byKey.values()].map((e) => [e.key, e.series]));
}

function baselineDetails(b: Baseline): Record<string, unknown> {
  const usd = (x: Money) => usdString(x, 2);
  return {
    method: 'median/MAD of the deseasonalised last 8 weeks x weekday factor, k 4, floor 10% of expected; widened to the forecast p10/p90 band',
    historyDays: b.historyDays,
    levelUsd: usd(b.level),
    madUsd: usd(b.mad),
    weekdayFactor: b.weekdayFactor.toDecimalPlaces(4).toNumber(),
    robust: { lowerUsd: usd(b.robust.lower), upperUsd: usd(b.robust.upper) },
    forecast: { expectedUsd: usd(b.forecast.expected), lowerUsd: usd(b.forecast.lower), upperUsd: usd(b.forecast.upper), method: b.forecast.method },
  };
}

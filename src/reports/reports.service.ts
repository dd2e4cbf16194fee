import { csvLine } from '../common/csv.js';
import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { CsvExports } from '../common/csv-exports.js';
import { isValidTimeZone } from '../common/formats.js';
import { InvalidError } from '../common/errors.js';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import { Money } from '../domain/money.js';
import { LATENCY_BUCKETS_MS, mergeHistograms, percentileFromHistogram } from '../domain/latency.js';
import { DAY_MS, HOUR_MS } from '../domain/time.js';
import { ATTRIBUTION_CAP, OTHER_VALUE, type AttributionDim } from '../metering/attribution.js';
import {
  ATTRIBUTION_COMPATIBLE,
  ATTRIBUTION_KEYS,
  ATTRIBUTION_METRICS,
  AttributionReportsRepository,
  DIM_OF,
  GROUP_KEYS,
  ReportsRepository,
  type AttributionFilterKey,
  type AttributionKey,
  type AttributionQuery,
  type AttributionSpendQuery,
  type GroupKey,
  type SpendQuery,
} from './reports.repository.js';
import { changePercent, sharePercent, unitCosts } from './unit-economics.js';

type Window = Pick<SpendQuery, 'from' | 'to' | 'filters'>;
import type { CustomersReportQueryDto, ReportWindowDto, SpendReportQueryDto, UnitEconomicsQueryDto } from './reports.dto.js';

const NUMERIC_FIELDS = ['requests', 'errors', 'inputTokens', 'outputTokens', 'cachedInputTokens', 'cacheWriteTokens', 'reasoningTokens', 'unpricedRequests', 'unpricedTokens'];

/** Token counts go out as JSON numbers (exact below 2^53); money stays a decimal string. */
function shapeMetrics(r: Record<string, unknown>) {
  const out: Record<string, unknown> = { ...r, costUsd: r.costUsd === null || r.costUsd === undefined ? '0' : String(r.costUsd) };
  for (const k of NUMERIC_FIELDS) out[k] = r[k] === null || r[k] === undefined ? 0 : Number(r[k]);
  return out;
}

export function windowOf(q: { from?: string; to?: string }, defaultDays = 30): { from: Date; to: Date } {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - defaultDays * DAY_MS);
  if (!(from < to)) throw new InvalidError('Invalid request: from', [{ field: 'from', message: 'must be before to' }]);
  return { from, to };
}

function filtersOf(q: ReportWindowDto): Partial<Record<GroupKey, string>> {
  const f: Partial<Record<GroupKey, string>> = {};
  for (const k of GROUP_KEYS) if (q[k] !== undefined) f[k] = q[k];
  return f;
}

/**
 * CSV exports stream from a cursor, each holding one pooled connection while the client reads: at most
 * two per process and one per org, so exports can never take the pool from ingest and reports (pool
 * default 10). A refused export is told to retry (429 + Retry-After), never queued.
 */

function spendQueryOf(q: SpendReportQueryDto) {
  const { from, to } = windowOf(q);
  const tz = q.tz ?? 'UTC';
  if (!isValidTimeZone(tz)) throw new InvalidError('Invalid request: tz', [{ field: 'tz', message: 'must be an IANA time zone such as Europe/Paris' }]);
  // Only called once attributionOf found no attribution key, so every group is a main-rollup key.
  const groupBy = (q.groupBy ?? []).filter((k): k is GroupKey => !isAttributionKey(k));
  return { from, to, tz, granularity: q.granularity ?? 'day', groupBy, filters: filtersOf(q), costBasis: q.costBasis ?? 'computed' };
}

/** What every answer read from the attribution rollups says about their cap (src/metering/attribution.ts). */
export const ATTRIBUTION_NOTE = {
  cap: ATTRIBUTION_CAP,
  otherValue: OTHER_VALUE,
  note: `At most ${ATTRIBUTION_CAP} values of each of customer, endUser and tag are kept per organisation, hour and UTC day (the costliest); the rest are summed into ${OTHER_VALUE}, which appears as a value like any other`,
} as const;

/** What the rows and totals of an attribution spend report cover. */
const SCOPE_OF: Record<AttributionKey, string> = {
  customer: 'events that named a customer',
  endUser: 'events that named an end user',
  tag: 'events with tags (an event counts once under each of its tags)',
};

/** Main-rollup dimensions the attribution rollups do not carry. */
const NOT_ATTRIBUTED = GROUP_KEYS.filter((k) => !(ATTRIBUTION_COMPATIBLE as readonly string[]).includes(k));
const isAttributionKey = (k: string): k is AttributionKey => (ATTRIBUTION_KEYS as readonly string[]).includes(k);

/**
 * The attribution dimension a spend query uses (as a group or a filter), or null for the main rollups. One per
 * report (each dim is rolled up on its own), never with a dimension the attribution rollups do not carry: a 400
 * naming the field otherwise.
 */
function attributionOf(q: SpendReportQueryDto): { key: AttributionKey; value?: string; grouped: boolean } | null {
  const grouped = (q.groupBy ?? []).filter(isAttributionKey);
  const filtered = ATTRIBUTION_KEYS.filter((k) => q[k] !== undefined);
  const keys = [...new Set([...grouped, ...filtered])];
  if (!keys.length) return null;
  if (keys.length > 1) {
    const field = filtered.find((k) => k !== keys[0]) ?? 'groupBy';
    throw new InvalidError(`Invalid request: ${field}`, [{ field, message: `a report reads one of customer, endUser and tag at a time (got ${keys.join(' and ')}): each is rolled up on its own` }]);
  }
  const key = keys[0];
  for (const k of NOT_ATTRIBUTED) {
    const field = q.groupBy?.includes(k) ? 'groupBy' : q[k] !== undefined ? k : null;
    if (field) {
      throw new InvalidError(`Invalid request: ${field}`, [
        { field, message: `${k} cannot be combined with ${key}: ${key} reports read the attribution rollups, which keep only project, workload and provider` },
      ]);
    }
  }
  return { key, value: q[key], grouped: grouped.length > 0 };
}

function attributionFiltersOf(q: { project?: string; workload?: string; provider?: string }): Partial<Record<AttributionFilterKey, string>> {
  const f: Partial<Record<AttributionFilterKey, string>> = {};
  for (const k of ATTRIBUTION_COMPATIBLE) if (q[k] !== undefined) f[k] = q[k];
  return f;
}

/** Attribution rows: money a decimal string, counts JSON numbers, and only the metrics the rollups hold. */
function shapeAttributed(r: Record<string, unknown>) {
  return { ...r, costUsd: String(r.costUsd ?? '0'), requests: Number(r.requests ?? 0), inputTokens: Number(r.inputTokens ?? 0), outputTokens: Number(r.outputTokens ?? 0) };
}

function attributionSpendQueryOf(q: SpendReportQueryDto, a: NonNullable<ReturnType<typeof attributionOf>>): AttributionSpendQuery {
  const { from, to, tz, granularity, costBasis } = spendQueryOf(q);
  const groupBy = (q.groupBy ?? []).filter((k): k is AttributionFilterKey => (ATTRIBUTION_COMPATIBLE as readonly string[]).includes(k));
  return { from, to, tz, granularity, costBasis, dim: DIM_OF[a.key], value: a.value, filters: attributionFiltersOf(q), groupBy, groupByKey: a.grouped ? a.key : undefined };
}

/** A calendar month (YYYY-MM, default the current UTC one) as read so far, and the same stretch of the month before. */
function monthWindows(month: string | undefined, now: Date) {
  const [y, m] = (month ?? now.toISOString().slice(0, 7)).split('-').map(Number);
  const start = new Date(Date.UTC(y, m - 1, 1));
  const end = new Date(Date.UTC(y, m, 1));
  const upTo = now < end ? (now > start ? now : start) : end;
  const prevStart = new Date(Date.UTC(y, m - 2, 1));
  const prevUpTo = new Date(Math.min(prevStart.getTime() + (upTo.getTime() - start.getTime()), start.getTime()));
  return { start, end, upTo, prevStart, prevUpTo };
}

/** [from, to) widened to whole hours (the attribution rollups' finest period). */
function outwardHours(from: Date, to: Date): { from: Date; to: Date } {
  return { from: new Date(Math.floor(from.getTime() / HOUR_MS) * HOUR_MS), to: new Date(Math.ceil(to.getTime() / HOUR_MS) * HOUR_MS) };
}

/** The scope of attributedSpendFor / attributedBy: filters the attribution rollups carry. */
export interface AttributionScope {
  project?: string;
  workload?: string;
  provider?: string;
}

@Injectable()
export class ReportsService {

  constructor(
    private readonly repo: ReportsRepository,
    private readonly attribution: AttributionReportsRepository,
    private readonly csvExports: CsvExports,
  ) {}

  async spend(orgId: string, q: SpendReportQueryDto) {
    const a = attributionOf(q);
    if (a) return this.attributedSpend(orgId, q, a);
    const { from, to, tz, granularity, groupBy, filters, costBasis } = spendQueryOf(q);
    const limit = q.limit ?? 500;
    const offset = decodeCursor<{ o: number }>(q.cursor)?.o ?? 0;
    const [rows, totals] = await Promise.all([
      this.repo.spend(orgId, { from, to, granularity, groupBy, filters, tz, limit: limit + 1, offset, costBasis }),
      this.repo.totals(orgId, { from, to, filters, costBasis }),
    ]);
    return {
      currency: 'USD',
      costBasis,
      from: from.toISOString(),
      to: to.toISOString(),
      granularity,
      tz,
      groupBy,
      rows: rows.slice(0, limit).map((r) => shapeMetrics({ ...r, period: (r.period as Date).toISOString() })),
      totals: shapeMetrics(totals),
      nextCursor: rows.length > limit ? encodeCursor({ o: offset + limit }) : null,
    };
  }

  /**
   * Every row of the spend report as CSV, streamed: memory holds one batch whatever the size, and a client
   * that reads slowly slows the cursor instead of growing a buffer. Validation and the export slot are
   * settled before the first byte, so a refusal is still a clean 4xx. A failure mid-stream ends the
   * response early (the status is already sent) and is logged.
   */
  spendCsv(orgId: string, q: SpendReportQueryDto): Readable {
    const a = attributionOf(q);
    if (a) return this.attributedSpendCsv(orgId, q, a);
    const query = spendQueryOf(q);
    const release = this.csvExports.claim(orgId);
    const columns = ['period', ...query.groupBy, 'costUsd', ...NUMERIC_FIELDS];
    return this.csvExports.stream(orgId, 'spend CSV export', release, async (write) => {
      await write(csvLine(columns, null));
      await this.repo.spendInBatches(orgId, query, (rows) => write(rows.map((r) => csvLine(columns, shapeMetrics({ ...r, period: (r.period as Date).toISOString() }))).join('')));
    });
  }

  /** The spend report on the attribution rollups: rows per period x the attribution key (and project, workload, provider). */
  private async attributedSpend(orgId: string, q: SpendReportQueryDto, a: NonNullable<ReturnType<typeof attributionOf>>) {
    const query = attributionSpendQueryOf(q, a);
    const limit = q.limit ?? 500;
    const offset = decodeCursor<{ o: number }>(q.cursor)?.o ?? 0;
    const [rows, totals] = await Promise.all([this.attribution.spend(orgId, query, limit + 1, offset), this.attribution.totals(orgId, query, query.costBasis)]);
    return {
      currency: 'USD',
      costBasis: query.costBasis,
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      granularity: query.granularity,
      tz: query.tz,
      groupBy: q.groupBy ?? [],
      source: 'attribution',
      metrics: ATTRIBUTION_METRICS,
      attribution: { dimension: a.key, scope: SCOPE_OF[a.key], ...ATTRIBUTION_NOTE },
      rows: rows.slice(0, limit).map((r) => shapeAttributed({ ...r, period: (r.period as Date).toISOString() })),
      totals: shapeAttributed(totals),
      nextCursor: rows.length > limit ? encodeCursor({ o: offset + limit }) : null,
    };
  }

  private attributedSpendCsv(orgId: string, q: SpendReportQueryDto, a: NonNullable<ReturnType<typeof attributionOf>>): Readable {
    const query = attributionSpendQueryOf(q, a);
    const release = this.csvExports.claim(orgId);
    const columns = ['period', ...(q.groupBy ?? []), ...ATTRIBUTION_METRICS];
    return this.csvExports.stream(orgId, 'attribution spend CSV export', release, async (write) => {
      await write(csvLine(columns, null));
      await this.attribution.spendInBatches(orgId, query, (rows) => write(rows.map((r) => csvLine(columns, shapeAttributed({ ...r, period: (r.period as Date).toISOString() }))).join('')));
    });
  }

  /**
   * Customers of a month ranked by cost: requests, cost per 1k requests, the change vs the month before (the same
   * stretch of it while the month is in progress), share of the customers' total; totals with the
   * top-10 share and the share of the month's spend that named a customer at all.
   */
  async customers(orgId: string, q: CustomersReportQueryDto, now = new Date(), all = false) {
    const { start, end, upTo, prevStart, prevUpTo: samePart } = monthWindows(q.month, now);
    // A month in progress against the same stretch of the month before; a month over against the whole month before.
    const prevUpTo = upTo.getTime() === end.getTime() ? start : samePart;
    const filters = attributionFiltersOf(q);
    const current: AttributionQuery = { from: start, to: upTo, dim: 'customer', filters };
    const previous: AttributionQuery = { from: prevStart, to: prevUpTo, dim: 'customer', filters };
    // CSV: every row (a month holds at most ATTRIBUTION_CAP values a day, plus OTHER_VALUE).
    const limit = all ? 1_000_000 : (q.limit ?? 100);
    const offset = all ? 0 : (decodeCursor<{ o: number }>(q.cursor)?.o ?? 0);
    const [rows, totals, month] = await Promise.all([
      this.attribution.ranking(orgId, current, previous, limit + 1, offset),
      this.attribution.rankingTotals(orgId, current, 10),
      this.repo.totals(orgId, { from: start, to: upTo, filters }),
    ]);
    const monthCost = month.costUsd ?? '0';
    return {
      currency: 'USD',
      month: start.toISOString().slice(0, 7),
      from: start.toISOString(),
      asOf: upTo.toISOString(),
      comparedWith: { from: prevStart.toISOString(), to: prevUpTo.toISOString() },
      filters,
      rows: rows.slice(0, limit).map((r) => {
        const requests = Number(r.requests);
        return {
          customer: r.value,
          costUsd: r.costUsd,
          requests,
          costPer1kRequestsUsd: unitCosts({ costUsd: r.costUsd, requests, tokens: 0 }).costPer1kRequestsUsd,
          previousMonthCostUsd: r.previousCostUsd ?? '0',
          changePercent: changePercent(r.costUsd, r.previousCostUsd),
          sharePercent: sharePercent(r.costUsd, totals.costUsd),
        };
      }),
      totals: {
        customers: totals.named,
        costUsd: totals.costUsd,
        requests: Number(totals.requests),
        otherCostUsd: totals.otherCostUsd ?? '0',
        totalCostUsd: monthCost,
        top10SharePercent: sharePercent(totals.topCostUsd, totals.costUsd),
        attributedSharePercent: sharePercent(totals.costUsd, monthCost),
      },
      attribution: {
        ...ATTRIBUTION_NOTE,
        shares: `sharePercent and top10SharePercent are of the customers' total (costUsd); attributedSharePercent is that total as a share of all spend (totalCostUsd); customers counts named customers, not ${OTHER_VALUE}`,
      },
      nextCursor: rows.length > limit ? encodeCursor({ o: offset + limit }) : null,
    };
  }

  /** The customers report as CSV (every row of the month, not one page). */
  async customersCsv(orgId: string, q: CustomersReportQueryDto, now = new Date()): Promise<string> {
    const report = await this.customers(orgId, q, now, true);
    const columns = ['customer', 'costUsd', 'requests', 'costPer1kRequestsUsd', 'previousMonthCostUsd', 'changePercent', 'sharePercent'];
    return csvLine(columns, null) + report.rows.map((r) => csvLine(columns, r)).join('');
  }

  /**
   * Unit economics per workload over time (UTC periods): cost per request, per 1k tokens and per active customer
   * (distinct customer values of the attribution rollups in the period; OTHER_VALUE counts as one).
   */
  async unitEconomics(orgId: string, q: UnitEconomicsQueryDto) {
    const { from, to } = windowOf(q);
    const granularity = q.granularity ?? 'month';
    const limit = q.limit ?? 500;
    const offset = decodeCursor<{ o: number }>(q.cursor)?.o ?? 0;
    const rows = await this.repo.unitEconomics(orgId, { from, to, granularity, filters: attributionFiltersOf(q) }, limit + 1, offset);
    return {
      currency: 'USD',
      from: from.toISOString(),
      to: to.toISOString(),
      granularity,
      tz: 'UTC',
      rows: rows.slice(0, limit).map((r) => {
        const requests = Number(r.requests);
        const tokens = Number(r.inputTokens) + Number(r.outputTokens);
        const u = unitCosts({ costUsd: r.costUsd, requests, tokens, activeCustomers: r.activeCustomers });
        return {
          period: r.period.toISOString(),
          workload: r.workload,
          costUsd: r.costUsd,
          requests,
          tokens,
          activeCustomers: r.activeCustomers,
          costPerRequestUsd: u.costPerRequestUsd,
          costPer1kTokensUsd: u.costPer1kTokensUsd,
          costPerActiveCustomerUsd: u.costPerActiveCustomerUsd,
        };
      }),
      activeCustomers: { ...ATTRIBUTION_NOTE, counts: `distinct customer values per period and workload; ${OTHER_VALUE} counts as one` },
      nextCursor: rows.length > limit ? encodeCursor({ o: offset + limit }) : null,
    };
  }

  async summary(orgId: string, month?: string, now = new Date()) {
    const { start, end, upTo, prevStart, prevUpTo } = monthWindows(month, now);
    const [current, previous, workloads, models, providers] = await Promise.all([
      this.repo.totals(orgId, { from: start, to: end, filters: {} }),
      this.repo.totals(orgId, { from: prevStart, to: prevUpTo, filters: {} }),
      this.repo.by(orgId, 'workload', start, end),
      this.repo.by(orgId, 'model', start, end),
      this.repo.by(orgId, 'provider', start, end),
    ]);
    const total = new Money(current.costUsd ?? 0);
    const prev = new Money(previous.costUsd ?? 0);
    const share = (c: string) => (total.isZero() ? 0 : new Money(c).div(total).mul(100).toDecimalPlaces(2).toNumber());
    return {
      currency: 'USD',
      month: start.toISOString().slice(0, 7),
      asOf: upTo.toISOString(),
      monthToDate: shapeMetrics(current),
      samePeriodLastMonth: { from: prevStart.toISOString(), to: prevUpTo.toISOString(), ...shapeMetrics(previous) },
      changePercent: prev.isZero() ? null : total.minus(prev).div(prev).mul(100).toDecimalPlaces(2).toNumber(),
      topWorkloads: workloads.slice(0, 10).map((w) => ({ workload: w.key, costUsd: w.costUsd ?? '0', sharePercent: share(w.costUsd ?? '0') })),
      topModels: models.slice(0, 10).map((w) => ({ model: w.key, costUsd: w.costUsd ?? '0', sharePercent: share(w.costUsd ?? '0') })),
      providers: providers.map((p) => ({ provider: p.key, costUsd: p.costUsd ?? '0', sharePercent: share(p.costUsd ?? '0') })),
      unpriced: { requests: Number(current.unpricedRequests ?? 0), tokens: Number(current.unpricedTokens ?? 0) },
      unitEconomics: workloads.map((w) => {
        const u = unitCosts({ costUsd: w.costUsd ?? '0', requests: Number(w.requests), tokens: Number(w.inputTokens) + Number(w.outputTokens) });
        return { workload: w.key, costUsd: new Money(w.costUsd ?? 0).toFixed(), costPer1kRequestsUsd: u.costPer1kRequestsUsd, costPer1MTokensUsd: u.costPer1MTokensUsd };
      }),
    };
  }

  async latency(orgId: string, q: ReportWindowDto) {
    const { from, to } = windowOf(q);
    const { totals, buckets } = await this.repo.latency(orgId, { from, to, filters: filtersOf(q) });
    const hist = mergeHistograms(buckets, (b) => `${b.workload}\u0000${b.model}`);
    const edge = (v: number | null) => (v === null ? null : Number.isFinite(v) ? v : `>${LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]}`);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      bucketsMs: LATENCY_BUCKETS_MS,
      note: 'p50/p95 are the upper edge of the histogram bucket that holds them',
      rows: totals.map((t) => {
        const h = hist.get(`${t.workload}\u0000${t.model}`) ?? [];
        return {
          workload: t.workload,
          model: t.model,
          requests: t.requests,
          errorRate: t.requests ? Math.round((t.errors / t.requests) * 1e6) / 1e6 : 0,
          meanMs: t.latencyCount ? Math.round(t.latencySumMs / t.latencyCount) : null,
          p50Ms: edge(percentileFromHistogram(h, 0.5)),
          p95Ms: edge(percentileFromHistogram(h, 0.95)),
        };
      }),
    };
  }

  // What other features build on (budgets, economics, planner, digests): the same queries as the reports.

  /** Spend (USD, decimal string) in a window for a scope. */
  async spendFor(orgId: string, from: Date, to: Date, filters: Partial<Record<GroupKey, string>>): Promise<string> {
    return (await this.repo.totals(orgId, { from, to, filters })).costUsd ?? '0';
  }

  /**
   * Spend (USD, decimal string) of one attribution value (a customer, an end user, a tag as `key=value`) in
   * [from, to), widened to whole hours: whole UTC days from the daily attribution rollups, ragged hours from the
   * hourly ones. A value folded into OTHER_VALUE (beyond the cap) counts only under OTHER_VALUE.
   */
  async attributedSpendFor(orgId: string, from: Date, to: Date, scope: { dim: AttributionDim; value: string } & AttributionScope): Promise<string> {
    const w = outwardHours(from, to);
    return (await this.attribution.totals(orgId, { ...w, dim: scope.dim, value: scope.value, filters: attributionFiltersOf(scope) })).costUsd;
  }

  /** Cost (USD, decimal string) and requests per value of an attribution dim in [from, to) (widened to whole hours), costliest first. */
  async attributedBy(orgId: string, dim: AttributionDim, from: Date, to: Date, filters: AttributionScope = {}): Promise<{ value: string; costUsd: string; requests: number }[]> {
    const rows = await this.attribution.by(orgId, { ...outwardHours(from, to), dim, filters: attributionFiltersOf(filters) });
    return rows.map((r) => ({ value: r.value, costUsd: r.costUsd, requests: Number(r.requests) }));
  }

  totals(orgId: string, w: Window) {
    return this.repo.totals(orgId, w);
  }

  by(orgId: string, key: GroupKey, from: Date, to: Date, filters: Partial<Record<GroupKey, string>> = {}) {
    return this.repo.by(orgId, key, from, to, filters);
  }

  dailyCost(orgId: string, from: Date, to: Date, workload?: string) {
    return this.repo.dailyCost(orgId, from, to, workload);
  }

  hourlyTokens(orgId: string, workload: string, from: Date, to: Date) {
    return this.repo.hourlyTokens(orgId, workload, from, to);
  }

  /** Request and error counts per workload x model, and latency histograms merged per workload. */
  async latencyByWorkload(orgId: string, w: Window) {
    const { totals, buckets } = await this.repo.latency(orgId, w);
    return { totals, histograms: mergeHistograms(buckets, (b) => b.workload) };
  }
}

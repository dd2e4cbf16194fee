import { csvLine } from '../common/csv.js';
import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { CsvExports } from '../common/csv-exports.js';
import { isValidTimeZone } from '../common/formats.js';
import { InvalidError } from '../common/errors.js';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import { Money } from '../domain/money.js';
import { LATENCY_BUCKETS_MS, mergeHistograms, percentileFromHistogram } from '../domain/latency.js';
import { DAY_MS } from '../domain/time.js';
import { GROUP_KEYS, ReportsRepository, type GroupKey, type SpendQuery } from './reports.repository.js';

type Window = Pick<SpendQuery, 'from' | 'to' | 'filters'>;
import type { ReportWindowDto, SpendReportQueryDto } from './reports.dto.js';

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
  return { from, to, tz, granularity: q.granularity ?? 'day', groupBy: q.groupBy ?? [], filters: filtersOf(q), costBasis: q.costBasis ?? 'computed' };
}

@Injectable()
export class ReportsService {

  constructor(
    private readonly repo: ReportsRepository,
    private readonly csvExports: CsvExports,
  ) {}

  async spend(orgId: string, q: SpendReportQueryDto) {
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
    const query = spendQueryOf(q);
    const release = this.csvExports.claim(orgId);
    const columns = ['period', ...query.groupBy, 'costUsd', ...NUMERIC_FIELDS];
    return this.csvExports.stream(orgId, 'spend CSV export', release, async (write) => {
      await write(csvLine(columns, null));
      await this.repo.spendInBatches(orgId, query, (rows) => write(rows.map((r) => csvLine(columns, shapeMetrics({ ...r, period: (r.period as Date).toISOString() }))).join('')));
    });
  }

  async summary(orgId: string, month?: string, now = new Date()) {
    const [y, m] = (month ?? now.toISOString().slice(0, 7)).split('-').map(Number);
    const start = new Date(Date.UTC(y, m - 1, 1));
    const end = new Date(Date.UTC(y, m, 1));
    const upTo = now < end ? (now > start ? now : start) : end;
    const prevStart = new Date(Date.UTC(y, m - 2, 1));
    const prevUpTo = new Date(Math.min(prevStart.getTime() + (upTo.getTime() - start.getTime()), start.getTime()));
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
        const cost = new Money(w.costUsd ?? 0);
        const requests = Number(w.requests);
        const tokens = Number(w.inputTokens) + Number(w.outputTokens);
        return {
          workload: w.key,
          costUsd: cost.toFixed(),
          costPer1kRequestsUsd: requests ? cost.div(requests).mul(1000).toDecimalPlaces(6).toFixed() : null,
          costPer1MTokensUsd: tokens ? cost.div(tokens).mul(1_000_000).toDecimalPlaces(6).toFixed() : null,
        };
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

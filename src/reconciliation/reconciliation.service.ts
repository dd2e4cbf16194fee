import { Injectable } from '@nestjs/common';
import { API_OFFERS_JSON } from '../catalog/reference-data.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { EventPricer } from '../catalog/event-pricer.js';
import { csvLine } from '../common/csv.js';
import { InvalidError } from '../common/errors.js';
import { readApiOffers } from '../domain/economics/api-offers.js';
import { Money } from '../domain/money.js';
import { selectInForce, selectPrice, type CustomPriceOverride, type DiscountOverride, type PriceOverride } from '../domain/pricing/price.js';
import { classOfCostLine, classRates, tierFactor, type TierDiscount } from '../domain/reconciliation/rates.js';
import { aggregate, CAUSES, reconcileCells, summarize, type Cell, type CellResult, type ReconciliationRow, type TierTokens } from '../domain/reconciliation/reconcile.js';
import { DAY_MS } from '../domain/time.js';
import { MeteringService } from '../metering/metering.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { ConnectorsService } from '../connectors/connectors.service.js';
import { OrgSettingsService } from '../orgs/org-settings.service.js';
import { ReconciliationRepository, type AlertRow, type StoredThresholds } from './reconciliation.repository.js';

export const RECONCILIATION_GROUP_KEYS = ['provider', 'model', 'day', 'project'] as const;
export type ReconciliationGroupKey = (typeof RECONCILIATION_GROUP_KEYS)[number];
/** Longest range one reconciliation reads (days). */
export const MAX_RANGE_DAYS = 92;
/** Hours a reconciliation read rolls up itself before answering (a large backfill is left to the workers and reported). */
const READ_CATCH_UP_HOURS = 48;

/**
 * Drift thresholds when the org set none: a provider-day drifts when |delta| is above 5% of billed and above
 * $1 (small days do not page anyone over cents), or when less than 95% of the billed tokens were metered.
 */
export const DEFAULT_THRESHOLDS = { driftPercent: 5, driftMinUsd: '1', minCoverage: 0.95 } as const;
export interface Thresholds {
  driftPercent: number;
  driftMinUsd: string;
  minCoverage: number;
}

/** Batch / flex discounts of the closed APIs (src/reference/api-offers.json, sourced), used to price a tier mix. */
const TIER_DISCOUNTS: (TierDiscount & { provider: string })[] = readApiOffers(API_OFFERS_JSON).tiers.map((t) => ({
  provider: t.provider,
  tier: t.tier,
  discountFraction: t.discountFraction,
  models: t.models,
  cachedInputDiscounted: t.cachedInputDiscounted,
}));

const CAUSE_COLUMN: Record<(typeof CAUSES)[number], string> = {
  timing: 'timingUsd',
  not_instrumented: 'notInstrumentedUsd',
  unpriced_model: 'unpricedModelUsd',
  service_tier: 'serviceTierUsd',
  cache_write_ttl: 'cacheWriteTtlUsd',
  price_mismatch: 'priceMismatchUsd',
};

export interface ReconciliationQuery {
  from?: string;
  to?: string;
  groupBy?: ReconciliationGroupKey[];
  provider?: string;
}

function parseDay(v: string, field: string): Date {
  const d = new Date(`${v}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
    throw new InvalidError(`Invalid request: ${field}`, [{ field, message: 'must be a UTC date YYYY-MM-DD' }]);
  }
  return d;
}

function dayOf(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const emptyTokens = (): TierTokens => ({ inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 0 });
function addTokens(into: Record<string, TierTokens>, tier: string, r: { inputTokens: string; cachedInputTokens: string; cacheWriteTokens: string; cacheWrite1hTokens: string; outputTokens: string }) {
  const t = into[tier] ?? emptyTokens();
  into[tier] = {
    inputTokens: new Money(t.inputTokens).plus(r.inputTokens),
    cachedInputTokens: new Money(t.cachedInputTokens).plus(r.cachedInputTokens),
    cacheWriteTokens: new Money(t.cacheWriteTokens).plus(r.cacheWriteTokens),
    cacheWrite1hTokens: new Money(t.cacheWrite1hTokens).plus(r.cacheWrite1hTokens),
    outputTokens: new Money(t.outputTokens).plus(r.outputTokens),
  };
}

/**
 * Metered vs billed per provider, model, day and project, every delta explained by causes worked from the
 * data (src/domain/reconciliation), and drift alerts per provider-day.
 */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly repo: ReconciliationRepository,
    private readonly catalog: CatalogService,
    private readonly pricer: EventPricer,
    private readonly metering: MeteringService,
    private readonly webhooks: WebhooksService,
    private readonly settings: OrgSettingsService,
    private readonly connectors: ConnectorsService,
  ) {}

  private window(q: ReconciliationQuery, now: Date): { from: Date; to: Date } {
    const to = q.to ? parseDay(q.to, 'to') : new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS);
    const from = q.from ? parseDay(q.from, 'from') : new Date(to.getTime() - 30 * DAY_MS);
    if (!(from < to)) throw new InvalidError('Invalid request: from', [{ field: 'from', message: 'must be before to' }]);
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) throw new InvalidError('Invalid request: to', [{ field: 'to', message: `the range must be at most ${MAX_RANGE_DAYS} days` }]);
    return { from, to };
  }

  /** Cell results for UTC days [from, to), neighbours read for timing but not returned. */
  private async cells(orgId: string, from: Date, to: Date, byProject: boolean, provider?: string): Promise<CellResult[]> {
    const loadFrom = new Date(from.getTime() - DAY_MS);
    const loadTo = new Date(to.getTime() + DAY_MS);
    const [metered, costs, usage, pricing] = await Promise.all([
      this.repo.metered(orgId, loadFrom, loadTo, provider),
      this.repo.costs(orgId, loadFrom, loadTo, provider),
      this.repo.usage(orgId, loadFrom, loadTo, provider),
      this.pricer.forOrg(orgId),
    ]);
    const cells = new Map<string, Cell & { requests: Money; inputTokens: Money }>();
    const billedModel = (p: string, model: string, modelId: string) => modelId || (model ? this.catalog.resolve(p, model).modelId : '');
    const cellOf = (day: string, p: string, project: string, model: string) => {
      const key: Record<string, string> = { provider: p, day, model, ...(byProject ? { project } : {}) };
      const id = JSON.stringify(key);
      let c = cells.get(id);
      if (!c) {
        c = {
          key,
          day,
          metered: { costUsd: 0, requests: 0, unpricedTokens: 0, byTier: {} },
          billed: { amounts: [], byTier: {} },
          catalog: null,
          tierFactor: (tier, cls) => tierFactor(TIER_DISCOUNTS.filter((t) => t.provider === p), model, tier, cls),
          requests: new Money(0),
          inputTokens: new Money(0),
        };
        cells.set(id, c);
      }
      return c;
    };
    for (const r of metered) {
      const c = cellOf(r.day, r.provider, r.project, r.model);
      c.metered.costUsd = new Money(c.metered.costUsd).plus(r.costUsd);
      c.metered.requests = new Money(c.metered.requests).plus(r.requests);
      c.metered.unpricedTokens = new Money(c.metered.unpricedTokens).plus(r.unpricedTokens);
      addTokens(c.metered.byTier, r.tier, r);
      c.requests = c.requests.plus(r.requests);
      c.inputTokens = c.inputTokens.plus(r.inputTokens);
    }
    for (const r of costs) {
      const c = cellOf(r.day, r.provider, r.project, billedModel(r.provider, r.model, r.modelId));
      c.billed.amounts.push({ tier: r.tier, cls: classOfCostLine(r.costType, r.tokenType), label: r.costType || r.lineItem, usd: r.amountUsd });
    }
    for (const r of usage) addTokens(cellOf(r.day, r.provider, r.project, billedModel(r.provider, r.model, r.modelId)).billed.byTier, r.tier, r);
    for (const c of cells.values()) {
      c.catalog = this.ratesOf(c.key.provider!, c.key.model!, c.day, pricing.overrides, c.requests.isZero() ? new Money(0) : c.inputTokens.div(c.requests));
      // An org's own price applies as is to every tier (as the pricer bills it): no tier discount to claim.
      if (c.catalog?.source.startsWith('custom price')) c.tierFactor = () => new Money(1);
    }
    const reportedDays = new Set(costs.map((r) => `${r.provider} ${r.day}`));
    const results = reconcileCells(
      [...cells.values()],
      (c) => JSON.stringify([c.key.provider, c.key.project ?? '', c.key.model]),
      (p, day) => reportedDays.has(`${p} ${day}`),
    );
    const first = dayOf(from);
    const end = dayOf(to);
    return results.filter((r) => r.key.day! >= first && r.key.day! < end);
  }

  /** The catalog's per-class rates for a model on a day, with the org's custom price or provider discount; null when unpriced. */
  private ratesOf(provider: string, modelId: string, day: string, overrides: PriceOverride[], avgInputPerRequest: Money): Cell['catalog'] {
    const at = new Date(`${day}T12:00:00Z`);
    const custom = selectInForce(overrides.filter((o): o is CustomPriceOverride => o.kind === 'custom' && o.modelId === modelId), at);
    if (custom) return { rates: classRates({ ...custom, id: custom.id }, { provider, avgInputPerRequest }), source: `custom price ${custom.id}` };
    const version = selectPrice(this.catalog.versionsOf(modelId), at);
    if (!version) return null;
    const discount = selectInForce(overrides.filter((o): o is DiscountOverride => o.kind === 'discount' && o.provider === provider), at);
    return {
      rates: classRates(version, { provider, avgInputPerRequest, discountPercent: discount?.percent ?? null }),
      source: `${version.source}${discount ? `, less discount ${discount.id}` : ''}`,
    };
  }

  private rowView(groupBy: readonly ReconciliationGroupKey[], r: ReconciliationRow) {
    const groups = Object.fromEntries(groupBy.map((k) => [k, r.key[k] ?? '']));
    const { key: _key, ...rest } = r;
    return { ...groups, ...rest };
  }

  /** The reconciliation of UTC days [from, to) grouped by `groupBy` (default provider, day), with freshness and connector syncs. */
  async report(orgId: string, q: ReconciliationQuery, now = new Date()) {
    const { from, to } = this.window(q, now);
    const groupBy = q.groupBy?.length ? q.groupBy : (['provider', 'day'] as ReconciliationGroupKey[]);
    const dataFreshness = await this.metering.freshen(orgId, READ_CATCH_UP_HOURS, now);
    const [results, connectors] = await Promise.all([this.cells(orgId, from, to, groupBy.includes('project'), q.provider), this.connectors.syncStatus(orgId)]);
    const order = (a: Record<string, string>, b: Record<string, string>) => {
      for (const k of ['day', 'provider', 'project', 'model']) {
        const x = a[k] ?? '';
        const y = b[k] ?? '';
        if (x !== y) return x < y ? -1 : 1;
      }
      return 0;
    };
    const rows = aggregate(results, (key) => Object.fromEntries(groupBy.map((k) => [k, key[k] ?? '']))).sort((a, b) => order(a.key, b.key));
    const { key: _k, ...totals } = summarize({}, results);
    return {
      currency: 'USD',
      from: dayOf(from),
      to: dayOf(to),
      groupBy,
      rows: rows.map((r) => this.rowView(groupBy, r)),
      totals,
      dataFreshness,
      connectors: connectors.map((c) => ({ id: c.id, name: c.name, provider: c.provider, lastSyncedAt: c.lastSyncedAt?.toISOString() ?? null, finalBefore: c.finalBefore })),
      note: 'to is exclusive; deltaUsd = billed - metered; each explanation estimates part of it from the data, unexplainedUsd is what no cause supports',
    };
  }

  /** The same report as CSV: one line per row, one column per cause (formula-like text escaped). */
  async reportCsv(orgId: string, q: ReconciliationQuery, now = new Date()): Promise<string> {
    const r = await this.report(orgId, q, now);
    const columns = [...r.groupBy, 'meteredCostUsd', 'billedCostUsd', 'deltaUsd', 'deltaPercent', 'meteredTokens', 'billedTokens', 'coverage', ...CAUSES.map((c) => CAUSE_COLUMN[c]), 'unexplainedUsd'];
    const flat = (row: Record<string, unknown> & { explanations: { cause: (typeof CAUSES)[number]; estimatedUsd: string }[] }) => {
      const out: Record<string, unknown> = { ...row };
      for (const c of CAUSES) out[CAUSE_COLUMN[c]] = row.explanations.find((e) => e.cause === c)?.estimatedUsd ?? '0';
      return out;
    };
    return csvLine(columns, null) + r.rows.map((row) => csvLine(columns, flat(row as never))).join('');
  }

  async thresholds(orgId: string): Promise<Thresholds> {
    const s = (await this.settings.get(orgId)).reconciliation as StoredThresholds;
    return {
      driftPercent: s.driftPercent ?? DEFAULT_THRESHOLDS.driftPercent,
      driftMinUsd: s.driftMinUsd ?? DEFAULT_THRESHOLDS.driftMinUsd,
      minCoverage: s.minCoverage ?? DEFAULT_THRESHOLDS.minCoverage,
    };
  }

  /** Replaces the org's thresholds; a field left out goes back to its default. */
  async putThresholds(orgId: string, t: Partial<Thresholds>): Promise<Thresholds> {
    const value: StoredThresholds = {};
    if (t.driftPercent !== undefined) value.driftPercent = t.driftPercent;
    if (t.driftMinUsd !== undefined) value.driftMinUsd = new Money(t.driftMinUsd).toFixed();
    if (t.minCoverage !== undefined) value.minCoverage = t.minCoverage;
    await this.settings.put(orgId, 'reconciliation', value);
    return this.thresholds(orgId);
  }

  async settingsView(orgId: string) {
    return { ...(await this.thresholds(orgId)), defaults: DEFAULT_THRESHOLDS };
  }

  private alertView(a: AlertRow) {
    return {
      id: a.id,
      provider: a.provider,
      day: a.day,
      meteredCostUsd: a.meteredCostUsd,
      billedCostUsd: a.billedCostUsd,
      deltaUsd: a.deltaUsd,
      deltaPercent: a.deltaPercent === null ? null : Number(a.deltaPercent),
      coverage: a.coverage === null ? null : Number(a.coverage),
      reasons: a.reasons,
      createdAt: new Date(a.createdAt).toISOString(),
      notifiedAt: a.notifiedAt ? new Date(a.notifiedAt).toISOString() : null,
    };
  }

  async alerts(orgId: string, limit: number, after?: { at: string; id: string }) {
    const rows = await this.repo.alerts(orgId, limit + 1, after);
    const data = rows.slice(0, limit).map((a) => this.alertView(a));
    const last = data[data.length - 1];
    return { data, next: rows.length > limit && last ? { at: last.createdAt, id: last.id } : null };
  }

  /**
   * Judges the provider-days of UTC days [fromDay, toDay) (toDay exclusive, as a sync reports its range):
   * a day drifts when |delta| > max(driftPercent% of billed, driftMinUsd) or its coverage is below
   * minCoverage. One alert per provider-day, ever; its signed `reconciliation.drift` webhook is recorded once
   * (an alert whose webhooks were never recorded is emitted again here). Only days the provider reported
   * (cost or usage lines) and that are final are judged: before every connector's `final_before`, or before
   * today (UTC) when a connector never said. Idempotent. Returns the days judged and the alerts new here.
   */
  async evaluateDrift(orgId: string, provider: string, fromDay: string | Date, toDay: string | Date, now = new Date()): Promise<{ judgedDays: number; alerts: number }> {
    const from = typeof fromDay === 'string' ? parseDay(fromDay, 'fromDay') : fromDay;
    const to = typeof toDay === 'string' ? parseDay(toDay, 'toDay') : toDay;
    if (!(from < to)) return { judgedDays: 0, alerts: 0 };
    const t = await this.thresholds(orgId);
    await this.metering.freshen(orgId, READ_CATCH_UP_HOURS, now);
    const connectors = (await this.connectors.syncStatus(orgId)).filter((c) => c.provider === provider);
    const finals = connectors.map((c) => c.finalBefore).filter((d): d is string => d !== null);
    const today = dayOf(now);
    const cutoff = finals.length === connectors.length && finals.length > 0 ? finals.sort()[0]! : today;
    let judged = 0;
    let created = 0;
    // Read in windows of at most MAX_RANGE_DAYS (a long backfill sync).
    for (let start = from; start < to; start = new Date(start.getTime() + MAX_RANGE_DAYS * DAY_MS)) {
      const end = new Date(Math.min(to.getTime(), start.getTime() + MAX_RANGE_DAYS * DAY_MS));
      const results = await this.cells(orgId, start, end, false, provider);
      const byDay = aggregate(results, (k) => ({ day: k.day! }));
      for (const row of byDay) {
        const day = row.key.day!;
        if (day >= cutoff || day >= today) continue;
        const billed = new Money(row.billedCostUsd);
        if (billed.isZero() && row.billedTokens === 0) continue;
        judged++;
        const reasons: string[] = [];
        const limit = Money.max(billed.abs().mul(t.driftPercent).div(100), new Money(t.driftMinUsd));
        if (new Money(row.deltaUsd).abs().gt(limit)) reasons.push('drift');
        if (row.coverage !== null && row.coverage < t.minCoverage) reasons.push('coverage');
        if (!reasons.length) continue;
        const alert = await this.repo.recordAlert(orgId, {
          provider,
          day,
          meteredCostUsd: row.meteredCostUsd,
          billedCostUsd: row.billedCostUsd,
          deltaUsd: row.deltaUsd,
          // The columns hold |percent| < 1e8 and coverage < 1e6: a ratio beyond them (a near-zero denominator) is stored as unknown.
          deltaPercent: row.deltaPercent !== null && Math.abs(row.deltaPercent) < 1e8 ? row.deltaPercent : null,
          coverage: row.coverage !== null && row.coverage < 1e6 ? row.coverage : null,
          reasons,
        });
        if (alert.created) created++;
        if (alert.notifiedAt) continue;
        await this.webhooks.emit(orgId, 'reconciliation.drift', `recon-drift-${alert.id}`, {
          alertId: alert.id,
          provider,
          day,
          reasons: alert.reasons,
          meteredCostUsd: alert.meteredCostUsd,
          billedCostUsd: alert.billedCostUsd,
          deltaUsd: alert.deltaUsd,
          deltaPercent: alert.deltaPercent === null ? null : Number(alert.deltaPercent),
          coverage: alert.coverage === null ? null : Number(alert.coverage),
          explanations: row.explanations,
          unexplainedUsd: row.unexplainedUsd,
          thresholds: t,
        });
        await this.repo.markAlertNotified(orgId, alert.id);
      }
    }
    return { judgedDays: judged, alerts: created };
  }
}


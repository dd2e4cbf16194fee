import { Injectable } from '@nestjs/common';
import { InvalidError, NotFoundError } from '../common/errors.js';
import { toJson } from '../common/json.js';
import { API_OFFERS_JSON, REFERENCE } from '../catalog/reference-data.js';
import {
  assumptionRecords,
  DEFAULT_ASSUMPTIONS,
  economicsCatalogFrom,
  estimateEconomics,
  mergeAssumptions,
  type AssumptionOverrides,
  readApiOffers,
  withApiOffers,
  type Catalog,
  type CatalogWithOffers,
  type EconomicsInput,
  type EconomicsResult,
} from '../domain/economics/index.js';
import { forecastSpend, type ForecastResult } from '../domain/forecast/forecast.js';
import { Money } from '../domain/money.js';
import { DAY_MS, HOUR_MS } from '../domain/time.js';
import { ReportsService } from '../reports/reports.service.js';
import { MeteringService } from '../metering/metering.service.js';
import { OrgSettingsService } from '../orgs/org-settings.service.js';

/** Snapshots younger than this are served as they are (the nightly job refreshes them). */
const SNAPSHOT_TTL_MS = DAY_MS;
/** Days in an average month (365.25 / 12): scales a window's volume to a month. */
const DAYS_PER_MONTH = 30.4375;
/** Open models compared by default when a request names none: one per size class. */
export const DEFAULT_OPEN_MODELS = ['llama-3.1-8b-instruct', 'qwen3-32b', 'llama-3.3-70b-instruct', 'gpt-oss-120b'];

/** What a workload's annotations tell the economics engine: its latency target (ms) and batch tolerance. */
export interface WorkloadEconomicsHints {
  latencyTargetP95Ms?: number;
  latencyTolerance?: 'interactive' | 'batch';
}

export interface WorkloadUsage {
  windowDays: number;
  monthly: { inputTokens: number; outputTokens: number; cachedInputTokens: number; requests: number };
  monthlySpendUsd: InstanceType<typeof Money>;
  mainModel: { modelId: string; provider: string; share: number } | null;
  models: { modelId: string; provider: string; costUsd: string; share: number }[];
  hourly: { inputTokens: number; outputTokens: number }[];
  startHourOfDay: number;
}

/**
 * The economics API: what-if estimates, a workload's real usage fed into the
 * same engine, and spend forecasts. The catalog is the shipped reference
 * data; every assumption can be overridden per org (settings) and per request.
 */
@Injectable()
export class EconomicsService {
  private readonly catalog: CatalogWithOffers = withApiOffers(economicsCatalogFrom(REFERENCE), readApiOffers(API_OFFERS_JSON));

  constructor(
    private readonly settings: OrgSettingsService,
    private readonly reports: ReportsService,
    private readonly metering: MeteringService,
  ) {}

  /** The forecast as a request reads it: the org's waiting hours rolled up first, and `dataFreshness` on the answer. */
  async freshForecast(orgId: string, horizonMonths: number, groupBy?: 'workload') {
    const now = new Date();
    const dataFreshness = await this.metering.freshen(orgId, undefined, now);
    return { ...(await this.forecast(orgId, horizonMonths, groupBy, now)), dataFreshness };
  }

  /**
   * A workload's economics as stored (asOf) when the snapshot is younger
   * than a day (the nightly job refreshes it), else computed and stored.
   */
  async workloadEconomicsSnapshot(orgId: string, slug: string, opts: { windowDays: number; openModels?: string[]; hints?: WorkloadEconomicsHints }, refresh: boolean) {
    // The hints are part of the key: a new latency target or tolerance is a new estimate, not yesterday's.
    const h = opts.hints ?? {};
    const scope = `${slug}|${opts.windowDays}|${(opts.openModels ?? []).join(',')}|${h.latencyTargetP95Ms ?? ''}|${h.latencyTolerance ?? ''}`;
    if (!refresh) {
      const snap = await this.settings.snapshot(orgId, 'workload-economics', scope);
      if (snap && Date.now() - snap.createdAt.getTime() < SNAPSHOT_TTL_MS) return { asOf: snap.createdAt.toISOString(), ...(snap.data as object) };
    }
    const data = toJson(await this.workloadEconomics(orgId, slug, opts));
    const saved = await this.settings.saveSnapshot(orgId, 'workload-economics', scope, data);
    return { asOf: saved.createdAt.toISOString(), ...(data as object) };
  }

  referenceCatalog(): Catalog {
    return this.catalog;
  }

  async assumptions(orgId: string, request?: AssumptionOverrides) {
    const org = (await this.settings.get(orgId)).assumptions as AssumptionOverrides;
    return mergeAssumptions(DEFAULT_ASSUMPTIONS, org, request);
  }

  async getAssumptions(orgId: string) {
    const s = await this.settings.get(orgId);
    const resolved = mergeAssumptions(DEFAULT_ASSUMPTIONS, s.assumptions as AssumptionOverrides);
    return { overrides: s.assumptions, values: toJson(resolved.values), records: assumptionRecords(resolved), updatedAt: s.updatedAt?.toISOString() ?? null };
  }

  /** Merges a partial update into the org's overrides; any rejected key is a 400 naming it, and nothing is saved. */
  async patchAssumptions(orgId: string, patch: unknown) {
    if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw new InvalidError('Invalid request: body', [{ field: 'body', message: 'must be an object of assumption overrides' }]);
    const current = (await this.settings.get(orgId)).assumptions;
    const next = deepMerge(current, patch as Record<string, unknown>);
    const resolved = mergeAssumptions(DEFAULT_ASSUMPTIONS, next as AssumptionOverrides);
    // Legacy tier names saved before the market tiers (onDemand, committed) are mapped, not refused.
    const rejected = resolved.issues.filter((i) => !(resolved.legacyMapped ?? []).includes(i));
    if (rejected.length) {
      throw new InvalidError(
        `Invalid assumptions: ${rejected.join('; ')}`,
        rejected.map((i) => ({ field: /"([^"]+)"/.exec(i)?.[1] ?? 'body', message: i })),
      );
    }
    await this.settings.put(orgId, 'assumptions', next);
    return this.getAssumptions(orgId);
  }

  async estimate(orgId: string, input: EconomicsInput, requestAssumptions?: AssumptionOverrides): Promise<EconomicsResult & { assumptionIssues: string[] }> {
    const unknown = input.openModelIds.filter((id) => !this.catalog.models.some((m) => m.id.toLowerCase() === id.toLowerCase()));
    if (unknown.length) {
      throw new InvalidError(`Unknown open model: ${unknown.join(', ')}`, [{ field: 'openModel', message: `not in the catalog (GET /v1/catalog/open-models lists them): ${unknown.join(', ')}` }]);
    }
    const resolved = await this.assumptions(orgId, requestAssumptions);
    const refused = resolved.issues.filter((i) => i.startsWith('request') && !(resolved.legacyMapped ?? []).includes(i));
    if (refused.length) {
      throw new InvalidError('Invalid request: assumptions', refused.map((i) => ({ field: `assumptions.${/"([^"]+)"/.exec(i)?.[1] ?? ''}`, message: i })));
    }
    return { ...estimateEconomics(input, this.catalog, resolved), assumptionIssues: resolved.issues };
  }

  /** A workload's last `windowDays` of rollups, scaled to a month. */
  async workloadUsage(orgId: string, workload: string, windowDays: number, now = new Date()): Promise<WorkloadUsage> {
    const to = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
    const from = new Date(to.getTime() - windowDays * DAY_MS);
    const [hours, models] = await Promise.all([
      this.reports.hourlyTokens(orgId, workload, from, to),
      this.reports.by(orgId, 'model', from, to, { workload }),
    ]);
    if (!hours.length) throw new NotFoundError(`No usage for workload ${workload} in the last ${windowDays} days`);
    const scale = DAYS_PER_MONTH / windowDays;
    const sum = (k: 'inputTokens' | 'outputTokens' | 'cachedInputTokens' | 'requests') => hours.reduce((a, h) => a + h[k], 0);
    const cost = models.reduce((a, m) => a.plus(m.costUsd ?? 0), new Money(0));
    // A dense hourly series from the first hour of the window (hours without usage are zero).
    const byHour = new Map(hours.map((h) => [h.hour.getTime(), h]));
    const hourly = [];
    for (let t = from.getTime(); t < to.getTime(); t += HOUR_MS) {
      const h = byHour.get(t);
      hourly.push({ inputTokens: h?.inputTokens ?? 0, outputTokens: h?.outputTokens ?? 0 });
    }
    const modelRows = models.map((m) => ({
      modelId: m.key,
      provider: m.provider ?? '',
      costUsd: m.costUsd ?? '0',
      share: cost.isZero() ? 0 : new Money(m.costUsd ?? 0).div(cost).toNumber(),
    }));
    return {
      windowDays,
      monthly: { inputTokens: Math.round(sum('inputTokens') * scale), outputTokens: Math.round(sum('outputTokens') * scale), cachedInputTokens: Math.round(sum('cachedInputTokens') * scale), requests: Math.round(sum('requests') * scale) },
      monthlySpendUsd: cost.mul(scale),
      mainModel: modelRows[0] ? { modelId: modelRows[0].modelId, provider: modelRows[0].provider, share: modelRows[0].share } : null,
      models: modelRows,
      hourly,
      startHourOfDay: from.getUTCHours(),
    };
  }

  async workloadEconomics(orgId: string, workload: string, opts: { windowDays: number; openModels?: string[]; usage?: WorkloadUsage; hints?: WorkloadEconomicsHints }) {
    const usage = opts.usage ?? (await this.workloadUsage(orgId, workload, opts.windowDays));
    const tokensPerRequest = usage.monthly.requests ? (usage.monthly.inputTokens + usage.monthly.outputTokens) / usage.monthly.requests : undefined;
    const result = await this.estimate(orgId, {
      openModelIds: opts.openModels?.length ? opts.openModels : DEFAULT_OPEN_MODELS,
      monthly: usage.monthly,
      avgTokensPerRequest: tokensPerRequest,
      hourly: usage.hourly,
      startHourOfDay: usage.startHourOfDay,
      ...(opts.hints?.latencyTargetP95Ms !== undefined ? { latencyTargetP95Ms: opts.hints.latencyTargetP95Ms } : {}),
      ...(opts.hints?.latencyTolerance !== undefined ? { latencyTolerance: opts.hints.latencyTolerance } : {}),
      current: { modelId: usage.mainModel?.modelId, actualMonthlySpendUsd: usage.monthlySpendUsd },
    });
    return {
      workload,
      windowDays: opts.windowDays,
      usage: { monthly: usage.monthly, monthlySpendUsd: usage.monthlySpendUsd, models: usage.models },
      ...result,
    };
  }

  /**
   * Monthly projections from the daily cost and token series of the 180 days
   * before today (rollups), per org or per workload. asOf is the request time
   * (or `now`): days before its UTC day are actuals ($0 without events), the
   * forecast covers its day onwards (today's partial usage is forecast, not
   * counted twice).
   */
  async forecast(orgId: string, horizonMonths: number, groupBy?: 'workload', now = new Date()) {
    const to = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
    const from = new Date(to.getTime() - 180 * DAY_MS);
    const options = { months: horizonMonths, asOf: now };
    const org = forecastSpend(await this.reports.dailyCost(orgId, from, to), options);
    const result: { asOf: string; horizonMonths: number; organisation: ForecastResult; workloads?: Record<string, ForecastResult> } = {
      asOf: now.toISOString(),
      horizonMonths,
      organisation: org,
    };
    if (groupBy === 'workload') {
      const workloads = await this.reports.by(orgId, 'workload', from, to);
      result.workloads = {};
      for (const w of workloads) result.workloads[w.key] = forecastSpend(await this.reports.dailyCost(orgId, from, to, w.key), options);
    }
    return result;
  }
}

function deepMerge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' && !Array.isArray(out[k])) out[k] = deepMerge(out[k] as Record<string, unknown>, v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

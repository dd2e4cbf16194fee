import { Injectable } from '@nestjs/common';
import { InvalidError, NotFoundError } from '../common/errors.js';
import { toJson } from '../common/json.js';
import { EconomicsService } from '../economics/economics.service.js';
import type { Catalog } from '../domain/economics/types.js';
import type { EconomicsResult } from '../domain/economics/estimate-types.js';
import { OrgSettingsService } from '../orgs/org-settings.service.js';
import { Money } from '../domain/money.js';
import { DAY_MS, HOUR_MS } from '../domain/time.js';
import { DEFAULT_PLANNER_SETTINGS, planOrganisationWithFleets, resolvePlannerSettings, type CandidateOption, type FleetSettings, type OrganisationPlanWithFleets, type PlannerSettingsInput, type RoadmapForecast, type SelfHostMove, type WorkloadWithOptions } from '../domain/planner/index.js';
import { plannerSettingsIssues } from '../domain/planner/settings.js';
import { providerDisplayName, providerKey, providerRegionsFor, readProviderRegions, type ProviderRegionTable } from '../domain/planner/providers.js';
import type { CrossoverPoint, TeamMaturity, WorkloadAnnotations } from '../domain/planner/types.js';
import { PROVIDER_REGIONS } from '../catalog/reference-data.js';
import { MeteringService } from '../metering/metering.service.js';
import { ReportsService } from '../reports/reports.service.js';
import { LATENCY_BUCKETS_MS, percentileFromHistogram } from '../domain/latency.js';
import { closedQualityTier, closedTier, openQualityTier } from './model-tiers.js';
import { WorkloadsRepository } from './workloads.repository.js';
import { hintsFrom } from './workloads.service.js';

const WINDOW_DAYS = 28;
const PROVIDERS: ProviderRegionTable = readProviderRegions(PROVIDER_REGIONS);

type Crossoverish = { status?: unknown; monthlyTokens?: unknown; against?: unknown; searchedTokens?: { max?: unknown } | null } | null | undefined;

/** The economics engine's per-option crossover → the planner's CrossoverPoint; null when absent or of an unknown status ('unavailable'). */
export function toCrossoverPoint(c: Crossoverish): CrossoverPoint | null {
  if (!c || typeof c !== 'object') return null;
  const status = c.status;
  if (status !== 'crosses' && status !== 'always_cheaper' && status !== 'never_below_max') return null;
  const tokens = typeof c.monthlyTokens === 'number' && Number.isFinite(c.monthlyTokens) ? c.monthlyTokens : null;
  if (status === 'crosses' && tokens === null) return null;
  const max = c.searchedTokens && typeof c.searchedTokens.max === 'number' ? c.searchedTokens.max : undefined;
  return { status, monthlyTokens: status === 'crosses' ? tokens : null, ...(typeof c.against === 'string' ? { against: c.against } : {}), ...(max !== undefined ? { searchedMaxTokens: max } : {}) };
}

/**
 * Latency of an API option: the workload's observed p95 (ms) when a provider it already uses serves the option
 * (same serving infrastructure; model-size differences within one provider are ignored), else undefined (the gate says n/a).
 */
export function apiExpectedLatency(provider: string, currentProviders: string[], observedP95Ms: number): number | undefined {
  if (!(observedP95Ms > 0)) return undefined;
  const key = providerKey(PROVIDERS, provider);
  return currentProviders.some((p) => providerKey(PROVIDERS, p) === key) ? observedP95Ms : undefined;
}

function cv(xs: number[]): number {
  if (xs.length < 2) return 0;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (!mean) return 0;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  return sd / mean;
}

/**
 * Volume growth per month from the last 28 full UTC days: the last 14 days
 * against the 14 before (each half holds every weekday twice, so the weekly
 * pattern cancels), compounded to a month and bounded to [-50%, +100%] so
 * one launch week does not project a runaway.
 */
export function monthlyGrowth(daily: { date: string; inputTokens: number; outputTokens: number }[], to: Date): number {
  const lastFullDay = Math.floor(to.getTime() / DAY_MS) * DAY_MS; // exclusive
  const sumDays = (fromDay: number, toDay: number) =>
    daily.filter((d) => Date.parse(d.date) >= fromDay && Date.parse(d.date) < toDay).reduce((a, d) => a + d.inputTokens + d.outputTokens, 0);
  const late = sumDays(lastFullDay - 14 * DAY_MS, lastFullDay);
  const early = sumDays(lastFullDay - 28 * DAY_MS, lastFullDay - 14 * DAY_MS);
  if (early <= 0 || late <= 0) return 0;
  const g = Math.pow(late / early, 30.4375 / 14) - 1;
  return Math.min(1, Math.max(-0.5, g));
}

/**
 * The economics engine's answer for one workload → the planner's options (USD/month): the cheapest self-host set-up per
 * open model (GPUs per replica, capacity-model p95, per-option crossover with the workload-level one as fallback), one
 * managed option per (model, provider) with providers folded case-insensitively to one display name, and the cheaper
 * closed models; API options carry the provider's sourced processing regions and, on a provider the workload already
 * uses, its observed p95 (ms).
 */
export function candidateOptions(econ: EconomicsResult, catalog: Catalog, currentProviders: string[], observedP95: number): CandidateOption[] {
  const options: CandidateOption[] = [];
  // The workload-level crossover is the fallback while the economics engine does not price per option.
  const legacy = econ.crossover as Crossoverish;
  const legacyPoint = toCrossoverPoint(legacy) ?? (typeof legacy?.monthlyTokens === 'number' ? { status: 'crosses' as const, monthlyTokens: legacy.monthlyTokens } : null);
  const bestPerModel = new Map<string, (typeof econ.options)[number]>();
  for (const o of econ.options) if (!bestPerModel.has(o.modelId) || o.tcoUsd.lt(bestPerModel.get(o.modelId)!.tcoUsd)) bestPerModel.set(o.modelId, o);
  for (const o of bestPerModel.values()) {
    const spec = catalog.models.find((m) => m.id === o.modelId);
    const perOption = o.crossover;
    const expected = o.capacity?.expectedP95LatencyMs;
    options.push({
      kind: 'self_host',
      modelId: o.modelId,
      qualityTier: openQualityTier({ kind: spec?.kind, paramsB: spec?.paramsB }),
      monthlyCostUsd: o.tcoUsd,
      oneOffMigrationCostUsd: econ.migration.selfHostUsd,
      deployment: { gpu: o.gpuId, gpuCount: o.gpuCount, precision: o.precision, replicas: o.replicas, gpusPerReplica: o.tensorParallel, tensorParallel: o.tensorParallel },
      ...(typeof expected === 'number' && expected > 0 ? { expectedP95LatencyMs: expected, latencyBasis: 'capacity model at planned concurrency' } : {}),
      ...(perOption !== undefined
        ? { crossover: { vsCurrent: toCrossoverPoint(perOption?.vsCurrent), vsManagedOpen: toCrossoverPoint(perOption?.vsManagedOpen) } }
        : legacyPoint !== null
          ? { crossover: { vsCurrent: legacyPoint, vsManagedOpen: null } }
          : {}),
    });
  }
  // One managed option per (model, provider): "groq" and "Groq" are one provider, shown as the reference spells it.
  const seenApi = new Set<string>();
  for (const a of [...econ.managedOpen].sort((x, y) => x.monthlyCostUsd.cmp(y.monthlyCostUsd))) {
    const id = (a.modelId ?? a.model).toLowerCase();
    const key = `${id}|${providerKey(PROVIDERS, a.provider)}`;
    if (seenApi.has(key)) continue;
    seenApi.add(key);
    const spec = catalog.models.find((m) => m.id === a.modelId);
    const provider = providerDisplayName(PROVIDERS, a.provider);
    const latency = apiExpectedLatency(a.provider, currentProviders, observedP95);
    options.push({
      kind: 'managed_open',
      modelId: id,
      provider,
      qualityTier: openQualityTier({ kind: spec?.kind, paramsB: spec?.paramsB ?? 70 }),
      monthlyCostUsd: a.monthlyCostUsd,
      oneOffMigrationCostUsd: econ.migration.managedOpenUsd,
      providerRegions: providerRegionsFor(PROVIDERS, a.provider),
      ...(latency !== undefined ? { expectedP95LatencyMs: latency, latencyBasis: 'observed p95 on the same provider' } : {}),
    });
  }
  const seenClosed = new Set<string>();
  for (const a of [...econ.cheaperClosed].sort((x, y) => x.monthlyCostUsd.cmp(y.monthlyCostUsd))) {
    const id = a.modelId ?? a.model;
    const tier = (a as { tier?: string }).tier ?? 'standard';
    const key = `${id.toLowerCase()}|${providerKey(PROVIDERS, a.provider)}|${tier}`;
    if (seenClosed.has(key)) continue;
    seenClosed.add(key);
    const latency = tier === 'standard' ? apiExpectedLatency(a.provider, currentProviders, observedP95) : undefined;
    options.push({
      kind: 'cheaper_closed',
      modelId: id,
      provider: providerDisplayName(PROVIDERS, a.provider),
      qualityTier: closedQualityTier(id),
      monthlyCostUsd: a.monthlyCostUsd,
      oneOffMigrationCostUsd: econ.migration.closedUsd,
      providerRegions: providerRegionsFor(PROVIDERS, a.provider),
      ...(latency !== undefined ? { expectedP95LatencyMs: latency, latencyBasis: 'observed p95 on the same provider' } : {}),
    });
  }
  return options;
}

/** Saved overrides as the API shows them: money was accepted as a number or a decimal string and is always answered as a decimal string. */
export function overridesView(planner: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...((planner ?? {}) as Record<string, unknown>) };
  for (const k of ['selfHostSavingsFloorUsd', 'managedSavingsFloorUsd']) {
    if (typeof out[k] === 'number' || typeof out[k] === 'string') out[k] = new Money(out[k] as number | string).toFixed();
  }
  return out;
}

/** Hour of week (0-167, 0 = Monday 00:00 UTC) of an instant. */
export function hourOfWeek(at: Date): number {
  return ((at.getUTCDay() + 6) % 7) * 24 + at.getUTCHours();
}

/**
 * The workload's self-host options as fleet moves: per open model the cheapest set-up (the one the planner's option uses)
 * with the model's other set-ups as alternatives. Load and capacity are in output tokens/s: the hourly series of output
 * tokens / 3600 against the option's `capacity.tokensPerSec` (output tokens/s per replica at this workload's shape).
 */
export function selfHostMoves(slug: string, econ: Pick<EconomicsResult, 'options'>, hourlyOutputTokens: readonly number[], windowStart: Date): SelfHostMove[] {
  const byModel = new Map<string, EconomicsResult['options']>();
  for (const o of econ.options) byModel.set(o.modelId, [...(byModel.get(o.modelId) ?? []), o]);
  const hourlyPerSec = hourlyOutputTokens.map((t) => (Number.isFinite(t) && t > 0 ? t / 3600 : 0));
  const moves: SelfHostMove[] = [];
  for (const [modelId, list] of byModel) {
    const sorted = [...list].sort((a, b) => a.tcoUsd.cmp(b.tcoUsd));
    const best = sorted[0]!;
    const setup = (o: (typeof sorted)[number]) => ({
      deployment: { gpuId: o.gpuId, precision: o.precision, tensorParallel: o.tensorParallel },
      usdPerGpuHour: o.price?.usdPerGpuHour ?? o.hourlyPriceUsd,
      capacityPerSecPerReplica: o.capacity?.tokensPerSec ?? 0,
    });
    moves.push({
      workload: slug,
      modelId,
      ...setup(best),
      load: { hourlyPerSec, startHourOfWeek: hourOfWeek(windowStart) },
      standaloneMonthlyCostUsd: best.tcoUsd,
      alternatives: sorted.slice(1).map(setup),
    });
  }
  return moves;
}

/**
 * Month factors for the roadmap from the org forecast: the forecast's damped, capped `volumeGrowthFactor` per month when it
 * has 28+ days of history and 12 positive factors; else its growth rate (bounded to [-50 %, +100 %]/month), else flat.
 */
export function roadmapForecast(org: { historyDays: number; monthlyGrowthRate: number; months?: { volumeGrowthFactor?: number }[] }): RoadmapForecast {
  if (!(org.historyDays >= 28)) return { monthlyGrowth: 0 };
  const factors = (org.months ?? []).map((m) => m.volumeGrowthFactor);
  if (factors.length > 0 && factors.every((f): f is number => typeof f === 'number' && Number.isFinite(f) && f > 0)) return { monthlySpendFactors: factors };
  const g = org.monthlyGrowthRate;
  return { monthlyGrowth: Number.isFinite(g) ? Math.max(-0.5, Math.min(1, g)) : 0 };
}

/**
 * Builds each workload's profile (rollups + annotations + evaluations),
 * prices its options with the economics engine, and runs the pure planner.
 * Plans are stored as a snapshot and recomputed when asked, or when an
 * annotation, evaluation or setting changed after the snapshot.
 */
@Injectable()
export class PlannerService {
  constructor(
    private readonly workloads: WorkloadsRepository,
    private readonly reports: ReportsService,
    private readonly economics: EconomicsService,
    private readonly settings: OrgSettingsService,
    private readonly metering: MeteringService,
  ) {}

  async plan(orgId: string, refresh = false): Promise<{ asOf: string; recomputed: boolean; plan: unknown }> {
    const snap = await this.settings.snapshot(orgId, 'plan', 'org');
    const [inputs, settings] = await Promise.all([this.workloads.lastInputChange(orgId), this.settings.get(orgId)]);
    const changed = [inputs, settings.updatedAt].reduce<Date | null>((a, b) => (b && (!a || b > a) ? b : a), null);
    if (!refresh && snap && (!changed || changed <= snap.createdAt)) return { asOf: snap.createdAt.toISOString(), recomputed: false, plan: snap.data };
    // A plan decides: usage sent just before is in it (its hours are rolled up first), and what is not yet is said.
    const dataFreshness = await this.metering.freshen(orgId);
    const plan = toJson({ ...(await this.compute(orgId)), dataFreshness });
    const saved = await this.settings.saveSnapshot(orgId, 'plan', 'org', plan);
    return { asOf: saved.createdAt.toISOString(), recomputed: true, plan };
  }

  /** The planner settings in force (defaults merged with the org's overrides) and the overrides themselves. */
  async getSettings(orgId: string) {
    const s = await this.settings.get(orgId);
    return { overrides: overridesView(s.planner), values: toJson(resolvePlannerSettings(s.planner as PlannerSettingsInput)), defaults: toJson(DEFAULT_PLANNER_SETTINGS) };
  }

  /** Merges a partial update into the org's planner overrides (null removes one); any bad field is a 400 naming it, and nothing is saved. */
  async patchSettings(orgId: string, patch: unknown) {
    const body = (patch && typeof patch === 'object' && !Array.isArray(patch) ? patch : null) as Record<string, unknown> | null;
    const bad = plannerSettingsIssues(body === null ? patch : Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null)));
    if (bad.length) throw new InvalidError(`Invalid planner settings: ${bad.map((b) => b.field).join(', ')}`, bad);
    const next: Record<string, unknown> = { ...(await this.settings.get(orgId)).planner };
    for (const [k, v] of Object.entries(body!)) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    await this.settings.put(orgId, 'planner', next);
    return this.getSettings(orgId);
  }

  async workloadPlan(orgId: string, slug: string, refresh = false) {
    if (!(await this.workloads.find(orgId, slug))) throw new NotFoundError(`Workload ${slug} not found`);
    const { asOf, recomputed, plan } = await this.plan(orgId, refresh);
    const wp = (plan as { workloads: { workload: string }[] }).workloads.find((w) => w.workload === slug);
    if (!wp) throw new NotFoundError(`Workload ${slug} has no usage in the last ${WINDOW_DAYS} days to plan from`);
    return { asOf, recomputed, ...wp };
  }

  async compute(orgId: string, now = new Date()): Promise<OrganisationPlanWithFleets> {
    const to = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
    const from = new Date(to.getTime() - WINDOW_DAYS * DAY_MS);
    const [rows, orgTotals, settings, assumptions, latency] = await Promise.all([
      this.workloads.list(orgId),
      this.reports.totals(orgId, { from, to, filters: {} }),
      this.settings.get(orgId),
      this.economics.assumptions(orgId),
      this.reports.latencyByWorkload(orgId, { from, to, filters: {} }),
    ]);
    const orgCost = new Money(orgTotals.costUsd ?? 0);
    const evaluations = await this.workloads.evaluations(orgId);
    const catalog = this.economics.referenceCatalog();
    const inputs: WorkloadWithOptions[] = [];
    const moves: SelfHostMove[] = [];
    for (const w of rows) {
      const daily = await this.reports.dailyCost(orgId, from, to, w.slug);
      if (!daily.length) continue;
      const usage = await this.economics.workloadUsage(orgId, w.slug, WINDOW_DAYS, now);
      const annotations = (w.annotations ?? {}) as WorkloadAnnotations;
      const econ = await this.economics.workloadEconomics(orgId, w.slug, { windowDays: WINDOW_DAYS, usage, hints: hintsFrom(w.annotations) });
      const tokens = daily.map((d) => d.inputTokens + d.outputTokens);
      const growth = monthlyGrowth(daily, to);
      const lat = latency.totals.filter((l) => l.workload === w.slug);
      const requests = lat.reduce((a, l) => a + l.requests, 0);
      const errors = lat.reduce((a, l) => a + l.errors, 0);
      const p95 = percentileFromHistogram(latency.histograms.get(w.slug) ?? [], 0.95);

      const observedP95 = p95 === null ? 0 : Number.isFinite(p95) ? p95 : LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1];
      const currentProviders = usage.models.map((m) => m.provider).filter((p): p is string => typeof p === 'string');
      const options = candidateOptions(econ, catalog, currentProviders, observedP95);
      moves.push(...selfHostMoves(w.slug, econ, usage.hourly.map((h) => h.outputTokens), from));
      inputs.push({
        workload: {
          slug: w.slug,
          monthlySpendUsd: usage.monthlySpendUsd,
          monthlyInputTokens: usage.monthly.inputTokens,
          monthlyOutputTokens: usage.monthly.outputTokens,
          monthlyGrowth: growth,
          volumeStability: cv(tokens),
          currentModels: usage.models.map((m) => ({ modelId: m.modelId, provider: m.provider, tier: closedTier(m.modelId), shareOfSpend: m.share })),
          p95LatencyMs: observedP95,
          errorRate: requests ? errors / requests : 0,
          shareOfOrgSpend: orgCost.isZero() ? 0 : new Money(daily.reduce((a, d) => a.plus(d.costUsd), new Money(0))).div(orgCost).toNumber(),
          annotations,
          evaluations: evaluations.filter((e) => e.workload === w.slug).map((e) => ({ ...e, metrics: e.metrics as never })),
        },
        options,
      });
    }
    const plannerSettings: PlannerSettingsInput = { ...(settings.planner as PlannerSettingsInput), teamMaturity: assumptions.values.teamMaturity as TeamMaturity };
    // Cumulative savings follow the organisation's spend forecast (one damped, capped growth path for all), not each
    // workload's own recent growth, which a launch or a migration can make wildly optimistic over twelve months.
    const forecast = await this.economics.forecast(orgId, 12, undefined, now);
    const a = assumptions.values;
    const fleetSettings: FleetSettings = {
      teamMaturity: a.teamMaturity as TeamMaturity,
      engineerFractionByMaturity: a.engineerFractionByMaturity,
      engineerMonthlyCostUsd: String(a.engineerMonthlyCostUsd),
      overheadFraction: a.overheadFraction,
      targetUtilisation: a.targetUtilisation,
      hoursPerMonth: a.hoursPerMonth,
    };
    return planOrganisationWithFleets(inputs, plannerSettings, roadmapForecast(forecast.organisation), { moves, settings: fleetSettings });
  }
}


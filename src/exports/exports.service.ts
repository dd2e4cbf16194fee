import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { API_OFFERS_JSON } from '../catalog/reference-data.js';
import { CatalogService, toDomainOverride } from '../catalog/catalog.service.js';
import { CsvExports } from '../common/csv-exports.js';
import { OrgsService } from '../orgs/orgs.service.js';
import { csvLine } from '../common/csv.js';
import { InvalidError } from '../common/errors.js';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import { readApiOffers } from '../domain/economics/api-offers.js';
import { ALL_COLUMNS, classRates, FOCUS_VERSION, focusRows, TOKEN_CLASSES, type ClassRateTable, type FocusRow, type RateFields } from '../domain/focus/focus.js';
import { Money } from '../domain/money.js';
import { SERVICE_TIERS, selectInForce, type CustomPriceOverride, type PriceOverride, type PriceVersion, type ServiceTier } from '../domain/pricing/price.js';
import { serviceTierPricing } from '../domain/pricing/service-tier.js';
import { DAY_MS } from '../domain/time.js';
import type { CostBasis, FocusExportQueryDto } from './exports.dto.js';
import { ExportsRepository, type FocusRollupRow } from './exports.repository.js';

/*
 * GET /v1/exports/focus: FOCUS 1.2 rows from the daily rollups (see src/domain/focus/focus.ts for every
 * column rule and cost choice). This service supplies the prices behind the split:
 *   - applied rates: the org's custom price for the model in force at the start of the day, else the
 *     catalog version in force then (the same selection as metering, src/domain/pricing/cost.ts);
 *   - list rates: the catalog version alone (no custom price, no discount);
 *   - both tier-adjusted with the sourced batch/flex discount (src/reference/api-offers.json through
 *     serviceTierPricing), cached reads only where the source says they are discounted.
 * A price that changes inside a day: the split and ListCost use the start-of-day version; BilledCost is
 * the rollup's exact cost whatever happened inside the day.
 */

/** Widest window one request may ask for (days). */
export const MAX_RANGE_DAYS = 366;
/** Same limits as the spend CSV export (src/reports): a cursor holds a pooled connection while the client reads. */

const TIER_OFFERS = readApiOffers(API_OFFERS_JSON).tiers;

function parseDay(v: string, field: string): Date {
  const d = new Date(`${v}T00:00:00.000Z`);
  // 2026-02-30 matches the pattern but is no date: Date rolls it over, so compare the text back.
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) throw new InvalidError(`Invalid request: ${field}`, [{ field, message: `${field} must be a real calendar date YYYY-MM-DD` }]);
  return d;
}

/** The export window [from, to) in whole UTC days; default the current UTC month. */
export function focusWindow(q: { from?: string; to?: string }, now = new Date()): { from: Date; to: Date } {
  const from = q.from ? parseDay(q.from, 'from') : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const to = q.to ? parseDay(q.to, 'to') : new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
  if (!(from < to)) throw new InvalidError('Invalid request: to', [{ field: 'to', message: 'to must be after from (to is exclusive)' }]);
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) throw new InvalidError('Invalid request: to', [{ field: 'to', message: `the range may span at most ${MAX_RANGE_DAYS} days` }]);
  return { from, to };
}

function tierAdjusted(rates: ClassRateTable, tier: ServiceTier, provider: string, modelId: string, custom: boolean): ClassRateTable {
  const p = serviceTierPricing(tier, provider, modelId, TIER_OFFERS, custom);
  if (p.discountFraction.isZero()) return rates;
  const full = new Money(1).minus(p.discountFraction);
  const out = { ...rates };
  for (const c of TOKEN_CLASSES) {
    const cached = c === 'cached_input' || c === 'cached_input_audio';
    out[c] = cached && !p.cachedInputDiscounted ? rates[c] : rates[c].mul(full);
  }
  return out;
}

/** Prices behind one org's export, memoised per (provider, model, tier, day). */
class PriceBook {
  private readonly memo = new Map<string, { applied: ClassRateTable | null; list: ClassRateTable | null }>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly overrides: PriceOverride[],
  ) {}

  ratesFor(provider: string, modelId: string, serviceTier: string, day: Date) {
    const key = `${provider}\u0000${modelId}\u0000${serviceTier}\u0000${day.getTime()}`;
    let hit = this.memo.get(key);
    if (!hit) {
      const tier = (SERVICE_TIERS as readonly string[]).includes(serviceTier) ? (serviceTier as ServiceTier) : 'default';
      const version = selectInForce<PriceVersion>(this.catalog.versionsFor(provider, modelId), day);
      const custom = selectInForce(this.overrides.filter((o): o is CustomPriceOverride => o.kind === 'custom' && o.modelId === modelId), day);
      const list = version ? tierAdjusted(classRates(version as RateFields), tier, provider, modelId, false) : null;
      const applied = custom ? tierAdjusted(classRates(custom as RateFields), tier, provider, modelId, true) : list;
      hit = { applied, list };
      this.memo.set(key, hit);
    }
    return hit;
  }
}

@Injectable()
export class ExportsService {
  constructor(
    private readonly repo: ExportsRepository,
    private readonly catalog: CatalogService,
    private readonly csvExports: CsvExports,
    private readonly orgs: OrgsService,
  ) {}

  private async context(orgId: string) {
    const [orgName, overrides] = await Promise.all([this.orgs.orgName(orgId), this.catalog.overrides(orgId)]);
    return { orgName: orgName ?? orgId, book: new PriceBook(this.catalog, overrides.map(toDomainOverride)) };
  }

  private rowsOf(orgId: string, orgName: string, book: PriceBook, costBasis: CostBasis, r: FocusRollupRow): FocusRow[] {
    const n = (s: string) => Number(s);
    const { applied, list } = book.ratesFor(r.provider, r.modelId, r.serviceTier, r.day);
    return focusRows({
      day: r.day,
      orgId,
      orgName,
      project: r.project,
      projectName: r.projectName,
      workload: r.workload,
      environment: r.environment,
      provider: r.provider,
      modelId: r.modelId,
      serviceTier: r.serviceTier,
      requests: n(r.requests),
      unpricedRequests: n(r.unpricedRequests),
      tokens: {
        inputTokens: n(r.inputTokens),
        outputTokens: n(r.outputTokens),
        cachedInputTokens: n(r.cachedInputTokens),
        cacheWriteTokens: n(r.cacheWriteTokens),
        reasoningTokens: n(r.reasoningTokens),
        cacheWrite1hTokens: n(r.cacheWrite1hTokens),
        audioInputTokens: n(r.audioInputTokens),
        imageInputTokens: n(r.imageInputTokens),
        videoInputTokens: n(r.videoInputTokens),
        cachedAudioInputTokens: n(r.cachedAudioInputTokens),
        audioOutputTokens: n(r.audioOutputTokens),
      },
      costUsd: costBasis === 'provider' ? r.providerBasisCostUsd : r.costUsd,
      costBasis,
      appliedRates: applied,
      listRates: list,
    });
  }

  /** One JSON page: `limit` daily rollup rows (default 100, at most 500), each expanded to its token-class rows. */
  async page(orgId: string, q: FocusExportQueryDto) {
    const { from, to } = focusWindow(q);
    const costBasis = q.costBasis ?? 'computed';
    const limit = q.limit ?? 100;
    const offset = decodeCursor<{ o: number }>(q.cursor)?.o ?? 0;
    const [{ orgName, book }, rollups] = await Promise.all([this.context(orgId), this.repo.page(orgId, from, to, limit + 1, offset)]);
    return {
      focusVersion: FOCUS_VERSION,
      from: from.toISOString(),
      to: to.toISOString(),
      costBasis,
      columns: ALL_COLUMNS,
      rows: rollups.slice(0, limit).flatMap((r) => this.rowsOf(orgId, orgName, book, costBasis, r)),
      nextCursor: rollups.length > limit ? encodeCursor({ o: offset + limit }) : null,
    };
  }

  /**
   * Every row as CSV, streamed from a cursor (memory holds one batch; a slow reader slows the cursor).
   * Validation and the export slot are settled before the first byte, so a refusal is a clean 4xx; a
   * failure mid-stream cuts the response (the status is already sent) and is logged.
   */
  async csv(orgId: string, q: FocusExportQueryDto): Promise<Readable> {
    const { from, to } = focusWindow(q);
    const costBasis = q.costBasis ?? 'computed';
    const release = this.csvExports.claim(orgId);
    let ctx: Awaited<ReturnType<ExportsService['context']>>;
    try {
      ctx = await this.context(orgId);
    } catch (e) {
      release();
      throw e;
    }
    return this.csvExports.stream(orgId, 'FOCUS export', release, async (write) => {
      await write(csvLine(ALL_COLUMNS, null));
      await this.repo.inBatches(orgId, from, to, (rows) =>
        write(rows.flatMap((r) => this.rowsOf(orgId, ctx.orgName, ctx.book, costBasis, r)).map((row) => csvLine(ALL_COLUMNS, row)).join('')),
      );
    });
  }
}

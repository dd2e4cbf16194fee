import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { toJson } from '../common/json.js';
import type { AssumptionOverrides, Precision } from '../domain/economics/index.js';
import { EstimateDto, ForecastQueryDto, WorkloadEconomicsQueryDto } from './economics.dto.js';
import { EconomicsService } from './economics.service.js';
import { SettingsRepository } from './settings.repository.js';

/** Snapshots younger than this are served as they are (the nightly job refreshes them). */
const SNAPSHOT_TTL_MS = 24 * 3_600_000;

@ApiTags('economics')
@ApiBearerAuth()
@Controller('v1')
export class EconomicsController {
  constructor(
    private readonly economics: EconomicsService,
    private readonly settings: SettingsRepository,
  ) {}

  @Post('economics/estimate')
  @HttpCode(200)
  @Requires('read')
  @ApiOperation({
    summary: 'What-if: the cost of serving these token volumes on open models (self-hosted per GPU x precision, cheapest first), managed open APIs and cheaper closed models, the crossover volume and every assumption used',
  })
  async estimate(@CurrentPrincipal() p: Principal, @Body() b: EstimateDto) {
    const ids = Array.isArray(b.openModel) ? b.openModel : [b.openModel];
    const avgIn = b.avgInputTokensPerRequest;
    const avgOut = b.avgOutputTokensPerRequest;
    const result = await this.economics.estimate(
      p.orgId,
      {
        openModelIds: ids,
        precision: b.precision as Precision | undefined,
        gpu: b.gpu,
        monthly: { inputTokens: b.monthlyInputTokens, outputTokens: b.monthlyOutputTokens, cachedInputTokens: b.monthlyCachedInputTokens },
        avgTokensPerRequest: avgIn !== undefined || avgOut !== undefined ? (avgIn ?? 0) + (avgOut ?? 0) : undefined,
        peakToAverage: b.peakToAverage,
        current: { modelId: b.currentModel, actualMonthlySpendUsd: b.currentMonthlySpendUsd },
      },
      b.assumptions as AssumptionOverrides | undefined,
    );
    return toJson(result);
  }

  @Get('workloads/:slug/economics')
  @Requires('read')
  @ApiOperation({ summary: "The same estimate fed by the workload's real hourly usage (window, default 28 days), with current spend and sensitivity; served from the last snapshot (asOf) unless refresh=true" })
  async workload(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Query() q: WorkloadEconomicsQueryDto) {
    const windowDays = Number((q.window ?? '28d').slice(0, -1));
    const scope = `${slug}|${windowDays}|${(q.openModels ?? []).join(',')}`;
    if (q.refresh !== 'true') {
      const snap = await this.settings.snapshot(p.orgId, 'workload-economics', scope);
      if (snap && Date.now() - snap.createdAt.getTime() < SNAPSHOT_TTL_MS) return { asOf: snap.createdAt.toISOString(), ...(snap.data as object) };
    }
    const data = toJson(await this.economics.workloadEconomics(p.orgId, slug, { windowDays, openModels: q.openModels }));
    const saved = await this.settings.saveSnapshot(p.orgId, 'workload-economics', scope, data);
    return { asOf: saved.createdAt.toISOString(), ...(data as object) };
  }

  @Get('forecast')
  @Requires('read')
  @ApiOperation({ summary: 'Monthly spend projection (1-12 months) with a p10-p90 band and the backtest error (MAPE on the last 28 days); per workload with groupBy=workload' })
  async forecast(@CurrentPrincipal() p: Principal, @Query() q: ForecastQueryDto) {
    return toJson(await this.economics.forecast(p.orgId, q.horizonMonths ?? 6, q.groupBy));
  }

  @Get('settings/assumptions')
  @Requires('read')
  @ApiOperation({ summary: "The cost assumptions in force for your organisation (defaults merged with your overrides), each with its origin" })
  getAssumptions(@CurrentPrincipal() p: Principal) {
    return this.economics.getAssumptions(p.orgId);
  }

  @Patch('settings/assumptions')
  @Requires('finance')
  @ApiOperation({
    summary: 'Override assumptions (finance, admin, owner): e.g. {"engineerMonthlyCostUsd": "18000", "teamMaturity": "strong", "gpuPriceOverrides": {"H100-80GB-SXM": {"onDemand": "3.29"}}, "targetUtilisation": 0.7, "redundancyReplicas": 1, "migrationWeeks": {"integration": 3}, "precisions": ["fp8"]}; null removes an override',
  })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  patchAssumptions(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.economics.patchAssumptions(p.orgId, body);
  }
}

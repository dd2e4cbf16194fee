import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ETagged } from '../infra/http/conventions.js';
import { AssumptionsDto, ComparisonDto, EconomicsEstimateDto, IslOslDto, OptionCrossoverDto, SpendForecastDto, TokenRangeDto } from './economics.responses.js';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';
import { refuseUnsafeBody } from '../common/validation.js';
import { toJson } from '../common/json.js';
import type { AssumptionOverrides, Precision } from '../domain/economics/index.js';
import { EstimateDto, ForecastQueryDto } from './economics.dto.js';
import { EconomicsService } from './economics.service.js';

@ApiTags('economics')
// Referenced only where they may be null (ApiNullableRef in economics.responses.ts).
@ApiExtraModels(ComparisonDto, OptionCrossoverDto, IslOslDto, TokenRangeDto)
@ApiBearerAuth()
@Controller('v1')
export class EconomicsController {
  constructor(private readonly economics: EconomicsService) {}

  @Post('economics/estimate')
  @HttpCode(200)
  @Requires('read')
  @ApiOkResponse({ type: EconomicsEstimateDto })
  @ApiOperation({
    summary: 'What-if cost of serving these token volumes on open and cheaper models',
    description:
      'Open models self-hosted (per GPU x precision, cheapest first), managed open APIs and cheaper closed models, against today; the crossover volume and every assumption used. Creates nothing.',
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
        latencyTargetP95Ms: b.latencyTargetP95Ms,
        latencyTolerance: b.latencyTolerance,
        current: { modelId: b.currentModel, actualMonthlySpendUsd: b.currentMonthlySpendUsd },
      },
      b.assumptions as AssumptionOverrides | undefined,
    );
    return toJson(result);
  }

  @Get('forecast')
  @Requires('read')
  @ETagged()
  @ApiOkResponse({ type: SpendForecastDto })
  @ApiOperation({
    summary: 'Monthly spend projection with a p10-p90 band',
    description:
      '1-12 months from the current month: token volume on a damped, capped trend x the price in force (cost per token of the last 7 days), p10-p90 band calibrated by a rolling-origin backtest (MAPE at 1, 4 and 12 weeks); days before asOf (the request time) are actuals; per workload with groupBy=workload; hours still waiting for their rollup are rolled up first and dataFreshness says if any remain',
  })
  async forecast(@CurrentPrincipal() p: Principal, @Query() q: ForecastQueryDto) {
    return toJson(await this.economics.freshForecast(p.orgId, q.horizonMonths ?? 6, q.groupBy));
  }

  @Get('settings/assumptions')
  @Requires('read')
  @ApiOkResponse({ type: AssumptionsDto })
  @ApiOperation({ summary: 'The cost assumptions in force for your organisation', description: 'Defaults merged with your overrides, each value with its origin' })
  getAssumptions(@CurrentPrincipal() p: Principal) {
    return this.economics.getAssumptions(p.orgId);
  }

  @Patch('settings/assumptions')
  @Requires('finance')
  @ApiOkResponse({ type: AssumptionsDto, description: 'The assumptions in force after the change' })
  @ApiOperation({
    summary: 'Override cost assumptions',
    description: 'Finance, admin or owner. A partial update merged into the overrides, e.g. {"engineerMonthlyCostUsd": "18000", "teamMaturity": "strong", "gpuPriceOverrides": {"H100-80GB-SXM": {"marketOnDemand": "3.29"}}, "priceTier": "committed1y", "gpuProvider": "lambda", "targetUtilisation": 0.7, "redundancyReplicas": 1, "migrationWeeks": {"integration": 3}, "precisions": ["fp8"]}; null removes an override',
  })
  @ApiBody({
    description: 'Any keys of the assumption values (nested objects partial); null removes an override',
    schema: { type: 'object', additionalProperties: true, example: { engineerMonthlyCostUsd: '18000', teamMaturity: 'strong', gpuPriceOverrides: { 'H100-80GB-SXM': { marketOnDemand: '3.29' } } } },
  })
  patchAssumptions(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    refuseUnsafeBody(body);
    return this.economics.patchAssumptions(p.orgId, body);
  }
}

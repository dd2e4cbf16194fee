// The answers of the economics API: a what-if estimate (EconomicsEstimateDto, also the body of a workload's
// economics), the spend forecast and the cost assumptions. Decimals of the domain (decimal.js) go out as
// decimal strings; ratios, rates and capacities as JSON numbers.
import type { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, getSchemaPath, type ApiPropertyOptions } from '@nestjs/swagger';
import { ApiMoney, ApiMoneyNullable, ApiMoneyOptional, ApiNullableRef } from '../common/api-contract.js';
import { PRECISIONS } from '../domain/economics/types.js';
import { DataFreshnessDto } from '../metering/admin-jobs.responses.js';

// The domain names these closed sets as type unions only; listed here once for the document.
const GPU_PRICE_TIERS = ['marketOnDemand', 'hyperscalerOnDemand', 'committed1y', 'spot'];
const SCALING_MODES = ['always-on', 'scaled'];
const CROSSOVER_STATUSES = ['crosses', 'always_cheaper', 'never_below_max'];
const TEAM_MATURITIES = ['none', 'some', 'strong'];
const DATE_TIME = { type: 'string', format: 'date-time' } as const;
const NUMBER_OR_NULL = { type: 'number', nullable: true } as const;
const STRING_OR_NULL = { type: 'string', nullable: true } as const;
// A nullable enum is inline with null among its values (OpenAPI 3.0.3): a named enum is a $ref, which null cannot match.
const NULLABLE_PRECISION = { type: 'string', enum: [...PRECISIONS, null], nullable: true } as const;


export class MemoryBreakdownDto {
  @ApiProperty({ example: 35, description: 'Weights on this GPU (GB)' }) weightsGB: number;
  @ApiProperty({ example: 3.93, description: 'KV cache pool on this GPU (GB)' }) kvCacheGB: number;
  @ApiProperty({ example: 0, description: 'Encoder activations (GB); 0 for decoders' }) activationsGB: number;
  @ApiProperty({ example: 2 }) workspaceGB: number;
  @ApiProperty({ example: 40.93 }) totalGB: number;
  @ApiProperty({ example: 72, description: 'GPU memory x the utilisation cap (GB)' }) usableGB: number;
  @ApiProperty({ example: 31.07, description: 'usable - total (GB); negative when it does not fit' }) headroomGB: number;
}

export class OptionPriceDto {
  @ApiProperty({ enum: GPU_PRICE_TIERS, enumName: 'GpuPriceTier', example: 'marketOnDemand' }) tier: string;
  @ApiMoney({ example: '3.84', description: 'USD per GPU-hour' }) usdPerGpuHour: string;
  @ApiProperty({ ...STRING_OR_NULL, example: 'lambda', description: 'Provider whose offer set the price; null for a cross-provider figure or an org override' }) provider: string | null;
  @ApiProperty({ type: [String], example: ['market_compux_2026_03', 'aws_cut_2025'] }) sourceIds: string[];
  @ApiProperty({ ...STRING_OR_NULL, example: '2026-06-30', description: 'Date of the newest offer behind the figure; null when unknown or an org override' }) asOf: string | null;
  @ApiProperty({ example: 'median of 12 on-demand offers dated 2026-03..2026-06-30 (AWS, Azure, Lambda, Modal, Replicate, RunPod)' }) basis: string;
}

export class CapacityShapeDto {
  @ApiProperty({ example: 1600, description: 'Average input tokens per request' }) inputTokens: number;
  @ApiProperty({ example: 400, description: 'Average output tokens per request' }) outputTokens: number;
}

export class FittedParametersDto {
  @ApiProperty({ example: 0.509, description: 'Fraction of peak TFLOPS reached by prefill and decode' }) prefillEfficiency: number;
  @ApiProperty({ example: 0.679, description: 'Fraction of peak memory bandwidth reached by decode' }) decodeBandwidthEfficiency: number;
  @ApiProperty({ example: 31 }) fittedOnPoints: number;
  @ApiProperty({ enum: ['trtllm', 'nim', 'vllm'], enumName: 'EngineClass', example: 'trtllm' }) engine: string;
  @ApiProperty({ example: 1.001 }) engineFactor: number;
  @ApiProperty({ example: 1.161 }) groupFactor: number;
  @ApiProperty({ ...STRING_OR_NULL, example: 'llama-3.3-70b-instruct|H100-80GB-SXM|fp8|trtllm', description: 'The calibrated group used; null when none is near' }) group: string | null;
}

export class IslOslDto {
  @ApiProperty({ example: 1000, description: 'Input tokens per request' }) input: number;
  @ApiProperty({ example: 1000, description: 'Output tokens per request' }) output: number;
}

export class CalibrationPointDto {
  @ApiProperty({ example: 'Llama-3.3-70B-Instruct' }) model: string;
  @ApiProperty({ example: 'H100-80GB-SXM' }) gpu: string;
  @ApiProperty({ example: 2, description: 'GPUs' }) count: number;
  @ApiProperty({ ...NULLABLE_PRECISION, example: 'fp8' }) precision: string | null;
  @ApiNullableRef(IslOslDto, { description: 'Input/output tokens per request of the measurement; null when the source did not say' }) islOsl: IslOslDto | null;
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'string', enum: ['saturated'] }], example: 'saturated' } as ApiPropertyOptions) concurrency: number | string;
  @ApiProperty({ example: 'TensorRT-LLM (PyTorch backend)' }) engine: string;
  @ApiProperty({ example: 'trtllm_perf' }) source: string;
  @ApiProperty({ example: 4205, description: 'Output tokens/s measured for the whole replica' }) measuredTokPerSec: number;
}

export class OptionCapacityDto {
  @ApiProperty({ example: 2.87, description: 'Requests/s one replica serves within the latency target' }) requestsPerSec: number;
  @ApiProperty({ example: 1146.02, description: 'Output tokens/s per replica' }) tokensPerSec: number;
  @ApiProperty({ example: 4584.08, description: 'Input tokens/s per replica' }) inputTokensPerSec: number;
  @ApiProperty({ example: 5.97, description: 'Sequences in flight per replica in the peak hour' }) concurrency: number;
  @ApiProperty({ example: 28.65, description: 'Most sequences per replica within the latency target, the KV pool and the engine cap' }) maxConcurrency: number;
  @ApiProperty({ enum: ['latency', 'memory', 'engine'], enumName: 'CapacityBound', example: 'latency' }) boundBy: string;
  @ApiPropertyOptional({ example: 12551.4, description: 'p95 time per request (ms) expected at the planned concurrency' }) expectedP95LatencyMs?: number;
  @ApiProperty({ example: 20000 }) latencyTargetP95Ms: number;
  @ApiProperty({ type: CapacityShapeDto }) shape: CapacityShapeDto;
  @ApiProperty({ enum: ['measured', 'estimated'], enumName: 'CapacitySource', example: 'measured' }) source: string;
  @ApiProperty({ enum: ['calibrated-group', 'nearest-group', 'physics'], enumName: 'CapacityBasis', example: 'calibrated-group' }) basis: string;
  @ApiProperty({ type: FittedParametersDto }) fitted: FittedParametersDto;
  @ApiProperty({ type: [CalibrationPointDto], description: 'Measured points behind the estimate (empty: physics only)' }) calibrationPoints: CalibrationPointDto[];
  @ApiProperty({ type: [String], example: ['28 concurrent sequences (bound by latency) at 1600 in / 400 out tokens per request'] }) notes: string[];
}

/** An alternative against today's monthly cost. */
export class ComparisonDto {
  @ApiMoney({ example: '8450.00', description: 'USD/month for the alternative' }) monthlyCostUsd: string;
  @ApiMoney({ example: '1550.00', description: "Today's monthly cost minus the alternative's; negative: more expensive" }) monthlySavingsUsd: string;
  @ApiProperty({ ...NUMBER_OR_NULL, example: 0.155, description: "Savings as a fraction of today's cost; null when today costs nothing" }) savingsFraction: number | null;
  @ApiMoney({ example: '13846.153846', description: 'One-off migration cost' }) migrationCostUsd: string;
  @ApiProperty({ ...NUMBER_OR_NULL, example: 8.93, description: 'Months until the migration pays back; null when it never does' }) breakEvenMonths: number | null;
  @ApiProperty({ ...STRING_OR_NULL, example: 'costs more per month than today: migration never pays back', description: 'Why there is no break-even' }) breakEvenReason: string | null;
}

export class TokenRangeDto {
  @ApiProperty({ example: 1_000_000, description: 'Tokens/month' }) min: number;
  @ApiProperty({ example: 10_000_000_000_000, description: 'Tokens/month' }) max: number;
}

export class OptionCrossoverDto {
  @ApiProperty({ ...NUMBER_OR_NULL, example: 6_500_280_000, description: "Tokens/month where this option's TCO meets the API's cost; null unless status is crosses" }) monthlyTokens: number | null;
  @ApiProperty({ enum: CROSSOVER_STATUSES, enumName: 'OptionCrossoverStatus', example: 'crosses' }) status: string;
  @ApiProperty({ example: "gpt-4o at today's cost per token" }) against: string;
  @ApiProperty({ type: TokenRangeDto }) searchedTokens: TokenRangeDto;
}

export class OptionCrossoversDto {
  @ApiNullableRef(OptionCrossoverDto, { description: "Against today's API; null when there is nothing to compare with" }) vsCurrent: OptionCrossoverDto | null;
  @ApiNullableRef(OptionCrossoverDto, { description: 'Against the cheapest managed API serving the same open model' }) vsManagedOpen: OptionCrossoverDto | null;
}

export class SelfHostOptionDto {
  @ApiProperty({ example: 'llama-3.3-70b-instruct|H100-80GB-SXM|fp8', description: 'model|gpu|precision' }) id: string;
  @ApiProperty({ example: 'llama-3.3-70b-instruct' }) modelId: string;
  @ApiProperty({ example: 'H100-80GB-SXM' }) gpuId: string;
  @ApiProperty({ enum: PRECISIONS, enumName: 'Precision', example: 'fp8' }) precision: string;
  @ApiProperty({ example: 2 }) tensorParallel: number;
  @ApiProperty({ type: MemoryBreakdownDto }) memoryPerGpu: MemoryBreakdownDto;
  @ApiProperty({ example: 2, description: 'Peak replicas' }) replicas: number;
  @ApiProperty({ example: 2, description: 'Mean replicas over the month' }) averageReplicas: number;
  @ApiProperty({ type: 'integer', example: 4, description: 'GPUs at peak (replicas x tensorParallel)' }) gpuCount: number;
  @ApiProperty({ enum: SCALING_MODES, enumName: 'ScalingMode', example: 'always-on' }) scaling: string;
  @ApiProperty({ example: 2920 }) gpuHoursPerMonth: number;
  @ApiProperty({ enum: GPU_PRICE_TIERS, enumName: 'GpuPriceTier', example: 'marketOnDemand', description: 'Kept for compatibility: price.tier' }) priceTier: string;
  @ApiMoney({ example: '3.84', description: 'Kept for compatibility: price.usdPerGpuHour' }) hourlyPriceUsd: string;
  @ApiProperty({ type: OptionPriceDto }) price: OptionPriceDto;
  @ApiMoney({ example: '11212.8', description: 'USD/month' }) gpuCostUsd: string;
  @ApiMoney({ example: '7500', description: 'USD/month' }) peopleCostUsd: string;
  @ApiMoney({ example: '1121.28', description: 'USD/month' }) overheadUsd: string;
  @ApiMoney({ example: '19834.08', description: 'Total cost of ownership, USD/month' }) tcoUsd: string;
  @ApiMoneyNullable({ example: '7.933632', description: 'TCO per 1M tokens served' }) costPerMTokUsd: string | null;
  @ApiProperty({ example: 0.083, description: 'Average demand / provisioned capacity (0-1)' }) utilisation: number;
  @ApiProperty({ type: OptionCapacityDto }) capacity: OptionCapacityDto;
  @ApiNullableRef(ComparisonDto, { description: "null when today's cost is unknown" }) vsCurrent: ComparisonDto | null;
  @ApiPropertyOptional({ type: OptionCrossoversDto }) crossover?: OptionCrossoversDto;
  @ApiProperty({ type: [String], example: ['fp8 tensor cores: 1979 dense fp8 TFLOPS x 2'] }) notes: string[];
}

export class InfeasibleOptionDto {
  @ApiProperty({ example: 'llama-3.3-70b-instruct' }) modelId: string;
  @ApiProperty({ ...STRING_OR_NULL, example: 'L40S-48GB' }) gpuId: string | null;
  @ApiProperty({ ...NULLABLE_PRECISION, example: 'bf16' }) precision: string | null;
  @ApiProperty({ example: 'multi-node: needs 4 GPUs (L40S-48GB is PCIe-only: tensor parallelism capped at 2)' }) reason: string;
  @ApiPropertyOptional({ ...NUMBER_OR_NULL, example: 4 }) gpusNeeded?: number | null;
}

export class CurrentCostDto {
  @ApiProperty({ ...STRING_OR_NULL, example: 'gpt-4o' }) modelId: string | null;
  @ApiMoneyNullable({ example: '10000', description: "Today's monthly cost; null when neither spend nor a price is known" }) monthlyCostUsd: string | null;
  @ApiProperty({ enum: ['actual-spend', 'list-price', 'unknown'], enumName: 'CurrentCostBasis', example: 'list-price' }) basis: string;
  @ApiMoneyNullable({ example: '10000', description: 'At list price when a price is known' }) listPriceCostUsd: string | null;
  @ApiProperty({ type: [String], example: ['actual spend given: list price shown for reference'] }) notes: string[];
}

export class TierOfferDto {
  @ApiProperty({ example: 0.5, description: 'Fraction off standard prices' }) discountFraction: number;
  @ApiProperty({ example: 'openai_batch_api' }) source: string;
  @ApiProperty({ ...STRING_OR_NULL, example: '2026-07-24' }) asOf: string | null;
  @ApiProperty({ ...STRING_OR_NULL, example: 'within 24 hours' }) turnaround: string | null;
}

export class ApiAlternativeDto {
  @ApiProperty({ example: 'deepinfra' }) provider: string;
  @ApiProperty({ example: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', description: "The provider's model name" }) model: string;
  @ApiProperty({ ...STRING_OR_NULL, example: 'llama-3.3-70b-instruct', description: 'Catalog id' }) modelId: string | null;
  @ApiProperty({ enum: ['standard', 'batch', 'flex'], enumName: 'ApiServiceTier', example: 'standard' }) tier: string;
  @ApiMoney({ example: '455' }) monthlyCostUsd: string;
  @ApiMoneyNullable({ example: '0.182' }) costPerMTokUsd: string | null;
  @ApiProperty({ ...STRING_OR_NULL, example: 'litellm_main_mirror', description: 'Source id of the per-token price' }) source: string | null;
  @ApiProperty({ ...STRING_OR_NULL, example: '2026-07-24' }) asOf: string | null;
  @ApiPropertyOptional({ type: TierOfferDto, description: 'batch / flex: the discount and its source' }) offer?: TierOfferDto;
  @ApiPropertyOptional({ example: false, description: "Today's model itself on a cheaper tier" }) isCurrentModel?: boolean;
  @ApiNullableRef(ComparisonDto, { description: "null when today's cost is unknown" }) vsCurrent: ComparisonDto | null;
  @ApiProperty({ type: [String], example: ['quality not compared: check benchmarks sharing a key and source'] }) notes: string[];
}

export class CrossoverOptionDto {
  @ApiProperty({ example: 'llama-3.3-70b-instruct|H200-141GB-SXM|fp8' }) optionId: string;
  @ApiProperty({ example: 4 }) replicas: number;
}

export class CrossoverResultDto {
  @ApiProperty({ enum: [...CROSSOVER_STATUSES, 'unavailable'], enumName: 'CrossoverStatus', example: 'crosses' }) status: string;
  @ApiProperty({ ...NUMBER_OR_NULL, example: 6_247_335_000, description: 'Tokens/month where self-hosting gets cheaper; null unless status is crosses' }) monthlyTokens: number | null;
  @ApiMoneyOptional({ example: '24989.34', description: 'With crosses: the API cost at that volume (USD/month)' }) apiCostUsd?: string;
  @ApiMoneyOptional({ example: '24989.34', description: 'With crosses: the self-host TCO at that volume (USD/month)' }) selfHostCostUsd?: string;
  @ApiPropertyOptional({ type: CrossoverOptionDto, description: 'With crosses: the cheapest option at that volume' }) option?: CrossoverOptionDto;
  @ApiProperty({ ...STRING_OR_NULL, example: 'never crosses below 10T tokens/month', description: 'null with crosses' }) reason: string | null;
  @ApiNullableRef(TokenRangeDto, { description: 'null when unavailable before any search' }) searchedTokens: TokenRangeDto | null;
}

export class SensitivityRowDto {
  @ApiProperty({ example: 'volume x2' }) scenario: string;
  @ApiProperty({ example: 2 }) volumeFactor: number;
  @ApiProperty({ example: 1 }) gpuPriceFactor: number;
  @ApiMoneyNullable({ example: '20000', description: 'USD/month' }) currentMonthlyUsd: string | null;
  @ApiProperty({ ...STRING_OR_NULL, example: 'llama-3.3-70b-instruct|H100-80GB-SXM|fp8' }) bestOptionId: string | null;
  @ApiMoneyNullable({ example: '19834.08', description: 'USD/month' }) selfHostTcoUsd: string | null;
  @ApiMoneyNullable({ example: '165.92', description: 'Today minus best self-host (USD/month)' }) monthlySavingsUsd: string | null;
  @ApiProperty({ ...NUMBER_OR_NULL, example: 83.45 }) breakEvenMonths: number | null;
  @ApiProperty({ ...STRING_OR_NULL, example: null }) breakEvenReason: string | null;
}

export class LoadDto {
  @ApiProperty({ example: 951.29, description: 'Output-equivalent tokens/s' }) averageTokPerSec: number;
  @ApiProperty({ example: 1902.59 }) peakTokPerSec: number;
  @ApiProperty({ example: 4000, description: 'An estimate: input plus output tokens of a request at the 95th percentile' }) p95ContextTokens: number;
  @ApiProperty({ example: 4 }) inputOutputRatio: number;
  @ApiProperty({ enum: ['hourly', 'peak-to-average'], enumName: 'LoadShape', example: 'peak-to-average' }) shape: string;
}

export class MigrationCostDto {
  @ApiMoney({ example: '13846.153846', description: 'One-off' }) selfHostUsd: string;
  @ApiMoney({ example: '6923.076923' }) managedOpenUsd: string;
  @ApiMoney({ example: '3461.538462' }) closedUsd: string;
  @ApiProperty({ example: 4 }) selfHostWeeks: number;
}

const ASSUMPTION_VALUE = {
  anyOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] } }],
  description: 'Decimals (money) as strings',
};

export class AssumptionRecordDto {
  @ApiProperty({ example: 'engineerMonthlyCostUsd', description: 'Dotted for nested values (migrationWeeks.integration)' }) key: string;
  @ApiProperty({ ...ASSUMPTION_VALUE, example: '20000' } as ApiPropertyOptions) value: string | number | boolean | (string | number)[] | null;
  @ApiProperty({ enum: ['default', 'org', 'request', 'reference'], enumName: 'AssumptionOrigin', example: 'org' }) origin: string;
  @ApiPropertyOptional({ ...STRING_OR_NULL, example: 'litellm_main_mirror', description: 'Reference source of a reference fact' }) sourceId?: string | null;
  @ApiPropertyOptional({ example: 'avgTokensPerRequest x p95ContextMultiplier, capped at each model window' }) note?: string;
}

/** What serving these volumes would cost on open models (self-hosted, managed) and cheaper closed ones. */
export class EconomicsEstimateDto {
  @ApiProperty({ type: [SelfHostOptionDto], description: 'Self-hosted per GPU x precision, cheapest first' }) options: SelfHostOptionDto[];
  @ApiProperty({ type: [InfeasibleOptionDto] }) infeasible: InfeasibleOptionDto[];
  @ApiProperty({ type: CurrentCostDto }) current: CurrentCostDto;
  @ApiProperty({ type: [ApiAlternativeDto], description: 'Managed APIs serving the open models' }) managedOpen: ApiAlternativeDto[];
  @ApiProperty({ type: [ApiAlternativeDto] }) cheaperClosed: ApiAlternativeDto[];
  @ApiProperty({ type: CrossoverResultDto, description: 'The volume where self-hosting gets cheaper than today' }) crossover: CrossoverResultDto;
  @ApiProperty({ type: [SensitivityRowDto] }) sensitivity: SensitivityRowDto[];
  @ApiProperty({ type: LoadDto }) load: LoadDto;
  @ApiProperty({ type: MigrationCostDto }) migration: MigrationCostDto;
  @ApiProperty({ type: [AssumptionRecordDto], description: 'Every assumption used, with its origin' }) assumptions: AssumptionRecordDto[];
  @ApiProperty({ type: [String], example: ['no hourly series: peak-to-average 2 assumed'] }) issues: string[];
  @ApiProperty({ type: [String], example: ['org "priceTier": onDemand is now marketOnDemand'], description: 'Assumption overrides ignored or mapped' }) assumptionIssues: string[];
}

// ---- GET /v1/forecast

export class MonthVolumeDto {
  @ApiProperty({ type: 'integer', example: 210_000_000, description: 'Tokens observed in the month before asOf' }) actualTokens: number;
  @ApiProperty({ example: 96_000_000, description: "Tokens forecast for the month's days from asOf on" }) forecastTokens: number;
  @ApiProperty({ example: 88_000_000, description: 'An estimate, not rounded' }) p10Tokens: number;
  @ApiProperty({ example: 105_000_000, description: 'An estimate, not rounded' }) p90Tokens: number;
}

export class MonthForecastDto {
  @ApiProperty({ example: '2026-12', description: 'YYYY-MM' }) month: string;
  @ApiMoney({ example: '1912.40', description: 'Actual spend so far plus the forecast for the remaining days' }) expectedUsd: string;
  @ApiMoney({ example: '1801.10' }) p10Usd: string;
  @ApiMoney({ example: '2050.75' }) p90Usd: string;
  @ApiMoney({ example: '0', description: 'Spend already observed in the month' }) actualToDateUsd: string;
  @ApiProperty({ example: 31, description: 'Days of the month from asOf on' }) forecastDays: number;
  @ApiProperty({ type: MonthVolumeDto, description: 'Tokens (USD when volumeBasis is spend)' }) volume: MonthVolumeDto;
  @ApiProperty({ example: 1.04, description: 'Forecast volume per day / trend level at asOf (1 = flat)' }) volumeGrowthFactor: number;
}

export class ActualMonthDto {
  @ApiProperty({ example: '2026-10' }) month: string;
  @ApiMoney({ example: '1735.95' }) actualUsd: string;
  @ApiProperty({ type: 'integer', example: 190_000_000 }) actualTokens: number;
  @ApiProperty({ example: 31, description: 'Days of the month inside the history' }) observedDays: number;
}

export class PriceInForceDto {
  @ApiMoneyNullable({ example: '8.25', description: "USD per 1M tokens in the window; null when volumeBasis is spend or the window has no tokens" }) usdPerMillionTokens: string | null;
  @ApiProperty({ ...NUMBER_OR_NULL, example: 0.86, description: 'Share of input tokens' }) inputShare: number | null;
  @ApiProperty({ ...STRING_OR_NULL, example: '2026-11-23' }) from: string | null;
  @ApiProperty({ ...STRING_OR_NULL, example: '2026-11-30' }) to: string | null;
  @ApiProperty({ example: 7 }) days: number;
  @ApiProperty({ example: 49_000_000 }) tokens: number;
  @ApiMoney({ example: '404.25' }) costUsd: string;
  @ApiProperty({ example: 'cost per token of the last 7 days that had tokens' }) rule: string;
}

export class DampingSourceDto {
  @ApiProperty({ example: 'damped-trend-phi-range' }) id: string;
  @ApiProperty({ example: 'https://real-statistics.com/time-series-analysis/basic-time-series-forecasting/holt-linear-trend/holts-linear-trend-with-damping' }) url: string;
  @ApiProperty({ example: 'damping parameter usually 0.80-0.98 (Gardner & McKenzie 1985 damped trend); 0.9 per month chosen' }) note: string;
  @ApiProperty({ example: '2026-12-01' }) retrieved: string;
}

export class DampingDto {
  @ApiProperty({ example: 0.9, description: 'Trend damping per month' }) perMonth: number;
  @ApiProperty({ type: DampingSourceDto }) source: DampingSourceDto;
}

export class GrowthCapDto {
  @ApiProperty({ example: 0.5 }) maxMonthlyRate: number;
  @ApiProperty({ example: -0.3 }) minMonthlyRate: number;
  @ApiProperty({ example: 3 }) maxHorizonFactor: number;
  @ApiProperty({ example: 0.33 }) minHorizonFactor: number;
  @ApiProperty({ example: 0.1, description: 'Fitted monthly growth before the cap (0.1 = +10%/month)' }) fittedMonthlyRate: number;
  @ApiProperty({ example: false }) monthlyCapApplied: boolean;
  @ApiProperty({ example: 'growth held within -30%..+50% a month (product policy, not measured)' }) note: string;
}

export class ActualOverForecastDto {
  @ApiProperty({ example: 0.93 }) p10: number;
  @ApiProperty({ example: 1.08 }) p90: number;
}

export class HorizonErrorDto {
  @ApiProperty({ example: 4 }) weeks: number;
  @ApiProperty({ example: 0.05, description: "MAPE of the horizon's total (0.05 = 5%)" }) error: number;
  @ApiProperty({ example: 12, description: 'Origins scored' }) origins: number;
  @ApiProperty({ example: 28 }) targetDays: number;
  @ApiProperty({ type: ActualOverForecastDto }) actualOverForecast: ActualOverForecastDto;
}

export class OmittedHorizonDto {
  @ApiProperty({ example: 12 }) weeks: number;
  @ApiProperty({ example: 'needs 3 origins with 12 weeks after 8 weeks of fit: 84 days of history are too few' }) reason: string;
}

export class ForecastBacktestDto {
  @ApiProperty({ ...NUMBER_OR_NULL, example: 0.05, description: "The 4-week horizon's error (MAPE); null when not scored" }) mape: number | null;
  @ApiProperty({ enum: ['MAPE'], example: 'MAPE' }) metric: string;
  @ApiProperty({ example: 28 }) holdoutDays: number;
  @ApiProperty({ ...STRING_OR_NULL, example: null, description: 'Why mape is null' }) reason: string | null;
  @ApiProperty({ type: [HorizonErrorDto] }) horizons: HorizonErrorDto[];
  @ApiProperty({ type: [OmittedHorizonDto] }) omitted: OmittedHorizonDto[];
  @ApiProperty({ enum: ['backtest', 'in-sample-residuals'], enumName: 'ForecastBand', example: 'backtest' }) band: string;
  @ApiProperty({ example: 'p10/p90 from the rolling-origin backtest at each horizon' }) bandNote: string;
}

export const FORECAST_METHODS = ['damped-log-linear-trend x day-of-week', 'flat-mean x day-of-week', 'flat-mean', 'all-zero', 'none'];

export class ForecastResultDto {
  @ApiProperty({ ...STRING_OR_NULL, example: '2026-12-01', description: 'Day the forecast starts (days before are actuals)' }) asOfDate: string | null;
  @ApiProperty({ type: [MonthForecastDto] }) months: MonthForecastDto[];
  @ApiProperty({ type: [ActualMonthDto], description: "Months wholly before asOf's month" }) actualMonths: ActualMonthDto[];
  @ApiProperty({ enum: FORECAST_METHODS, enumName: 'ForecastMethod', example: 'damped-log-linear-trend x day-of-week' }) method: string;
  @ApiProperty({ example: 'tokens/day on a damped log-linear trend x day-of-week factors, priced at the cost per token in force' }) methodDescription: string;
  @ApiProperty({ enum: ['tokens', 'spend'], enumName: 'VolumeBasis', example: 'tokens' }) volumeBasis: string;
  @ApiProperty({ type: PriceInForceDto }) priceInForce: PriceInForceDto;
  @ApiProperty({ type: DampingDto }) damping: DampingDto;
  @ApiProperty({ type: GrowthCapDto }) growthCap: GrowthCapDto;
  @ApiProperty({ type: ForecastBacktestDto }) backtest: ForecastBacktestDto;
  @ApiProperty({ example: 84 }) historyDays: number;
  @ApiProperty({ example: 0.1, description: 'Volume growth per month at asOf (0.1 = +10%/month)' }) monthlyGrowthRate: number;
  @ApiProperty({ type: [Number], example: [0.82, 1.05, 1.08, 1.07, 1.06, 1.03, 0.89], description: 'Weekday multipliers, index 0 = Sunday (UTC)' }) dayOfWeekFactors: number[];
  @ApiProperty({ type: [String], example: [] }) issues: string[];
}

export class SpendForecastDto {
  @ApiProperty({ ...DATE_TIME, example: '2026-12-01T09:30:00.000Z', description: 'The request time: days before its UTC day are actuals' }) asOf: string;
  @ApiProperty({ example: 6, minimum: 1, maximum: 12 }) horizonMonths: number;
  @ApiProperty({ type: ForecastResultDto }) organisation: ForecastResultDto;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(ForecastResultDto) },
    description: 'With groupBy=workload: the forecast of each workload, by slug (each shaped like `organisation`)',
  })
  workloads?: Record<string, ForecastResultDto>;
  @ApiProperty({ type: DataFreshnessDto }) dataFreshness: DataFreshnessDto;
}

// ---- GET/PATCH /v1/settings/assumptions

export class MigrationWeeksDto {
  @ApiProperty({ example: 2 }) evaluation: number;
  @ApiProperty({ example: 3 }) integration: number;
  @ApiProperty({ example: 4 }) fineTuning: number;
}

export class EngineerFractionDto {
  @ApiProperty({ example: 1 }) none: number;
  @ApiProperty({ example: 0.5 }) some: number;
  @ApiProperty({ example: 0.25 }) strong: number;
}

export class AssumptionValuesDto {
  @ApiProperty({ example: 0.9 }) gpuMemoryUtilization: number;
  @ApiProperty({ example: 2, description: 'GB' }) workspaceGBPerGpu: number;
  @ApiProperty({ enum: ['bf16', 'fp8'], enumName: 'KvPrecision', example: 'bf16' }) kvCachePrecision: string;
  @ApiProperty({ enum: PRECISIONS, enumName: 'Precision', isArray: true, example: ['bf16', 'fp8'] }) precisions: string[];
  @ApiProperty({ example: true }) includeNativePrecision: boolean;
  @ApiProperty({ example: 2 }) p95ContextMultiplier: number;
  @ApiProperty({ example: 2000 }) defaultAvgTokensPerRequest: number;
  @ApiProperty({ example: 20000 }) latencyTargetP95Ms: number;
  @ApiProperty({ example: 0.7 }) targetUtilisation: number;
  @ApiProperty({ example: 1 }) redundancyReplicas: number;
  @ApiProperty({ ...NUMBER_OR_NULL, example: null, description: 'null = 1 + redundancy' }) minReplicas: number | null;
  @ApiProperty({ enum: SCALING_MODES, enumName: 'ScalingMode', example: 'always-on' }) scaling: string;
  @ApiProperty({ example: 2 }) peakToAverage: number;
  @ApiProperty({ example: 730 }) hoursPerMonth: number;
  @ApiProperty({ enum: GPU_PRICE_TIERS, enumName: 'GpuPriceTier', example: 'committed1y' }) priceTier: string;
  @ApiProperty({ ...STRING_OR_NULL, example: 'lambda', description: 'Preferred GPU cloud; null = market figures' }) gpuProvider: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' } },
    example: { 'H100-80GB-SXM': { marketOnDemand: '3.29' } },
    description: 'By GPU id: USD per GPU-hour by price tier (decimal strings)',
  })
  gpuPriceOverrides: Record<string, Record<string, string>>;
  @ApiProperty({ enum: TEAM_MATURITIES, enumName: 'TeamMaturity', example: 'strong' }) teamMaturity: string;
  @ApiProperty({ type: EngineerFractionDto, description: 'Engineers (FTE) per self-hosted deployment, by team maturity' }) engineerFractionByMaturity: EngineerFractionDto;
  @ApiMoney({ example: '18000', description: 'Loaded cost of one engineer, USD/month' }) engineerMonthlyCostUsd: string;
  @ApiProperty({ example: 0.1 }) overheadFraction: number;
  @ApiProperty({ type: MigrationWeeksDto }) migrationWeeks: MigrationWeeksDto;
  @ApiProperty({ example: false }) fineTune: boolean;
  @ApiProperty({ example: 4.333 }) weeksPerMonth: number;
  @ApiProperty({ type: 'integer', example: 1_000_000 }) crossoverMinTokens: number;
  @ApiProperty({ type: 'integer', example: 10_000_000_000_000 }) crossoverMaxTokens: number;
  @ApiProperty({ type: [Number], example: [0.5, 2, 5] }) sensitivityVolumeFactors: number[];
  @ApiProperty({ type: [Number], example: [0.5, 1.5] }) sensitivityGpuPriceFactors: number[];
}

export class AssumptionsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { engineerMonthlyCostUsd: '18000', teamMaturity: 'strong' },
    description: "The org's overrides as saved (any key of values, nested objects partial); legacy tier names are kept as saved and mapped in values",
  })
  overrides: Record<string, unknown>;
  @ApiProperty({ type: AssumptionValuesDto, description: 'Defaults merged with the overrides' }) values: AssumptionValuesDto;
  @ApiProperty({ type: [AssumptionRecordDto], description: 'Each value with its origin' }) records: AssumptionRecordDto[];
  @ApiProperty({ ...DATE_TIME, nullable: true, example: '2026-11-30T14:05:12.000Z', description: 'Last change of any org setting; null when never set' }) updatedAt: string | null;
}

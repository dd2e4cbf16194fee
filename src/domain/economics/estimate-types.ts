import type { Decimal } from 'decimal.js';
import type { AssumptionRecord, PriceTier, ScalingMode } from './assumptions.js';
import type { CalibrationPointRef, CapacityEstimate, FittedParameters } from './capacity.js';
import type { Comparison } from './compare.js';
import type { CrossoverResult } from './crossover.js';
import type { HourlyTokens, LoadProfile } from './load.js';
import type { SensitivityRow } from './sensitivity.js';
import type { MemoryBreakdown } from './sizing.js';
import type { ApiPrice, Precision, ThroughputPoint, TokenVolumes } from './types.js';

// Shapes of estimateEconomics and of its parts, apart from estimate.ts so the part files need not import it.

export interface EconomicsInput {
  /** Catalog ids of the open model(s) to evaluate (case-insensitive). */
  openModelIds: string[];
  /** Precision(s) to evaluate; default: assumptions.precisions (+ the model's native precision). */
  precision?: Precision | Precision[];
  /** GPU id(s) to evaluate; default: every catalog GPU. */
  gpu?: string | string[];
  /** Monthly tokens (tokens/month); cachedInputTokens is a subset of inputTokens. */
  monthly: { inputTokens: number; outputTokens: number; cachedInputTokens?: number };
  /** Average tokens per request, input + output (tokens). */
  avgTokensPerRequest?: number;
  /** p95 tokens per request (input + output); default avgTokensPerRequest x p95ContextMultiplier. */
  p95ContextTokens?: number;
  /** Peak / average demand when no hourly series is given. */
  peakToAverage?: number;
  /** Hourly tokens; gives the shape (peak, daily profile) and is rescaled to the monthly volume. */
  hourly?: HourlyTokens[];
  /** Hour of day (0-23, UTC) of hourly[0]. */
  startHourOfDay?: number;
  /** p95 time per request the self-hosted replica must meet (ms); default the assumption latencyTargetP95Ms (20 s). */
  latencyTargetP95Ms?: number;
  /** 'batch' when nobody waits on each answer (results within hours are fine): batch and flex API tiers are then offered. Default 'interactive'. */
  latencyTolerance?: 'interactive' | 'batch';
  current: {
    modelId?: string;
    /** Request-supplied price; otherwise the catalog's list price for modelId. */
    price?: ApiPrice;
    /** Actual monthly spend (USD); when given it is today's cost. */
    actualMonthlySpendUsd?: Decimal.Value;
  };
}

export interface OptionCapacity {
  /** Requests/s one replica serves at the workload's shape within the latency target (requests/s). */
  requestsPerSec: number;
  /** Output tokens/s per replica at the workload's shape (tokens/s). */
  tokensPerSec: number;
  /** Input tokens/s per replica at the workload's shape (tokens/s). */
  inputTokensPerSec: number;
  /** Sequences in flight per replica in the peak hour (Little's law: arrival rate x time per request). */
  concurrency: number;
  /** Most sequences per replica within the latency target, the KV pool and the engine cap (sequences). */
  maxConcurrency: number;
  boundBy: CapacityEstimate['boundBy'];
  /** p95 time per request (ms) the capacity model expects at the planned peak-hour concurrency. */
  expectedP95LatencyMs?: number;
  /** p95 time per request the replica was sized for (ms). */
  latencyTargetP95Ms: number;
  /** Average input and output tokens per request the capacity is quoted at (tokens). */
  shape: { inputTokens: number; outputTokens: number };
  /** 'measured' when this (model, GPU, precision, engine) has reference points behind it, else 'estimated'. */
  source: 'measured' | 'estimated';
  basis: CapacityEstimate['basis'];
  fitted: FittedParameters;
  /** Measured points of the calibration group the estimate used (empty: physics only). */
  calibrationPoints: CalibrationPointRef[];
  notes: string[];
}

/** The GPU price an option is costed at, with where it came from. */
export interface OptionPrice {
  tier: PriceTier;
  /** USD per GPU-hour. */
  usdPerGpuHour: Decimal;
  /** Provider whose offer set the price; null for a cross-provider figure or an org override. */
  provider: string | null;
  sourceIds: string[];
  /** Date (YYYY-MM or YYYY-MM-DD) of the newest offer behind the figure; null when unknown or an org override. */
  asOf: string | null;
  basis: string;
}

/** crosses: self-host gets cheaper above monthlyTokens; always_cheaper: already cheaper at the bottom of the range; never_below_max: not cheaper anywhere up to the range's top. */
export type CrossoverStatus = 'crosses' | 'always_cheaper' | 'never_below_max';

export interface OptionCrossover {
  /** Tokens/month (input + output) where this option's TCO meets the API's cost; null unless status is 'crosses'. */
  monthlyTokens: number | null;
  status: CrossoverStatus;
  /** What the option was compared with, e.g. "gpt-4o at today's cost per token" or "groq llama-3.3-70b". */
  against: string;
  /** Search range (tokens/month) the status refers to. */
  searchedTokens: { min: number; max: number };
}

export interface SelfHostOption {
  /** "model|gpu|precision". */
  id: string;
  modelId: string;
  gpuId: string;
  precision: Precision;
  tensorParallel: number;
  memoryPerGpu: MemoryBreakdown;
  /** Peak replicas running (always-on: all month). */
  replicas: number;
  /** Mean replicas over the month. */
  averageReplicas: number;
  /** GPUs at peak = replicas x tensorParallel. */
  gpuCount: number;
  scaling: ScalingMode;
  gpuHoursPerMonth: number;
  /** Kept for compatibility: price.tier. */
  priceTier: PriceTier;
  /** Kept for compatibility: price.usdPerGpuHour (USD per GPU-hour). */
  hourlyPriceUsd: Decimal;
  price: OptionPrice;
  gpuCostUsd: Decimal;
  peopleCostUsd: Decimal;
  overheadUsd: Decimal;
  tcoUsd: Decimal;
  /** TCO per 1M tokens served (input + output). */
  costPerMTokUsd: Decimal | null;
  /** Average demand / provisioned capacity (0-1). */
  utilisation: number;
  capacity: OptionCapacity;
  vsCurrent: Comparison | null;
  /** Crossover against today's API and against the cheapest managed API serving the same open model; null when there is nothing to compare with. Undefined until the crossover work supplies it. */
  crossover?: { vsCurrent: OptionCrossover | null; vsManagedOpen: OptionCrossover | null };
  notes: string[];
}

export interface InfeasibleOption {
  modelId: string;
  gpuId: string | null;
  precision: Precision | null;
  reason: string;
  gpusNeeded?: number | null;
}

export interface CurrentCost {
  modelId: string | null;
  /** Today's monthly cost (USD); null when neither spend nor a price is known. */
  monthlyCostUsd: Decimal | null;
  basis: 'actual-spend' | 'list-price' | 'unknown';
  /** List-price cost (USD/month) when a price is known, even if actual spend is the basis. */
  listPriceCostUsd: Decimal | null;
  notes: string[];
}

export interface ApiAlternative {
  provider: string;
  model: string;
  modelId: string | null;
  /** Service tier priced: standard, or the provider's batch / flex discount (batch-tolerant workloads only). */
  tier: 'standard' | 'batch' | 'flex';
  monthlyCostUsd: Decimal;
  costPerMTokUsd: Decimal | null;
  /** Source id of the per-token price. */
  source: string | null;
  /** Date (ISO) of the price source, when known. */
  asOf: string | null;
  /** The tier discount (fraction off standard prices) and its source, for batch / flex. */
  offer?: { discountFraction: number; source: string; asOf: string | null; turnaround: string | null };
  /** True when this is today's model itself (on a cheaper tier). */
  isCurrentModel?: boolean;
  vsCurrent: Comparison | null;
  notes: string[];
}

export interface CrossoverOption {
  optionId: string;
  replicas: number;
}

export interface EconomicsResult {
  options: SelfHostOption[];
  infeasible: InfeasibleOption[];
  current: CurrentCost;
  managedOpen: ApiAlternative[];
  cheaperClosed: ApiAlternative[];
  crossover: CrossoverResult<CrossoverOption>;
  sensitivity: SensitivityRow[];
  load: {
    /** Output-equivalent tokens/s. */
    averageTokPerSec: number;
    peakTokPerSec: number;
    p95ContextTokens: number;
    inputOutputRatio: number;
    shape: 'hourly' | 'peak-to-average';
  };
  migration: { selfHostUsd: Decimal; managedOpenUsd: Decimal; closedUsd: Decimal; selfHostWeeks: number };
  assumptions: AssumptionRecord[];
  issues: string[];
}

/** The workload as every part of the estimate sees it: clamped volumes (tokens/month), load shape (requests/s), context (tokens), latency target (ms). */
export interface WorkloadFacts {
  volumes: TokenVolumes;
  monthlyTotal: number;
  inputOutputRatio: number;
  /** Average tokens per request, input + output (tokens). */
  avgTokensPerRequest: number;
  avgInputPerRequest: number;
  /** Average output tokens per request (tokens). */
  avgOutputPerRequest: number;
  /** p95 time per request self-hosted replicas must meet (ms). */
  latencyTargetP95Ms: number;
  explicitP95: number | null;
  derivedP95: number;
  profile: LoadProfile;
  shape: 'hourly' | 'peak-to-average';
  scaling: ScalingMode;
}

/** Compares a monthly cost (USD) plus a one-off migration (USD) with today's cost; null when today's cost is unknown. */
export type VsCurrent = (altUsd: Decimal, migrationUsd: Decimal) => Comparison | null;

import type { Decimal } from 'decimal.js';
import type { AssumptionRecord, PriceTier, ScalingMode } from './assumptions.js';
import type { CapacityEstimate } from './capacity.js';
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
  current: {
    modelId?: string;
    /** Request-supplied price; otherwise the catalog's list price for modelId. */
    price?: ApiPrice;
    /** Actual monthly spend (USD); when given it is today's cost. */
    actualMonthlySpendUsd?: Decimal.Value;
  };
}

export interface OptionCapacity {
  /** Output tokens/s per replica (the measured point's figure, unchanged, when measured). */
  tokensPerSec: number;
  /** Output-equivalent tokens/s per replica used for replica counts. */
  outputEquivalentTokensPerSec: number;
  source: CapacityEstimate['source'];
  basis: CapacityEstimate['basis'];
  point: ThroughputPoint | null;
  scaleFactor: number | null;
  /** p95 time per request (ms) the capacity model expects at the planned concurrency; undefined until the capacity model supplies it. */
  expectedP95LatencyMs?: number;
  notes: string[];
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
  priceTier: PriceTier;
  hourlyPriceUsd: Decimal;
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
  monthlyCostUsd: Decimal;
  costPerMTokUsd: Decimal | null;
  source: string | null;
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

/** The workload as every part of the estimate sees it: clamped volumes (tokens/month), load shape (tokens/s), context (tokens). */
export interface WorkloadFacts {
  volumes: TokenVolumes;
  monthlyTotal: number;
  inputOutputRatio: number;
  avgInputPerRequest: number;
  explicitP95: number | null;
  derivedP95: number;
  profile: LoadProfile;
  shape: 'hourly' | 'peak-to-average';
  scaling: ScalingMode;
}

/** Compares a monthly cost (USD) plus a one-off migration (USD) with today's cost; null when today's cost is unknown. */
export type VsCurrent = (altUsd: Decimal, migrationUsd: Decimal) => Comparison | null;

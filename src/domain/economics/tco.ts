import type { Decimal } from 'decimal.js';
import { Money } from '../money.js';
import type { GpuPriceOverride, PriceTier } from './assumptions.js';
import type { GpuSpec } from './types.js';

export type HourlyPrice =
  | { usdPerGpuHour: Decimal; tier: PriceTier; origin: 'org' | 'reference'; sourceId: string | null }
  | { usdPerGpuHour: null; tier: PriceTier; reason: string };

/** USD per GPU-hour for a tier: the org's override when set, else the catalog's (spot = midpoint of range). */
export function gpuHourlyPrice(gpu: GpuSpec, tier: PriceTier, override?: GpuPriceOverride | null): HourlyPrice {
  const o = override?.[tier];
  if (o !== undefined && o !== null) return { usdPerGpuHour: new Money(o), tier, origin: 'org', sourceId: null };
  const ref = gpu.hourlyUsd[tier];
  if (ref === null) return { usdPerGpuHour: null, tier, reason: `no ${tier} price for ${gpu.id} in the catalog; set an org override` };
  return { usdPerGpuHour: new Money(ref), tier, origin: 'reference', sourceId: gpu.source };
}

/** The price a self-host option uses for one replica of `gpuCount` GPUs: tier, provider, source and as-of date travel with it. */
export type ReplicaPrice =
  | {
      usdPerGpuHour: Decimal;
      tier: PriceTier;
      /** Provider whose offer set the price; null for a median across providers or an org override. */
      provider: string | null;
      origin: 'org' | 'reference';
      /** Reference source ids behind the figure (empty for an org override). */
      sourceIds: string[];
      /** Date (YYYY-MM or YYYY-MM-DD) of the newest offer behind the figure; null for an org override. */
      asOf: string | null;
      /** One line: how the figure was reached (e.g. "median of 7 on-demand offers 2025-06..2026-05"). */
      basis: string;
    }
  | { usdPerGpuHour: null; tier: PriceTier; reason: string };

/**
 * USD per GPU-hour for one replica of `gpuCount` GPUs under the org's price choice.
 * (Contract for the self-host options; the GPU-price work replaces this body with
 * market tiers, provider picks and multi-GPU instance prices.)
 */
export function replicaHourlyPrice(
  gpu: GpuSpec,
  gpuCount: number,
  choice: { tier: PriceTier; provider?: string | null },
  override?: GpuPriceOverride | null,
): ReplicaPrice {
  void gpuCount;
  const p = gpuHourlyPrice(gpu, choice.tier, override);
  if (p.usdPerGpuHour === null) return p;
  return {
    usdPerGpuHour: p.usdPerGpuHour,
    tier: p.tier,
    provider: null,
    origin: p.origin,
    sourceIds: p.sourceId === null ? [] : [p.sourceId],
    asOf: null,
    basis: gpu.priceBasis ?? '',
  };
}

export interface TcoInput {
  /** GPU-hours per month (GPUs x hours). */
  gpuHoursPerMonth: number;
  /** USD per GPU-hour. */
  usdPerGpuHour: Decimal.Value;
  /** Engineer FTE charged to this deployment. */
  engineerFraction: number;
  /** USD per engineer-month. */
  engineerMonthlyCostUsd: Decimal.Value;
  /** Fraction of GPU cost added for storage, egress, monitoring. */
  overheadFraction: number;
  /** Tokens served per month (input + output), for cost per 1M. */
  monthlyTokens: number;
}

export interface TcoBreakdown {
  gpuCostUsd: Decimal;
  peopleCostUsd: Decimal;
  overheadUsd: Decimal;
  tcoUsd: Decimal;
  /** TCO per 1M tokens served (input + output); null at zero volume. */
  costPerMTokUsd: Decimal | null;
}

/** Monthly TCO (USD) = GPU-hours x price + engineer fraction x monthly cost + overhead x GPU cost. */
export function monthlyTco(input: TcoInput): TcoBreakdown {
  const gpuCostUsd = new Money(input.gpuHoursPerMonth).mul(input.usdPerGpuHour);
  const peopleCostUsd = new Money(input.engineerFraction).mul(input.engineerMonthlyCostUsd);
  const overheadUsd = gpuCostUsd.mul(input.overheadFraction);
  const tcoUsd = gpuCostUsd.plus(peopleCostUsd).plus(overheadUsd);
  return {
    gpuCostUsd,
    peopleCostUsd,
    overheadUsd,
    tcoUsd,
    costPerMTokUsd: input.monthlyTokens > 0 ? tcoUsd.div(input.monthlyTokens).mul(1_000_000) : null,
  };
}

/** Utilisation achieved (0-1) = average demand / (capacity per replica x average replicas), all in tokens/s. */
export function achievedUtilisation(averageTokPerSec: number, capacityTokPerSec: number, averageReplicas: number): number {
  const provisioned = capacityTokPerSec * averageReplicas;
  return provisioned > 0 ? averageTokPerSec / provisioned : 0;
}

import type { Decimal } from 'decimal.js';
import { Money } from '../money.js';
import type { GpuPriceOverride, PriceTier } from './assumptions.js';
import { isMarketEligible, offerMatchesTier, tierPriceFromOffers } from './reference-adapter.js';
import type { GpuOffer, GpuSpec } from './types.js';

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

const usd = (d: Decimal) => `$${d.toFixed()}`;

/**
 * The instance a PCIe replica of `gpuCount` GPUs has to be bought as: tensor
 * parallelism needs all GPUs in one server, so four single-GPU instances are
 * not a 4-GPU replica. Smallest sourced instance with >= gpuCount GPUs (dated
 * offers before undated ones), of the provider when it has one, else the
 * cheapest per GPU.
 */
function multiGpuInstance(gpu: GpuSpec, gpuCount: number, kindTier: PriceTier, provider: string | null): { offer: GpuOffer; providerMatched: boolean } | null {
  const candidates = gpu.offers.filter(
    // Undated rows are usable here (G-family rates did not move with the 2025 cut); dated ones must be in the market window.
    (o) => o.gpusPerInstance >= gpuCount && offerMatchesTier(o, kindTier) && (isMarketEligible(o) || o.asOf === null),
  );
  const pick = (list: GpuOffer[]) =>
    [...list].sort((a, b) => Number(a.stale) - Number(b.stale) || a.gpusPerInstance - b.gpusPerInstance || a.usdPerGpuHour.comparedTo(b.usdPerGpuHour))[0] ?? null;
  if (provider !== null) {
    const own = pick(candidates.filter((o) => o.provider.toLowerCase() === provider));
    if (own !== null) return { offer: own, providerMatched: true };
  }
  const any = pick(candidates);
  return any === null ? null : { offer: any, providerMatched: false };
}

/**
 * USD per GPU-hour for one replica of `gpuCount` GPUs under the org's price
 * choice: an org override for the tier wins; a PCIe GPU in a multi-GPU
 * replica is priced from the smallest sourced instance holding them all; a
 * preferred provider's own offers are used when it has some for the tier;
 * otherwise the catalog tier (see gpuTierPrices). The basis says which.
 */
export function replicaHourlyPrice(
  gpu: GpuSpec,
  gpuCount: number,
  choice: { tier: PriceTier; provider?: string | null },
  override?: GpuPriceOverride | null,
): ReplicaPrice {
  const { tier } = choice;
  const o = override?.[tier];
  if (o !== undefined && o !== null) {
    return { usdPerGpuHour: new Money(o), tier, provider: null, origin: 'org', sourceIds: [], asOf: null, basis: `org override for ${tier} on ${gpu.id}` };
  }
  const provider = choice.provider?.trim().toLowerCase() || null;
  const providerLabel = choice.provider?.trim() ?? '';
  const tierPrice = gpu.prices[tier];
  const multiPcie = gpuCount > 1 && gpu.interconnect === 'pcie';
  const notes: string[] = [];

  if (multiPcie && tier !== 'spot') {
    const committed = tier === 'committed1y' ? multiGpuInstance(gpu, gpuCount, 'committed1y', provider) : null;
    const inst = committed ?? multiGpuInstance(gpu, gpuCount, tier === 'committed1y' ? 'marketOnDemand' : tier, provider);
    const discount = tier === 'committed1y' && committed === null ? (gpu.commitment1y ?? null) : null;
    if (inst !== null && (tier !== 'committed1y' || committed !== null || discount !== null)) {
      const offer = inst.offer;
      const parts = [`${offer.provider} ${offer.sku}: ${usd(offer.usdPerGpuHour)} per GPU, the smallest sourced instance with >= ${gpuCount} ${gpu.id} (a tensor-parallel replica needs one server)`];
      if (provider !== null && !inst.providerMatched) parts.push(`${providerLabel} has no sourced ${gpuCount}-GPU ${gpu.id} instance`);
      let price = offer.usdPerGpuHour;
      const sourceIds = [offer.sourceId];
      if (discount !== null) {
        price = price.mul(new Money(1).minus(discount.fraction));
        parts.push(`x (1 - ${discount.fraction.toFixed()}) sourced 1-year discount (${discount.sourceId}) = ${usd(price)}`);
        sourceIds.push(discount.sourceId);
      }
      if (offer.asOf === null) parts.push(`undated source (${offer.sourceId})`);
      return {
        usdPerGpuHour: price,
        tier,
        provider: offer.provider,
        origin: 'reference',
        sourceIds,
        asOf: offer.asOf ?? discount?.asOf ?? null,
        basis: parts.join('; '),
      };
    }
    notes.push(`no sourced instance with >= ${gpuCount} ${gpu.id}: per-GPU price of smaller instances`);
  } else if (multiPcie) {
    notes.push(`no sourced ${gpuCount}-GPU spot instance: per-GPU spot price of smaller instances`);
  }

  if (provider !== null) {
    const own = gpu.offers.filter((x) => x.provider.toLowerCase() === provider && offerMatchesTier(x, tier) && isMarketEligible(x));
    if (own.length > 0) {
      const p = tierPriceFromOffers(own, `${own[0]?.provider} ${tier}`);
      return {
        usdPerGpuHour: p.usdPerGpuHour,
        tier,
        provider: own[0]?.provider ?? providerLabel,
        origin: 'reference',
        sourceIds: p.sourceIds,
        asOf: p.asOf,
        basis: [p.basis, ...notes].join('; '),
      };
    }
    notes.unshift(`no sourced ${tier} offer from ${providerLabel} for ${gpu.id}: market tier used`);
  }

  if (tierPrice === null) {
    return { usdPerGpuHour: null, tier, reason: `no ${tier} price for ${gpu.id} (${gpu.priceGaps?.[tier] ?? 'no sourced offer'}); set an org override` };
  }
  return {
    usdPerGpuHour: tierPrice.usdPerGpuHour,
    tier,
    provider: null,
    origin: 'reference',
    sourceIds: tierPrice.sourceIds,
    asOf: tierPrice.asOf,
    basis: [tierPrice.basis, ...notes].join('; '),
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

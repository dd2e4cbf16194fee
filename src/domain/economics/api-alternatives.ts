import type { Decimal } from 'decimal.js';
import { Money } from '../money.js';
import { cacheWriteSurchargeFor, NO_API_OFFERS, tierOffersFor, type ApiOffers, type TierOffer } from './api-offers.js';
import type { AssumptionRecord } from './assumptions.js';
import { apiMonthlyCost } from './compare.js';
import type { ApiAlternative, CurrentCost, VsCurrent, WorkloadFacts } from './estimate-types.js';
import { matchModelKey } from './model-key.js';
import type { ApiPrice, Catalog, ClosedModelPrice, ModelSpec } from './types.js';

function perMTok(usd: Decimal, monthlyTotal: number): Decimal | null {
  return monthlyTotal > 0 ? usd.div(monthlyTotal).mul(1_000_000) : null;
}

const pct = (f: number): string => `${Number((f * 100).toFixed(1))}%`;

/** What pricing an API needs of the workload: volumes (tokens/month) and the average prompt (tokens). */
export type ApiWorkload = Pick<WorkloadFacts, 'volumes' | 'monthlyTotal' | 'avgInputPerRequest'>;

/** Managed APIs serving the requested open models, priced for the workload (USD/month), cheapest first; modelId is the catalog id the provider's model resolved to. */
export function managedOpenAlternatives(
  catalog: Catalog,
  models: ModelSpec[],
  w: ApiWorkload,
  vs: VsCurrent,
  migrationUsd: Decimal,
  records: AssumptionRecord[],
  offers: ApiOffers = NO_API_OFFERS,
): ApiAlternative[] {
  const { volumes, monthlyTotal, avgInputPerRequest } = w;
  const ids = models.map((x) => x.id);
  const wantedIds = new Set(ids.map((id) => id.toLowerCase()));
  return catalog.managedOpenApis
    .map((m) => ({ m, id: m.modelId ?? matchModelKey(m.model, ids) }))
    .filter(({ id }) => id !== null && wantedIds.has(id.toLowerCase()))
    .map(({ m, id }) => {
      const c = apiMonthlyCost(volumes, { inputPerMTok: m.inputPerMTok, outputPerMTok: m.outputPerMTok }, { avgInputTokensPerRequest: avgInputPerRequest });
      const asOf = m.asOf ?? (m.source !== null ? offers.priceSourceDates[m.source] ?? null : null);
      records.push({
        key: `managedOpen.${m.provider}.${m.model}`,
        value: `${new Money(m.inputPerMTok).toFixed()}/${new Money(m.outputPerMTok).toFixed()} per 1M in/out`,
        origin: 'reference',
        sourceId: m.source,
        note: asOf ? `as of ${asOf}` : undefined,
      });
      return {
        provider: m.provider,
        model: m.model,
        modelId: id,
        tier: 'standard' as const,
        monthlyCostUsd: c.costUsd,
        costPerMTokUsd: perMTok(c.costUsd, monthlyTotal),
        source: m.source,
        asOf,
        vsCurrent: vs(c.costUsd, migrationUsd),
        notes: c.notes,
      };
    })
    .sort((x, y) => x.monthlyCostUsd.cmp(y.monthlyCostUsd));
}

/**
 * Per-1M-token prices (USD) on a discounted tier: input, output and long-context
 * prices x (1 - discount); cached input too when the provider says the discount
 * covers it, else it keeps its standard price (a model without a cached price
 * bills cached tokens as input, so they take the discounted input price).
 */
export function tierPrice(price: ApiPrice, offer: Pick<TierOffer, 'discountFraction' | 'cachedInputDiscounted'> | null): ApiPrice {
  if (offer === null) return price;
  const f = new Money(1).minus(offer.discountFraction);
  const input = new Money(price.inputPerMTok).mul(f);
  const hasCached = price.cachedInputPerMTok !== null && price.cachedInputPerMTok !== undefined;
  const cached = !hasCached ? input : offer.cachedInputDiscounted === true ? new Money(price.cachedInputPerMTok as Decimal.Value).mul(f) : new Money(price.cachedInputPerMTok as Decimal.Value);
  const lc = price.longContext;
  return {
    inputPerMTok: input,
    outputPerMTok: new Money(price.outputPerMTok).mul(f),
    cachedInputPerMTok: cached,
    longContext: lc ? { thresholdTokens: lc.thresholdTokens, inputPerMTok: new Money(lc.inputPerMTok).mul(f), outputPerMTok: new Money(lc.outputPerMTok).mul(f) } : lc,
  };
}

export interface ClosedAlternativeOptions {
  /** 'batch' offers the providers' batch / flex tiers (the current model's included); default 'interactive'. */
  latencyTolerance?: 'interactive' | 'batch';
  offers?: ApiOffers;
}

/**
 * Closed catalog models cheaper than today's cost for the workload (USD/month),
 * cheapest first; none when today's cost is unknown. Every model is priced at
 * the workload's observed cache-hit rate (cached input / input) at its own
 * cached-input price. Batch-tolerant workloads also get each provider's batch /
 * flex tiers, today's model included. Moving cached traffic onto a provider that
 * bills cache writes (Anthropic: 1.25 x input) from one that does not adds the
 * surcharge on every uncached input token (an upper bound: cache writes are not
 * observed); when both sides bill writes, the unobserved writes are left out of both.
 */
export function cheaperClosedAlternatives(
  catalog: Catalog,
  current: CurrentCost,
  w: ApiWorkload,
  vs: VsCurrent,
  migrationUsd: Decimal,
  records: AssumptionRecord[],
  opts: ClosedAlternativeOptions = {},
): ApiAlternative[] {
  const { volumes, monthlyTotal, avgInputPerRequest } = w;
  const offers = opts.offers ?? NO_API_OFFERS;
  const batchTolerant = opts.latencyTolerance === 'batch';
  const out: ApiAlternative[] = [];
  if (current.monthlyCostUsd === null) return out;
  const today = current.monthlyCostUsd;
  const currentId = current.modelId?.toLowerCase() ?? null;
  const currentModel = currentId === null ? undefined : catalog.closedModels.find((m) => m.id.toLowerCase() === currentId);
  const currentWrites = cacheWriteSurchargeFor(offers, currentModel?.provider ?? null);
  const input = volumes.inputTokens;
  const cached = Math.min(input, volumes.cachedInputTokens);
  const hitRate = input > 0 ? cached / input : 0;
  const cacheNote =
    cached > 0
      ? `priced at the observed cache-hit rate ${pct(hitRate)} (cached input / input); a higher rate is not assumed even if the prompts would allow it`
      : null;

  for (const m of catalog.closedModels) {
    const isCurrent = currentId !== null && m.id.toLowerCase() === currentId;
    const tiers: (TierOffer | null)[] = [...(isCurrent ? [] : [null]), ...(batchTolerant ? tierOffersFor(offers, m.provider, m.id) : [])];
    for (const offer of tiers) {
      const alt = priceClosed(m, offer, { isCurrent, cached, hitRate, currentWrites: currentWrites !== null, offers, w });
      if (!alt.costUsd.lt(today)) continue;
      const asOf = m.source !== null ? offers.priceSourceDates[m.source] ?? null : null;
      records.push({
        key: `closed.${m.id}.price`,
        value: `${new Money(m.inputPerMTok).toFixed()}/${new Money(m.outputPerMTok).toFixed()} per 1M in/out`,
        origin: 'reference',
        sourceId: m.source,
        note: asOf ? `as of ${asOf}` : undefined,
      });
      if (offer !== null) {
        records.push({
          key: `apiOffer.${offer.provider}.${offer.tier}`,
          value: offer.discountFraction,
          origin: 'reference',
          sourceId: offer.source,
          note: `fraction off standard per-token prices${offer.asOf ? `, as of ${offer.asOf}` : ''}`,
        });
      }
      const notes = [...alt.notes];
      if (isCurrent) {
        notes.unshift(`today's model on the ${offer?.tier} tier: same model, same answers, ${offer?.turnaround ?? 'slower'}`);
        if (current.basis === 'actual-spend') notes.push('compared with actual spend; the tier is priced from list prices');
      } else {
        notes.push('quality not compared: check benchmarks sharing a key and source');
      }
      if (cacheNote !== null) notes.push(cacheNote);
      out.push({
        provider: m.provider,
        model: m.id,
        modelId: m.id,
        tier: offer?.tier ?? 'standard',
        monthlyCostUsd: alt.costUsd,
        costPerMTokUsd: perMTok(alt.costUsd, monthlyTotal),
        source: m.source,
        asOf,
        ...(offer !== null ? { offer: { discountFraction: offer.discountFraction, source: offer.source, asOf: offer.asOf, turnaround: offer.turnaround } } : {}),
        ...(isCurrent ? { isCurrentModel: true } : {}),
        // Same migration as any closed move: no model evaluation is needed, but moving to asynchronous calls is integration work.
        vsCurrent: vs(alt.costUsd, migrationUsd),
        notes,
      });
    }
  }
  return out.sort((x, y) => x.monthlyCostUsd.cmp(y.monthlyCostUsd));
}

/** One closed model on one tier, priced for the workload (USD/month), with the cache-write surcharge where it applies. */
function priceClosed(
  m: ClosedModelPrice,
  offer: TierOffer | null,
  ctx: { isCurrent: boolean; cached: number; hitRate: number; currentWrites: boolean; offers: ApiOffers; w: ApiWorkload },
): { costUsd: Decimal; notes: string[] } {
  const { volumes, avgInputPerRequest } = ctx.w;
  const price = tierPrice(m, offer);
  const c = apiMonthlyCost(volumes, price, { avgInputTokensPerRequest: avgInputPerRequest });
  const notes = [...c.notes];
  if (offer !== null) {
    notes.push(`${offer.tier} tier: ${pct(offer.discountFraction)} off per-token prices (source ${offer.source}${offer.asOf ? `, ${offer.asOf}` : ''})`);
    if (offer.cachedInputDiscounted !== true && ctx.cached > 0) notes.push(`${offer.tier} discount on cached input not stated by the provider: cached tokens kept at the standard cached price`);
  }
  let costUsd = c.costUsd;
  const writes = cacheWriteSurchargeFor(ctx.offers, m.provider);
  if (writes !== null && ctx.cached > 0) {
    if (ctx.currentWrites || ctx.isCurrent) {
      notes.push(`${m.provider} bills cache writes (${writes.writeMultiplier} x input, source ${writes.source}); writes are not observed, so they are left out here as in today's cost`);
    } else {
      // Upper bound: every uncached input token written to the cache once.
      const uncached = Math.max(0, volumes.inputTokens - ctx.cached);
      const writeBase = offer !== null && offer.cachedInputDiscounted !== true ? new Money(m.inputPerMTok) : new Money(price.inputPerMTok);
      const surcharge = writeBase.mul(writes.writeMultiplier - 1).mul(Math.round(uncached)).div(1_000_000);
      costUsd = costUsd.plus(surcharge);
      notes.push(
        `cache writes: ${m.provider} bills ${writes.writeMultiplier} x input for each cache write (source ${writes.source}${writes.asOf ? `, ${writes.asOf}` : ''}); ` +
          `the surcharge is priced on every uncached input token (+$${surcharge.toDecimalPlaces(2).toFixed()}/month, an upper bound: writes are not observed)`,
      );
    }
  }
  return { costUsd, notes };
}

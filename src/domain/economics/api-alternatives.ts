import type { Decimal } from 'decimal.js';
import { Money } from '../money.js';
import type { AssumptionRecord } from './assumptions.js';
import { apiMonthlyCost } from './compare.js';
import type { ApiAlternative, CurrentCost, VsCurrent, WorkloadFacts } from './estimate-types.js';
import { matchModelKey } from './model-key.js';
import type { Catalog, ModelSpec } from './types.js';

function perMTok(usd: Decimal, monthlyTotal: number): Decimal | null {
  return monthlyTotal > 0 ? usd.div(monthlyTotal).mul(1_000_000) : null;
}

/** Managed APIs serving the requested open models, priced for the workload (USD/month), cheapest first. */
export function managedOpenAlternatives(
  catalog: Catalog,
  models: ModelSpec[],
  w: WorkloadFacts,
  vs: VsCurrent,
  migrationUsd: Decimal,
  records: AssumptionRecord[],
): ApiAlternative[] {
  const { volumes, monthlyTotal, avgInputPerRequest } = w;
  const wantedIds = new Set(models.map((m) => m.id.toLowerCase()));
  return catalog.managedOpenApis
    .filter((m) => {
      const id = m.modelId ?? matchModelKey(m.model, models.map((x) => x.id));
      return id !== null && wantedIds.has(id.toLowerCase());
    })
    .map((m) => {
      const c = apiMonthlyCost(volumes, { inputPerMTok: m.inputPerMTok, outputPerMTok: m.outputPerMTok }, { avgInputTokensPerRequest: avgInputPerRequest });
      records.push({
        key: `managedOpen.${m.provider}.${m.model}`,
        value: `${new Money(m.inputPerMTok).toFixed()}/${new Money(m.outputPerMTok).toFixed()} per 1M in/out`,
        origin: 'reference',
        sourceId: m.source,
        note: m.asOf ? `as of ${m.asOf}` : undefined,
      });
      return {
        provider: m.provider,
        model: m.model,
        modelId: m.modelId,
        monthlyCostUsd: c.costUsd,
        costPerMTokUsd: perMTok(c.costUsd, monthlyTotal),
        source: m.source,
        vsCurrent: vs(c.costUsd, migrationUsd),
        notes: c.notes,
      };
    })
    .sort((x, y) => x.monthlyCostUsd.cmp(y.monthlyCostUsd));
}

/** Closed catalog models cheaper than today's cost for the workload (USD/month), cheapest first; none when today's cost is unknown. */
export function cheaperClosedAlternatives(
  catalog: Catalog,
  current: CurrentCost,
  w: WorkloadFacts,
  vs: VsCurrent,
  migrationUsd: Decimal,
  records: AssumptionRecord[],
): ApiAlternative[] {
  const { volumes, monthlyTotal, avgInputPerRequest } = w;
  const cheaperClosed: ApiAlternative[] = [];
  if (current.monthlyCostUsd !== null) {
    for (const m of catalog.closedModels) {
      if (current.modelId !== null && m.id.toLowerCase() === current.modelId.toLowerCase()) continue;
      const c = apiMonthlyCost(volumes, m, { avgInputTokensPerRequest: avgInputPerRequest });
      if (!c.costUsd.lt(current.monthlyCostUsd)) continue;
      records.push({
        key: `closed.${m.id}.price`,
        value: `${new Money(m.inputPerMTok).toFixed()}/${new Money(m.outputPerMTok).toFixed()} per 1M in/out`,
        origin: 'reference',
        sourceId: m.source,
      });
      cheaperClosed.push({
        provider: m.provider,
        model: m.id,
        modelId: m.id,
        monthlyCostUsd: c.costUsd,
        costPerMTokUsd: perMTok(c.costUsd, monthlyTotal),
        source: m.source,
        vsCurrent: vs(c.costUsd, migrationUsd),
        notes: [...c.notes, 'quality not compared: check benchmarks sharing a key and source'],
      });
    }
    cheaperClosed.sort((x, y) => x.monthlyCostUsd.cmp(y.monthlyCostUsd));
  }
  return cheaperClosed;
}

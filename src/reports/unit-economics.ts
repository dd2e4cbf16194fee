import { Money } from '../domain/money.js';

/** What one scope (a workload in a period) spent and served. */
export interface UnitInputs {
  /** USD, decimal string. */
  costUsd: string;
  requests: number;
  /** Input + output tokens. */
  tokens: number;
  /** Distinct customers seen; undefined when not asked. */
  activeCustomers?: number;
}

/** Unit costs (USD, decimal strings at 6 places) of one scope; null where the divisor is 0. */
export interface UnitCosts {
  costPerRequestUsd: string | null;
  costPer1kRequestsUsd: string | null;
  costPer1kTokensUsd: string | null;
  costPer1MTokensUsd: string | null;
  costPerActiveCustomerUsd: string | null;
}

const per = (cost: InstanceType<typeof Money>, n: number | undefined, scale: number): string | null =>
  n ? cost.div(n).mul(scale).toDecimalPlaces(6).toFixed() : null;

/** Cost (USD) per request, per 1k requests, per 1k and 1M tokens and per active customer, rounded once to 6 places. */
export function unitCosts(u: UnitInputs): UnitCosts {
  const cost = new Money(u.costUsd);
  return {
    costPerRequestUsd: per(cost, u.requests, 1),
    costPer1kRequestsUsd: per(cost, u.requests, 1_000),
    costPer1kTokensUsd: per(cost, u.tokens, 1_000),
    costPer1MTokensUsd: per(cost, u.tokens, 1_000_000),
    costPerActiveCustomerUsd: per(cost, u.activeCustomers, 1),
  };
}

/** `part` as a percentage of `whole` (2 places); 0 when `whole` is 0. */
export function sharePercent(part: string, whole: string): number {
  const w = new Money(whole);
  return w.isZero() ? 0 : new Money(part).div(w).mul(100).toDecimalPlaces(2).toNumber();
}

/** The change from `previous` to `current` in percent (2 places); null when there was no previous spend. */
export function changePercent(current: string, previous: string | null): number | null {
  const p = new Money(previous ?? 0);
  return p.isZero() ? null : new Money(current).minus(p).div(p).mul(100).toDecimalPlaces(2).toNumber();
}

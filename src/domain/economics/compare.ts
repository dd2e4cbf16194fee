import type { Decimal } from 'decimal.js';
import { Money, perMillion } from '../money.js';
import type { ApiPrice, TokenVolumes } from './types.js';

export interface ApiCost {
  /** USD per month. */
  costUsd: Decimal;
  tier: 'standard' | 'long-context';
  notes: string[];
}

/**
 * Monthly API cost (USD) = (input - cached) x input price + cached x cached
 * price + output x output price, per 1M tokens. Cached tokens are a subset of
 * input (clamped to it). Without a cached price, cached tokens bill as input.
 * The long-context tier applies when the average prompt exceeds its threshold
 * (an approximation: real bills split per request).
 */
export function apiMonthlyCost(
  volumes: TokenVolumes,
  price: ApiPrice,
  opts: { avgInputTokensPerRequest?: number } = {},
): ApiCost {
  const notes: string[] = [];
  const input = Math.max(0, volumes.inputTokens);
  const cached = Math.min(input, Math.max(0, volumes.cachedInputTokens));
  if (volumes.cachedInputTokens > input) notes.push('cached input exceeded input; clamped to input');
  const lc = price.longContext;
  const long = lc !== null && lc !== undefined && opts.avgInputTokensPerRequest !== undefined && opts.avgInputTokensPerRequest > lc.thresholdTokens;
  const inPrice = long && lc ? lc.inputPerMTok : price.inputPerMTok;
  const outPrice = long && lc ? lc.outputPerMTok : price.outputPerMTok;
  let cachedPrice: Decimal.Value = inPrice;
  if (price.cachedInputPerMTok !== null && price.cachedInputPerMTok !== undefined) {
    cachedPrice = price.cachedInputPerMTok;
  } else if (cached > 0) {
    notes.push('no cached-input price: cached tokens billed at the input price');
  }
  if (long) notes.push(`average prompt above ${lc?.thresholdTokens} tokens: long-context prices applied`);
  const costUsd = perMillion(Math.round(input - cached), inPrice)
    .plus(perMillion(Math.round(cached), cachedPrice))
    .plus(perMillion(Math.round(Math.max(0, volumes.outputTokens)), outPrice));
  return { costUsd, tier: long ? 'long-context' : 'standard', notes };
}

export interface MigrationWeeks {
  evaluation: number;
  integration: number;
  fineTuning: number;
}

export interface MigrationCost {
  /** Engineer-weeks. */
  weeks: number;
  /** USD, one-off. */
  costUsd: Decimal;
  /** USD per engineer-week = monthly cost / weeks per month. */
  weeklyCostUsd: Decimal;
}

/** One-off migration cost (USD) = (evaluation + integration [+ fine-tuning]) engineer-weeks x monthly cost / weeks per month. */
export function migrationCost(
  weeks: MigrationWeeks,
  includeFineTuning: boolean,
  engineerMonthlyCostUsd: Decimal.Value,
  weeksPerMonth = 52 / 12,
): MigrationCost {
  const total = weeks.evaluation + weeks.integration + (includeFineTuning ? weeks.fineTuning : 0);
  const weeklyCostUsd = new Money(engineerMonthlyCostUsd).div(weeksPerMonth);
  return { weeks: total, costUsd: weeklyCostUsd.mul(total), weeklyCostUsd };
}

export type BreakEven = { months: number; reason: null } | { months: null; reason: string };

/** Break-even (months) = one-off migration cost / monthly savings; null with a reason when savings <= 0. */
export function breakEvenMonths(migrationCostUsd: Decimal.Value, monthlySavingsUsd: Decimal.Value): BreakEven {
  const savings = new Money(monthlySavingsUsd);
  if (savings.lte(0)) {
    return {
      months: null,
      reason: savings.isZero() ? 'no monthly savings: migration never pays back' : 'costs more per month than today: migration never pays back',
    };
  }
  return { months: new Money(migrationCostUsd).div(savings).toNumber(), reason: null };
}

export interface Comparison {
  /** USD per month for the alternative. */
  monthlyCostUsd: Decimal;
  /** Today's monthly cost minus the alternative's (USD/month); negative = more expensive. */
  monthlySavingsUsd: Decimal;
  /** Savings as a fraction of today's cost; null when today costs nothing. */
  savingsFraction: number | null;
  migrationCostUsd: Decimal;
  breakEvenMonths: number | null;
  breakEvenReason: string | null;
}

/** Savings (USD/month) and break-even (months) of an alternative against today's monthly cost. */
export function compareToCurrent(
  currentMonthlyUsd: Decimal.Value,
  alternativeMonthlyUsd: Decimal.Value,
  migrationCostUsd: Decimal.Value,
): Comparison {
  const current = new Money(currentMonthlyUsd);
  const alt = new Money(alternativeMonthlyUsd);
  const savings = current.minus(alt);
  const be = breakEvenMonths(migrationCostUsd, savings);
  return {
    monthlyCostUsd: alt,
    monthlySavingsUsd: savings,
    savingsFraction: current.gt(0) ? savings.div(current).toNumber() : null,
    migrationCostUsd: new Money(migrationCostUsd),
    breakEvenMonths: be.months,
    breakEvenReason: be.reason,
  };
}

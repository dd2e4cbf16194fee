import type { Decimal } from 'decimal.js';
import { compareToCurrent } from './compare.js';

/** Volume multipliers tried by default (x0.5, x2, x5). */
export const DEFAULT_VOLUME_FACTORS: readonly number[] = [0.5, 2, 5];

/** GPU price multipliers tried by default (x0.5, x1.5). */
export const DEFAULT_GPU_PRICE_FACTORS: readonly number[] = [0.5, 1.5];

export interface ScenarioEvaluation {
  /** Today's cost at the scenario volume (USD/month); null when unknown. */
  currentUsd: Decimal | null;
  /** Cheapest self-host option at the scenario (USD/month TCO); null when none is feasible. */
  best: { optionId: string; tcoUsd: Decimal } | null;
}

export interface SensitivityRow {
  scenario: string;
  volumeFactor: number;
  gpuPriceFactor: number;
  currentMonthlyUsd: Decimal | null;
  bestOptionId: string | null;
  selfHostTcoUsd: Decimal | null;
  /** Today minus best self-host (USD/month); null when either side is unknown. */
  monthlySavingsUsd: Decimal | null;
  breakEvenMonths: number | null;
  breakEvenReason: string | null;
}

/**
 * Savings (USD/month) and break-even (months) of the best self-host option at
 * the base case, each volume factor (GPU price x1) and each GPU price factor
 * (volume x1). `evaluate` recomputes replicas and prices for a scenario.
 */
export function runSensitivity(
  evaluate: (volumeFactor: number, gpuPriceFactor: number) => ScenarioEvaluation,
  migrationCostUsd: Decimal.Value,
  factors: { volume?: readonly number[]; gpuPrice?: readonly number[] } = {},
): SensitivityRow[] {
  const scenarios: [string, number, number][] = [['base', 1, 1]];
  for (const v of factors.volume ?? DEFAULT_VOLUME_FACTORS) scenarios.push([`volume x${v}`, v, 1]);
  for (const p of factors.gpuPrice ?? DEFAULT_GPU_PRICE_FACTORS) scenarios.push([`gpu price x${p}`, 1, p]);
  return scenarios.map(([scenario, volumeFactor, gpuPriceFactor]) => {
    const e = evaluate(volumeFactor, gpuPriceFactor);
    const base = {
      scenario,
      volumeFactor,
      gpuPriceFactor,
      currentMonthlyUsd: e.currentUsd,
      bestOptionId: e.best?.optionId ?? null,
      selfHostTcoUsd: e.best?.tcoUsd ?? null,
    };
    if (e.currentUsd === null || e.best === null) {
      return {
        ...base,
        monthlySavingsUsd: null,
        breakEvenMonths: null,
        breakEvenReason: e.currentUsd === null ? 'no current cost to compare against' : 'no feasible self-host option',
      };
    }
    const c = compareToCurrent(e.currentUsd, e.best.tcoUsd, migrationCostUsd);
    return { ...base, monthlySavingsUsd: c.monthlySavingsUsd, breakEvenMonths: c.breakEvenMonths, breakEvenReason: c.breakEvenReason };
  });
}

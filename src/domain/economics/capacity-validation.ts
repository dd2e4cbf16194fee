import { calibrateUsable, groupKey, nearestGroup, predictPoint, usablePoints, type CalibrationContext, type ExcludedPoint, type UsablePoint } from './capacity-calibration.js';
import type { ThroughputPoint } from './types.js';

export interface LeaveOneOutRow {
  point: ThroughputPoint;
  /** Output tok/s the model predicts with this point removed from the calibration (tokens/s). */
  predictedTokPerSec: number | null;
  measuredTokPerSec: number;
  /** predicted / measured (dimensionless). */
  ratio: number | null;
  /** |predicted - measured| / measured (fraction). */
  absError: number | null;
  /** Which calibrated group the prediction borrowed its residual factor from (null: engine fit only). */
  borrowedFrom: string | null;
}

export interface LeaveOneOutReport {
  rows: LeaveOneOutRow[];
  excluded: ExcludedPoint[];
  /** Median of |predicted - measured| / measured over the modelled points (fraction). */
  medianAbsError: number;
  /** The row with the ratio farthest from 1 (in ln terms). */
  worst: LeaveOneOutRow | null;
  /** Rows whose ratio lies outside [0.5, 2]. */
  beyond2x: number;
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Predicts one usable point from a calibration built on `others` (tokens/s). */
export function predictFrom(others: readonly UsablePoint[], p: UsablePoint, ctx: CalibrationContext): { predicted: number | null; borrowedFrom: string | null } {
  const cal = calibrateUsable(others);
  const base = predictPoint(p, cal.global.efficiencies);
  if (base === null) return { predicted: null, borrowedFrom: null };
  const g = nearestGroup(cal, p.model, p.gpu, p.precision, p.engine, ctx);
  return { predicted: base * cal.engines[p.engine].factor * g.factor, borrowedFrom: g.group?.key ?? null };
}

/**
 * Leave-one-out over every measured point of `table`: each usable point is
 * removed, the model recalibrated on the rest and the point predicted (tokens/s);
 * returns per-point ratios, the median absolute error and the worst case.
 */
export function leaveOneOut(table: readonly ThroughputPoint[], ctx: CalibrationContext): LeaveOneOutReport {
  const { usable, excluded } = usablePoints(table, ctx);
  const rows: LeaveOneOutRow[] = usable.map((p, i) => {
    const others = usable.filter((_, j) => j !== i);
    const { predicted, borrowedFrom } = predictFrom(others, p, ctx);
    const measured = p.point.outputTokPerSec;
    const ratio = predicted === null ? null : predicted / measured;
    return { point: p.point, predictedTokPerSec: predicted, measuredTokPerSec: measured, ratio, absError: ratio === null ? null : Math.abs(ratio - 1), borrowedFrom };
  });
  return summarise(rows, excluded);
}

/**
 * Stricter check: each point predicted with its whole (model, GPU, precision, engine)
 * group removed, so its residual factor must come from another group, as for a
 * deployment nobody measured (tokens/s, fractions as in leaveOneOut).
 */
export function leaveGroupOut(table: readonly ThroughputPoint[], ctx: CalibrationContext): LeaveOneOutReport {
  const { usable, excluded } = usablePoints(table, ctx);
  const key = (p: UsablePoint): string => groupKey(p.model.id, p.gpu.id, p.precision, p.engine);
  const rows: LeaveOneOutRow[] = usable.map((p) => {
    const others = usable.filter((q) => key(q) !== key(p));
    const { predicted, borrowedFrom } = predictFrom(others, p, ctx);
    const measured = p.point.outputTokPerSec;
    const ratio = predicted === null ? null : predicted / measured;
    return { point: p.point, predictedTokPerSec: predicted, measuredTokPerSec: measured, ratio, absError: ratio === null ? null : Math.abs(ratio - 1), borrowedFrom };
  });
  return summarise(rows, excluded);
}

function summarise(rows: LeaveOneOutRow[], excluded: ExcludedPoint[]): LeaveOneOutReport {
  const errors = rows.flatMap((r) => (r.absError === null ? [] : [r.absError]));
  let worst: LeaveOneOutRow | null = null;
  const dist = (r: LeaveOneOutRow): number => (r.ratio === null ? Number.POSITIVE_INFINITY : Math.abs(Math.log(r.ratio)));
  for (const r of rows) if (worst === null || dist(r) > dist(worst)) worst = r;
  const beyond2x = rows.filter((r) => r.ratio === null || r.ratio < 0.5 || r.ratio > 2).length;
  return { rows, excluded, medianAbsError: median(errors), worst, beyond2x };
}

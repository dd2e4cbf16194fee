import { Money } from '../money.js';
import { planWorkload, readinessLevel } from './plan-workload.js';
import { DEFAULT_PLANNER_SETTINGS, resolvePlannerSettings } from './settings.js';
import type {
  Confidence,
  MonthProjection,
  OrganisationPlan,
  Phase,
  PhaseId,
  PhaseWorkload,
  PlannerSettingsInput,
  PortfolioSnapshot,
  RoadmapForecast,
  WorkloadPlan,
  WorkloadProfile,
  WorkloadWithOptions,
} from './types.js';
import { num, percent, sum, toMoney, toNumber } from './values.js';

/** Months covered by the cumulative-savings projection. */
export const HORIZON_MONTHS = 12;
/** Default migration months: phase 1 in month 1, phase 2 (pilots, evaluations) in month 3. */
export const DEFAULT_PHASE1_MONTH = 1;
export const DEFAULT_PHASE2_MONTH = 3;

/** Weights turning USD/month savings into a priority: readiness (phase) × confidence. */
export const READINESS_WEIGHT: Record<PhaseId, number> = { 'phase-1': 1, 'phase-2': 0.5, 'stay-closed': 0 };
export const CONFIDENCE_WEIGHT: Record<Confidence, number> = { high: 1, medium: 0.75, low: 0.5 };

const PHASE_TITLES: Record<PhaseId, string> = {
  'phase-1': 'Migrate now: ready workloads with passing gates',
  'phase-2': 'Pilots and evaluations awaiting evidence',
  'stay-closed': 'Stay closed',
};

/** Which roadmap phase a workload plan belongs to: migrate-now recommendations → phase-1; pilots or pending evaluations → phase-2; else stay-closed. */
export function phaseOf(plan: WorkloadPlan): PhaseId {
  if (readinessLevel(plan.recommendation) === 2) return 'phase-1';
  if (plan.recommendation === 'pilot_self_host' || plan.pendingEvaluation != null) return 'phase-2';
  return 'stay-closed';
}

/** Whether the plan's target (candidate or pending evaluation) has a passing evaluation, read from optionsConsidered. */
function targetEvaluated(plan: WorkloadPlan, target: { modelId: string; kind: string; provider?: string } | null): boolean {
  if (target === null) return false;
  const list = Array.isArray(plan.optionsConsidered) ? plan.optionsConsidered : [];
  const match = list.find(
    (o) => o.modelId === target.modelId && o.kind === target.kind && (target.provider === undefined || o.provider === undefined || o.provider === target.provider),
  );
  return match?.evidence === 'passed';
}

/**
 * The phase view of a plan: realised savings for recommendations, at-stake savings (USD/month) for pending evaluations
 * and unevaluated pilots, and the expected figure = savings × passProbability (1 when the target's evaluation passed,
 * else `passProbability`, the settings' evaluationPassProbability, default 0.5).
 */
export function phaseWorkload(plan: WorkloadPlan, passProbability = DEFAULT_PLANNER_SETTINGS.evaluationPassProbability): PhaseWorkload {
  const phase = phaseOf(plan);
  const pending = plan.recommendation === 'stay_closed' ? (plan.pendingEvaluation ?? null) : null;
  const target = plan.candidate ?? pending;
  const savings = phase === 'stay-closed' ? new Money(0) : toMoney(pending ? pending.monthlySavingsUsd : plan.monthlySavingsUsd);
  const oneOff = phase === 'stay-closed' ? new Money(0) : toMoney(pending ? pending.oneOffMigrationCostUsd : plan.oneOffMigrationCostUsd);
  const evaluated = pending === null && targetEvaluated(plan, target);
  const p = evaluated ? 1 : Math.min(1, Math.max(0, toNumber(passProbability, 0.5)));
  return {
    workload: plan.workload,
    recommendation: plan.recommendation,
    modelId: target?.modelId ?? null,
    kind: target?.kind ?? null,
    confidence: plan.confidence,
    monthlySavingsUsd: savings,
    evaluated,
    passProbability: p,
    expectedMonthlySavingsUsd: savings.mul(p),
    oneOffMigrationCostUsd: oneOff,
    priorityUsd: savings.mul(READINESS_WEIGHT[phase]).mul(CONFIDENCE_WEIGHT[plan.confidence] ?? CONFIDENCE_WEIGHT.low),
  };
}

function byPriority(a: PhaseWorkload, b: PhaseWorkload): number {
  return b.priorityUsd.comparedTo(a.priorityUsd) || a.workload.localeCompare(b.workload);
}

function openFraction(w: WorkloadProfile | undefined): Money {
  const models = Array.isArray(w?.currentModels) ? w.currentModels : [];
  const share = models
    .filter((m) => !!m && m.openWeights === true)
    .reduce((acc, m) => acc.plus(Math.max(0, toNumber(m.shareOfSpend))), new Money(0));
  return Money.min(share, 1);
}

function snapshot(closed: Money, open: Money): PortfolioSnapshot {
  const total = closed.plus(open);
  return {
    totalMonthlySpendUsd: total,
    closedMonthlySpendUsd: closed,
    openMonthlySpendUsd: open,
    closedSharePct: percent(closed, total),
    openSharePct: percent(open, total),
  };
}

interface Row {
  plan: WorkloadPlan;
  profile: WorkloadProfile | undefined;
  phase: PhaseWorkload;
  phaseId: PhaseId;
}

function portfolio(rows: Row[], migrated: (r: Row) => boolean): PortfolioSnapshot {
  let closed = new Money(0);
  let open = new Money(0);
  for (const r of rows) {
    if (migrated(r) && r.phase.kind !== null) {
      const cost = r.plan.currentMonthlyCostUsd.minus(r.phase.monthlySavingsUsd);
      if (r.phase.kind === 'cheaper_closed') closed = closed.plus(cost);
      else open = open.plus(cost);
    } else {
      const f = openFraction(r.profile);
      open = open.plus(r.plan.currentMonthlyCostUsd.mul(f));
      closed = closed.plus(r.plan.currentMonthlyCostUsd.mul(new Money(1).minus(f)));
    }
  }
  return snapshot(closed, open);
}

function migrationMonth(v: unknown, fallback: number): number {
  const n = toNumber(v, fallback);
  return n >= 1 ? Math.floor(n) : fallback;
}

/** Volume factor for month m (1-based) relative to today: forecast factors (last repeats), else (1 + g)^(m − 1) with the forecast's or the workload's own growth. */
export function monthFactor(month: number, forecast: RoadmapForecast | undefined, workloadGrowth: number): Money {
  const factors = Array.isArray(forecast?.monthlySpendFactors) ? forecast.monthlySpendFactors : [];
  if (factors.length > 0) {
    const raw = factors[Math.min(month, factors.length) - 1];
    const f = toNumber(raw, 1);
    return new Money(f < 0 ? 0 : f);
  }
  const g = Number.isFinite(forecast?.monthlyGrowth) ? (forecast!.monthlyGrowth as number) : toNumber(workloadGrowth, 0);
  return new Money(1).plus(Math.max(-1, g)).pow(month - 1);
}

/**
 * Organisation roadmap from every workload and its priced options (USD/month): phases ordered by value × readiness,
 * portfolio before/after (closed vs open spend), and 12-month cumulative net savings in USD.
 * Assumptions: phase 1 migrates at the start of month 1 and phase 2 at the start of month 3 (overridable in `forecast`);
 * savings accrue from the migration month; one-off costs are paid in that month; savings scale with the month's
 * volume factor (both current and new cost scale linearly — conservative for self-hosting, whose cost is partly fixed);
 * phase-2 savings assume the pilot or evaluation passes.
 */
export function planOrganisation(
  workloads: readonly WorkloadWithOptions[],
  settingsInput?: PlannerSettingsInput,
  forecast?: RoadmapForecast,
): OrganisationPlan {
  const settings = resolvePlannerSettings(settingsInput);
  const items = (Array.isArray(workloads) ? workloads : []).filter((i) => !!i && typeof i === 'object');
  const rows: Row[] = items.map((item) => {
    const plan = planWorkload(item.workload, item.options, settings);
    return { plan, profile: item.workload ?? undefined, phase: phaseWorkload(plan, settings.evaluationPassProbability), phaseId: phaseOf(plan) };
  });
  const p1 = migrationMonth(forecast?.phase1MigrationMonth, DEFAULT_PHASE1_MONTH);
  const p2 = migrationMonth(forecast?.phase2MigrationMonth, DEFAULT_PHASE2_MONTH);
  const month: Record<PhaseId, number | null> = { 'phase-1': p1, 'phase-2': p2, 'stay-closed': null };

  const phases: Phase[] = (['phase-1', 'phase-2', 'stay-closed'] as PhaseId[]).map((id) => {
    const list = rows
      .filter((r) => r.phaseId === id)
      .map((r) => r.phase)
      .sort(byPriority);
    return {
      id,
      title: PHASE_TITLES[id],
      migrationMonth: month[id],
      workloads: list,
      monthlySavingsUsd: sum(list.map((w) => w.monthlySavingsUsd)),
      expectedMonthlySavingsUsd: sum(list.map((w) => w.expectedMonthlySavingsUsd)),
      oneOffMigrationCostUsd: sum(list.map((w) => w.oneOffMigrationCostUsd)),
    };
  });

  const months: MonthProjection[] = [];
  let cumulative = new Money(0);
  for (let m = 1; m <= HORIZON_MONTHS; m++) {
    const accrued = (id: PhaseId, expected: boolean) =>
      sum(
        rows
          .filter((r) => r.phaseId === id && m >= month[id]!)
          .map((r) =>
            (expected ? r.phase.expectedMonthlySavingsUsd : r.phase.monthlySavingsUsd).mul(monthFactor(m, forecast, toNumber(r.profile?.monthlyGrowth, 0))),
          ),
      );
    const phase1 = accrued('phase-1', true);
    const phase2 = accrued('phase-2', true);
    const phase2AtStake = accrued('phase-2', false);
    // A one-off is only spent if the move happens: weighted like the savings it buys.
    const oneOff = sum(
      rows
        .filter((r) => r.phaseId !== 'stay-closed' && month[r.phaseId] === m)
        .map((r) => r.phase.oneOffMigrationCostUsd.mul(r.phase.passProbability)),
    );
    const net = phase1.plus(phase2).minus(oneOff);
    cumulative = cumulative.plus(net);
    months.push({
      month: m,
      phase1SavingsUsd: phase1,
      phase2SavingsUsd: phase2,
      phase2AtStakeUsd: phase2AtStake,
      oneOffCostsUsd: oneOff,
      netSavingsUsd: net,
      cumulativeNetSavingsUsd: cumulative,
    });
  }

  const growthNote = Array.isArray(forecast?.monthlySpendFactors) && forecast.monthlySpendFactors.length > 0
    ? `volume factors per month from the organisation's forecast (damped, capped growth; ${forecast.monthlySpendFactors.map((f) => num(toNumber(f, 1))).join(', ')}; last repeats)`
    : Number.isFinite(forecast?.monthlyGrowth)
      ? `org-wide growth ${num(forecast!.monthlyGrowth! * 100, 2)}%/month: month m scales by (1 + g)^(m − 1)`
      : "each workload's own monthlyGrowth: month m scales by (1 + g)^(m − 1)";
  const assumptions = [
    `Phase 1 migrates at the start of month ${p1}, phase 2 at the start of month ${p2}; savings accrue from that month`,
    'One-off migration costs are paid in full in the month of migration',
    `Savings scale with volume: ${growthNote}; self-host cost is treated as scaling too (conservative)`,
    `Phase-2 savings without a passing evaluation are weighted by a ${num(settings.evaluationPassProbability * 100, 1)}% chance that the evaluation passes ` +
      (settings.evaluationPassProbability === DEFAULT_PLANNER_SETTINGS.evaluationPassProbability
        ? '(default: an even prior, no information either way; set planner.evaluationPassProbability from your own pass rate)'
        : "(the organisation's planner.evaluationPassProbability)") +
      '; their one-off costs are weighted the same way; phase totals show both the unweighted at-stake and the expected figure; stay-closed workloads save nothing',
    'Portfolio snapshots are at today’s volume; migrated workloads move entirely to the chosen option',
  ];

  const migratedBy = (ids: PhaseId[]) => (r: Row) => ids.includes(r.phaseId);
  return {
    workloads: rows.map((r) => r.plan),
    phases,
    portfolio: {
      before: portfolio(rows, () => false),
      afterPhase1: portfolio(rows, migratedBy(['phase-1'])),
      after: portfolio(rows, migratedBy(['phase-1', 'phase-2'])),
    },
    cumulativeSavings: { months, totalNetSavingsUsd: cumulative },
    assumptions,
  };
}

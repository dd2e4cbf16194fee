import type { Money } from '../money.js';
import type { WorkloadContext } from './context.js';
import {
  ceilingFor,
  customisationGate,
  dataControlGate,
  latencyGate,
  preferenceReasonsFor,
  qualityEvidenceGate,
  taskFitGate,
  teamMaturityGate,
  valueGate,
  volumeGate,
  type GateOutcome,
} from './gates.js';
import type { CandidateOption, Confidence, EvidenceVerdict, Gate, GateName, PlannerSettings, Recommendation } from './types.js';
import { toMoney } from './values.js';

/** One option after every gate has looked at it. `ceiling` is the most the option can reach; null = excluded. */
export interface OptionAssessment {
  option: CandidateOption;
  monthlyCostUsd: Money;
  oneOffMigrationCostUsd: Money;
  monthlySavingsUsd: Money;
  breakEvenMonths: number | null;
  evidence: EvidenceVerdict;
  gates: Gate[];
  excludedBy: GateName[];
  ceiling: Recommendation | null;
  /** Why a self_host option is held at pilot (or stays closed). */
  caps: string[];
  /** Soft preference: +1 self_host when data is regulated/residency-bound, +1 open weights when customisation is needed. */
  preference: number;
  preferenceReasons: string[];
  /** Self-host volume is under 1.25× the crossover (thin margin). */
  nearCrossover: boolean;
  /** Months until growth lifts volume over the crossover, when below it and growing. */
  monthsToCrossover: number | null;
  /** Cheaper eligible options that must be evaluated before this unevaluated self-host may be piloted. */
  heldBehind: CandidateOption[];
}

/** Runs every gate on one option. Pure; never throws. */
export function assessOption(option: CandidateOption, ctx: WorkloadContext, settings: PlannerSettings): OptionAssessment {
  const kind = option.kind;
  const cost = toMoney(option.monthlyCostUsd);
  const oneOff = toMoney(option.oneOffMigrationCostUsd);
  const savings = ctx.currentMonthlyCostUsd.minus(cost);
  const breakEvenMonths = savings.gt(0) ? oneOff.div(savings).toDecimalPlaces(2).toNumber() : null;
  const quality = qualityEvidenceGate(option, ctx, settings);
  const volume = volumeGate(option, ctx, settings);
  // The order here is the order of `gates`, `excludedBy` and `caps`.
  const outcomes: GateOutcome[] = [
    taskFitGate(option, ctx, quality.evidence),
    valueGate(option, ctx, settings, { cost, oneOff, savings, breakEvenMonths }),
    quality,
    volume,
    latencyGate(option, ctx),
    teamMaturityGate(option, settings),
    dataControlGate(option, ctx, settings),
    customisationGate(option, ctx),
  ];
  const gates: Gate[] = outcomes.map((o) => o.gate);
  const excludedBy: GateName[] = outcomes.filter((o) => o.excluded).map((o) => o.gate.gate);
  const caps: string[] = outcomes.flatMap((o) => (o.cap === undefined ? [] : [o.cap]));
  const evidence = quality.evidence;
  const { nearCrossover, monthsToCrossover } = volume;
  const ceiling = ceilingFor(kind, evidence, ctx, excludedBy, caps);
  const preferenceReasons = preferenceReasonsFor(kind, ctx);

  return {
    option,
    monthlyCostUsd: cost,
    oneOffMigrationCostUsd: oneOff,
    monthlySavingsUsd: savings,
    breakEvenMonths,
    evidence,
    gates,
    excludedBy,
    ceiling,
    caps,
    preference: preferenceReasons.length,
    preferenceReasons,
    nearCrossover,
    monthsToCrossover,
    heldBehind: [],
  };
}

/**
 * Same evidence for every move: an unevaluated self-host may be piloted only when it is the cheapest eligible option
 * (USD/month); with a cheaper eligible option (any kind, evaluated or not) its ceiling drops to 'stay_closed'
 * and the cheaper option is what to evaluate first. Mutates and returns the assessments.
 */
export function holdPilotsBehindCheaper(assessments: OptionAssessment[]): OptionAssessment[] {
  for (const a of assessments) {
    if (a.option.kind !== 'self_host' || a.ceiling !== 'pilot_self_host' || a.evidence.status === 'passed') continue;
    const cheaper = assessments.filter((b) => b !== a && b.ceiling !== null && b.monthlyCostUsd.lt(a.monthlyCostUsd));
    if (cheaper.length === 0) continue;
    a.ceiling = 'stay_closed';
    a.heldBehind = cheaper.map((b) => b.option);
    a.caps.push(`cheaper option(s) to evaluate first: ${cheaper.map((b) => `${b.option.modelId} (${b.option.kind})`).join(', ')}`);
  }
  return assessments;
}

/** Recommendation → readiness level: 2 = migrate now, 1 = pilot, 0 = stay closed. */
export function readinessLevel(r: Recommendation | null): number {
  if (r === 'self_host' || r === 'managed_open' || r === 'cheaper_closed') return 2;
  if (r === 'pilot_self_host') return 1;
  return 0;
}

/**
 * Orders non-excluded options: readiness level desc, then (among ready options and pilots) soft preference desc,
 * then monthly cost asc (USD), then modelId. Options awaiting an evaluation are ordered by cost alone: the cheapest
 * eligible move is the one to evaluate first.
 */
export function rankOptions(assessments: OptionAssessment[]): OptionAssessment[] {
  return assessments
    .filter((a) => a.ceiling !== null)
    .sort(
      (x, y) =>
        readinessLevel(y.ceiling) - readinessLevel(x.ceiling) ||
        (readinessLevel(x.ceiling) > 0 ? y.preference - x.preference : 0) ||
        x.monthlyCostUsd.comparedTo(y.monthlyCostUsd) ||
        x.option.modelId.localeCompare(y.option.modelId) ||
        x.option.kind.localeCompare(y.option.kind) ||
        String(x.option.provider ?? '').localeCompare(String(y.option.provider ?? '')),
    );
}

const DOWN: Record<Confidence, Confidence> = { high: 'medium', medium: 'low', low: 'low' };

/**
 * Confidence rule: start at 'high' when the chosen option has a passing evaluation (or when staying closed because no
 * option clears the gates — the numbers decide), 'low' when it has none (pilot or waiting for an evaluation);
 * then one level down if daily volume is unstable (cv > stabilityMaxCv, or unknown), and one level down for
 * self-hosting with volume under 1.25× the crossover.
 */
export function confidenceFor(chosen: OptionAssessment | null, recommendation: Recommendation, ctx: WorkloadContext): Confidence {
  let c: Confidence;
  if (chosen === null) c = 'high';
  else if (recommendation === 'stay_closed') c = 'low';
  else c = chosen.evidence.status === 'passed' ? 'high' : 'low';
  if (!ctx.stable) c = DOWN[c];
  if (chosen !== null && chosen.option.kind === 'self_host' && chosen.nearCrossover) c = DOWN[c];
  return c;
}

import { Money } from '../money.js';
import { assessOption, confidenceFor, holdPilotsBehindCheaper, rankOptions, readinessLevel, type OptionAssessment } from './assessment.js';
import { positiveOrNull, regionText, sameText, workloadContext, type WorkloadContext } from './context.js';
import { resolvePlannerSettings } from './settings.js';
import type {
  CandidateOption,
  Deployment,
  Gate,
  GateName,
  OptionKind,
  PlanCandidate,
  PlannerSettings,
  PlannerSettingsInput,
  QualityTier,
  Recommendation,
  WorkloadPlan,
  WorkloadProfile,
} from './types.js';
import { num, toNumber, usd } from './values.js';

export { assessOption, confidenceFor, holdPilotsBehindCheaper, rankOptions, readinessLevel, type OptionAssessment } from './assessment.js';
export { workloadContext, type WorkloadContext } from './context.js';

const KINDS: readonly OptionKind[] = ['cheaper_closed', 'managed_open', 'self_host'];
const GATE_ORDER: GateName[] = [
  'selection',
  'task-fit',
  'value',
  'quality-evidence',
  'volume',
  'latency',
  'team-maturity',
  'data-control',
  'customisation',
];

function isValidOption(o: unknown): o is CandidateOption {
  return !!o && typeof o === 'object' && KINDS.includes((o as CandidateOption).kind) && typeof (o as CandidateOption).modelId === 'string';
}

/** GPUs one replica spans: gpusPerReplica, else tensorParallel, else the fleet's gpuCount / replicas (whole GPUs), else 1. */
export function gpusPerReplica(d: Deployment): number {
  for (const v of [d.gpusPerReplica, d.tensorParallel]) if (typeof v === 'number' && Number.isInteger(v) && v >= 1) return v;
  const replicas = typeof d.replicas === 'number' && d.replicas >= 1 ? d.replicas : 1;
  const fleet = typeof d.gpuCount === 'number' && d.gpuCount >= 1 ? d.gpuCount : 1;
  return Math.max(1, Math.round(fleet / replicas));
}

/** "2 replicas × 4× L4 (fp8)": replicas, then GPUs per replica (not the fleet). */
export function deploymentText(d: Deployment | undefined): string {
  if (!d || typeof d !== 'object') return 'GPUs sized by the economics engine';
  const replicas = typeof d.replicas === 'number' && d.replicas >= 1 ? d.replicas : 1;
  return `${replicas} ${replicas === 1 ? 'replica' : 'replicas'} × ${gpusPerReplica(d)}× ${d.gpu ?? 'GPU'} (${d.precision ?? 'default precision'})`;
}

function label(o: CandidateOption): string {
  return o.kind !== 'self_host' && typeof o.provider === 'string' && o.provider !== ''
    ? `${o.modelId} via ${o.provider} (${o.kind})`
    : `${o.modelId} (${o.kind})`;
}

function candidateOf(o: CandidateOption): PlanCandidate {
  const c: PlanCandidate = { modelId: o.modelId, kind: o.kind, qualityTier: o.qualityTier as QualityTier };
  if (typeof o.provider === 'string' && o.provider !== '') c.provider = o.provider;
  if (o.deployment && typeof o.deployment === 'object') c.deployment = { ...o.deployment, gpusPerReplica: gpusPerReplica(o.deployment) };
  return c;
}

function evaluationAction(a: OptionAssessment, ctx: WorkloadContext): string {
  const kindText = a.option.kind === 'managed_open' ? 'managed open' : a.option.kind === 'cheaper_closed' ? 'cheaper closed' : 'self-hosted';
  const via = a.option.kind !== 'self_host' && a.option.provider ? ` via ${a.option.provider}` : '';
  return `Evaluate ${kindText} ${a.option.modelId}${via} against ${ctx.baselineModel}`;
}

function evaluationStep(a: OptionAssessment, ctx: WorkloadContext, s: PlannerSettings): string {
  const base =
    `Run the evaluation: ${label(a.option)} vs ${ctx.baselineModel} on ≥${s.minEvaluationSampleSize} of this workload's samples, ` +
    `measuring ${s.requiredMetrics.join(', ')} (passes when each is within ${num(s.evaluationTolerance, 4)} of the baseline)`;
  return a.evidence.status === 'inconclusive' ? `${base}; the last one was inconclusive: ${a.evidence.missing.join(', ')}` : base;
}

function excludedSummary(assessments: OptionAssessment[]): string {
  const excluded = assessments.filter((a) => a.ceiling === null);
  if (excluded.length === 0) return '';
  return `; excluded: ${excluded.map((a) => `${label(a.option)} by ${a.excludedBy.join(', ')}`).join('; ')}`;
}

function sortGates(gates: Gate[]): Gate[] {
  return [...gates].sort((a, b) => GATE_ORDER.indexOf(a.gate) - GATE_ORDER.indexOf(b.gate));
}

/**
 * Recommends what to do with one workload given the options the economics engine priced for it
 * (USD/month in, USD/month out). Every gate is explained in `reasons`; never throws.
 */
export function planWorkload(
  workload: WorkloadProfile,
  options: readonly CandidateOption[],
  settingsInput?: PlannerSettingsInput | PlannerSettings,
): WorkloadPlan {
  const s = resolvePlannerSettings(settingsInput as PlannerSettingsInput | undefined);
  const ctx = workloadContext(workload, s);
  const raw = Array.isArray(options) ? options : [];
  const valid = raw.filter(isValidOption);
  const malformed = raw.length - valid.length;
  const assessments = holdPilotsBehindCheaper(valid.map((o) => assessOption(o, ctx, s)));
  const ranked = rankOptions(assessments);
  const current = ctx.currentMonthlyCostUsd;
  const zero = new Money(0);

  const risks: string[] = [];
  const nextSteps: string[] = [];
  const ignored = malformed > 0 ? `; ignored ${malformed} malformed option(s)` : '';
  const { recommendation, selection, reasonGates, chosen, pending } = selectOption(assessments, ranked, ctx, s, ignored, nextSteps);

  const focus = chosen ?? pending;
  if (focus !== null) {
    actionSteps(focus, recommendation, ranked, ctx, s, nextSteps, risks);
    riskNotes(focus, ctx, s, risks);
  }
  if (!ctx.categoryAnnotated) {
    nextSteps.push(`Annotate taskCategory: without it only ${ctx.band.min}..${ctx.band.max} candidates are considered`);
  }

  const candidate = chosen ? candidateOf(chosen.option) : null;
  const projected = chosen ? chosen.monthlyCostUsd : current;
  return {
    workload: ctx.slug,
    ownerTeam: ctx.ownerTeam,
    recommendation,
    candidate,
    pendingEvaluation: pending
      ? {
          ...candidateOf(pending.option),
          monthlySavingsUsd: pending.monthlySavingsUsd,
          oneOffMigrationCostUsd: pending.oneOffMigrationCostUsd,
          action: evaluationAction(pending, ctx),
        }
      : null,
    nextStep: nextSteps[0] ?? null,
    currentMonthlyCostUsd: current,
    projectedMonthlyCostUsd: projected,
    monthlySavingsUsd: chosen ? chosen.monthlySavingsUsd : zero,
    oneOffMigrationCostUsd: chosen ? chosen.oneOffMigrationCostUsd : zero,
    breakEvenMonths: chosen ? chosen.breakEvenMonths : null,
    confidence: confidenceFor(chosen ?? pending, recommendation, ctx),
    reasons: sortGates([selection, ...reasonGates]),
    risks,
    nextSteps,
    optionsConsidered: assessments.map((a) => ({
      modelId: a.option.modelId,
      kind: a.option.kind,
      ...(typeof a.option.provider === 'string' && a.option.provider !== '' ? { provider: a.option.provider } : {}),
      qualityTier: a.option.qualityTier,
      monthlyCostUsd: a.monthlyCostUsd,
      monthlySavingsUsd: a.monthlySavingsUsd,
      evidence: a.evidence.status,
      ceiling: a.ceiling,
      excludedBy: a.excludedBy,
    })),
  };
}

interface Selection {
  recommendation: Recommendation;
  /** The selection gate, explaining the pick. */
  selection: Gate;
  /** The gates shown beside it: the picked option's, or the closest excluded option's. */
  reasonGates: Gate[];
  chosen: OptionAssessment | null;
  /** The best option when it only waits for a passing evaluation. */
  pending: OptionAssessment | null;
}

/** Picks the recommendation from the ranked options and explains it; adds stay-closed steps to `nextSteps` when nothing clears the gates. */
function selectOption(
  assessments: OptionAssessment[],
  ranked: OptionAssessment[],
  ctx: WorkloadContext,
  s: PlannerSettings,
  ignored: string,
  nextSteps: string[],
): Selection {
  const top = ranked[0] ?? null;
  let recommendation: Recommendation = 'stay_closed';
  let reasonGates: Gate[];
  let selection: Gate;
  let chosen: OptionAssessment | null = null;
  let pending: OptionAssessment | null = null;

  if (top !== null && readinessLevel(top.ceiling) > 0) {
    chosen = top;
    recommendation = top.ceiling!;
    const sameLevel = ranked.filter((a) => readinessLevel(a.ceiling) === readinessLevel(top.ceiling));
    const cheaper = sameLevel.filter((a) => a !== top && a.monthlyCostUsd.lt(top.monthlyCostUsd));
    const why =
      cheaper.length > 0 && top.preferenceReasons.length > 0
        ? `preferred over cheaper ${cheaper.map((a) => label(a.option)).join(', ')} because ${top.preferenceReasons.join(' and ')}`
        : `cheapest of ${sameLevel.length} option(s) at this readiness`;
    selection = {
      gate: 'selection',
      status: 'pass',
      detail:
        `${recommendation === 'pilot_self_host' ? `pilot of ${label(top.option)}, held at pilot by ${top.caps.join(', ')}` : `chose ${label(top.option)}`}` +
        `, ${top.option.qualityTier}-tier, ${top.evidence.status === 'passed' ? 'with a passing evaluation' : 'without a passing evaluation'}` +
        ` — ${why} among ${assessments.length} option(s)${excludedSummary(assessments)}${ignored}`,
    };
    reasonGates = top.gates;
  } else if (top !== null) {
    pending = top;
    selection = {
      gate: 'selection',
      status: 'fail',
      detail:
        `evaluate first: ${label(top.option)}, the cheapest eligible option, would save ${usd(top.monthlySavingsUsd)}/month at stake ` +
        `but has no passing evaluation (every move needs one)` +
        (top.option.kind === 'self_host' && ctx.highStakes ? ` (no pilot without evidence for a ${ctx.band.min}-class task)` : '') +
        heldText(assessments) +
        `${excludedSummary(assessments)}${ignored}`,
    };
    reasonGates = top.gates;
  } else if (assessments.length > 0) {
    const closest = [...assessments].sort(
      (x, y) =>
        Number(x.excludedBy.includes('task-fit')) - Number(y.excludedBy.includes('task-fit')) ||
        x.excludedBy.length - y.excludedBy.length ||
        y.monthlySavingsUsd.comparedTo(x.monthlySavingsUsd),
    )[0];
    selection = {
      gate: 'selection',
      status: 'fail',
      detail: `no option clears the gates (gates shown for the closest, ${label(closest.option)})${excludedSummary(assessments)}${ignored}`,
    };
    reasonGates = closest.gates;
    staySteps(assessments, ctx, s, nextSteps);
  } else {
    selection = {
      gate: 'selection',
      status: 'fail',
      detail: `no candidate options were supplied for this workload${ignored}`,
    };
    reasonGates = [];
    nextSteps.push('Price candidate options for this workload (economics engine) and re-run the planner');
  }
  return { recommendation, selection, reasonGates, chosen, pending };
}

function heldText(assessments: OptionAssessment[]): string {
  const held = assessments.filter((a) => a.heldBehind.length > 0);
  if (held.length === 0) return '';
  return `; no self-host pilot ahead of a cheaper option: ${held.map((a) => `${label(a.option)} waits for ${a.heldBehind.map(label).join(', ')}`).join('; ')}`;
}

function actionSteps(
  a: OptionAssessment,
  recommendation: Recommendation,
  ranked: OptionAssessment[],
  ctx: WorkloadContext,
  s: PlannerSettings,
  steps: string[],
  risks: string[],
): void {
  const o = a.option;
  const owner = ctx.ownerTeam ? ` (owner: ${ctx.ownerTeam})` : '';
  if (a.evidence.status !== 'passed') steps.push(evaluationStep(a, ctx, s));
  switch (recommendation) {
    case 'self_host':
      steps.push(
        `Provision ${deploymentText(o.deployment)} for ${o.modelId}; mirror traffic, then cut over behind a flag with ${ctx.baselineModel} as fallback${owner}`,
      );
      steps.push('Put on-call, autoscaling and model-upgrade ownership in place before cut-over');
      break;
    case 'pilot_self_host':
      steps.push(
        `Pilot ${o.modelId} on ${deploymentText(o.deployment)} with shadow traffic; compare p95 latency, error rate and ` +
          `${s.requiredMetrics.join(', ')} against ${ctx.baselineModel}${owner}`,
      );
      if (a.caps.includes("team maturity 'some'")) {
        steps.push("Graduate to self_host once the team can own GPU serving in production (teamMaturity 'strong')");
      }
      if (a.caps.includes('unstable volume')) {
        steps.push(
          `Size replicas for peak daily volume or smooth load (batching, queueing) before committing: cv ${ctx.volumeCv === null ? 'unknown' : num(ctx.volumeCv)} > ${num(s.stabilityMaxCv)}`,
        );
      }
      break;
    case 'managed_open':
      steps.push(
        `Switch to ${o.modelId}${o.provider ? ` via ${o.provider}` : ''} behind a feature flag; keep ${ctx.baselineModel} as fallback for two weeks${owner}`,
      );
      break;
    case 'cheaper_closed':
      steps.push(`Switch the model to ${o.modelId}${o.provider ? ` (${o.provider})` : ''}; monitor ${s.requiredMetrics.join(', ')} for two weeks${owner}`);
      break;
    case 'stay_closed':
      steps.push(
        `Stay on ${ctx.baselineModel} until the evaluation passes; ${label(o)} would then save ${usd(a.monthlySavingsUsd)}/month`,
      );
      break;
  }
  if (readinessLevel(recommendation) > 0) {
    const upside = ranked.find(
      (x) => readinessLevel(x.ceiling) < readinessLevel(recommendation) && x.monthlySavingsUsd.gt(a.monthlySavingsUsd),
    );
    if (upside) {
      const blocker = upside.evidence.status !== 'passed' ? 'no passing evaluation' : upside.caps.length > 0 ? upside.caps.join(', ') : 'not ready';
      steps.push(
        `Upside: ${label(upside.option)} would save ${usd(upside.monthlySavingsUsd)}/month ` +
          `(${usd(upside.monthlySavingsUsd.minus(a.monthlySavingsUsd))} more) once unblocked: ${blocker}`,
      );
    }
  }
  if (recommendation !== 'stay_closed' && a.evidence.status !== 'passed') {
    risks.push(`Savings of ${usd(a.monthlySavingsUsd)}/month are unproven until the evaluation passes`);
  }
}

function riskNotes(a: OptionAssessment, ctx: WorkloadContext, s: PlannerSettings, risks: string[]): void {
  const o = a.option;
  const provider = typeof o.provider === 'string' && o.provider !== '' ? o.provider : 'a third-party provider';
  const sameProvider = ctx.currentProviders.some((p) => sameText(p, o.provider));
  if (o.kind === 'self_host') {
    risks.push(
      `Self-hosting ${o.modelId} on ${deploymentText(o.deployment)}: the team owns uptime, scaling and upgrades ` +
        `(the ${usd(a.monthlyCostUsd)}/month includes people)`,
    );
    if (ctx.monthlyGrowth >= 0.1) {
      risks.push(`Volume grows ${num(ctx.monthlyGrowth * 100, 1)}%/month: re-check replica count at least quarterly`);
    }
  } else {
    if (ctx.sensitivity === 'regulated') {
      risks.push(
        `Regulated data would be processed by ${provider} (an approved processor): check the DPA covers this workload` +
          (ctx.residency.length > 0 ? ` and that ${regionText(ctx)} processing is enabled on the account` : ''),
      );
    } else if (ctx.residency.length > 0) {
      const cond = o.providerRegions?.conditions ? ` (${o.providerRegions.conditions})` : '';
      risks.push(`Residency (${regionText(ctx)}): enable ${regionText(ctx)} processing for ${o.modelId} at ${provider}${cond}`);
    }
    if (ctx.sensitivity === 'confidential' && !sameProvider) {
      risks.push(`Confidential data goes to a new processor (${provider}): check retention and training-use terms`);
    }
    if (ctx.needsCustomisation && o.kind === 'cheaper_closed') {
      risks.push('A closed model limits customisation (needsCustomisation): keep open-weight options on the table');
    }
  }
  if (!ctx.stable) {
    risks.push(
      `Daily volume varies (cv ${ctx.volumeCv === null ? 'unknown' : num(ctx.volumeCv)} > ${num(s.stabilityMaxCv)}): ` +
        (o.kind === 'self_host' ? 'fixed GPU capacity idles off-peak or saturates at peak' : 'monthly savings are less certain'),
    );
  }
  if (ctx.latencyTargetP95Ms !== null && positiveOrNull(o.expectedP95LatencyMs) === null) {
    risks.push(`Latency target ${num(ctx.latencyTargetP95Ms, 0)}ms unverified for ${o.modelId}: measure p95 before cut-over`);
  }
}

function staySteps(
  assessments: OptionAssessment[],
  ctx: WorkloadContext,
  s: PlannerSettings,
  steps: string[],
): void {
  const taskFit = assessments.filter((a) => !a.excludedBy.includes('task-fit'));
  if (taskFit.length === 0) {
    steps.push(`No priced option fits the task (eligible ${ctx.band.min}..${ctx.band.max}): price options in that band`);
    return;
  }
  const by = (g: GateName) => taskFit.filter((a) => a.excludedBy.includes(g));
  const valueFails = by('value');
  if (valueFails.length > 0) {
    const best = valueFails.reduce((m, a) => (a.monthlySavingsUsd.gt(m.monthlySavingsUsd) ? a : m));
    const floor = best.option.kind === 'self_host' ? s.selfHostSavingsFloorUsd : s.managedSavingsFloorUsd;
    const saves = best.monthlySavingsUsd.gt(0)
      ? `saves ${usd(best.monthlySavingsUsd)}/month`
      : `saves nothing (costs ${usd(best.monthlySavingsUsd.neg())}/month more)`;
    steps.push(
      `Stay closed: the best option, ${label(best.option)}, ${saves} against a ${usd(floor)}/month floor ` +
        `and ${num(s.maxBreakEvenMonths)}-month payback limit; revisit when spend grows`,
    );
  }
  for (const a of by('volume')) {
    if (a.monthsToCrossover !== null) {
      steps.push(`Revisit ${a.option.modelId} self-hosting in ~${a.monthsToCrossover} months, when growth lifts volume past the crossover`);
    }
  }
  for (const a of by('latency')) {
    steps.push(
      `Ask for a faster deployment of ${a.option.modelId} (expected p95 ${num(toNumber(a.option.expectedP95LatencyMs), 0)}ms > target ${num(ctx.latencyTargetP95Ms ?? 0, 0)}ms) or revisit the target`,
    );
  }
  const dataBlocked = by('data-control');
  const unapproved = [
    ...new Set(
      dataBlocked
        .filter((a) => ctx.sensitivity === 'regulated' && typeof a.option.provider === 'string' && !s.approvedProcessors.some((p) => sameText(p, a.option.provider)))
        .map((a) => a.option.provider as string),
    ),
  ];
  if (unapproved.length > 0) {
    steps.push(
      `Regulated data: ${unapproved.join(', ')} ${unapproved.length === 1 ? 'is not an approved processor' : 'are not approved processors'}; add ${unapproved.length === 1 ? 'it' : 'them'} to ` +
        `the planner's approvedProcessors only if your DPA covers this data, or self-host (no new processor)`,
    );
  }
  if (ctx.residency.length > 0 && dataBlocked.some((a) => a.option.kind !== 'self_host')) {
    steps.push(`Residency ${regionText(ctx)}: API options without sourced ${regionText(ctx)} processing are excluded; self-hosting in ${regionText(ctx)} or an in-region provider keeps the data there`);
  }
  for (const a of by('quality-evidence')) {
    steps.push(`${a.option.modelId} failed its evaluation: consider a larger tier or fine-tuning before re-evaluating`);
  }
  const teamOnly = taskFit.filter((a) => a.excludedBy.length === 1 && a.excludedBy[0] === 'team-maturity');
  for (const a of teamOnly) {
    steps.push(
      `Self-hosting ${a.option.modelId} would save ${usd(a.monthlySavingsUsd)}/month but needs a team that can run GPU serving ` +
        `(teamMaturity '${s.teamMaturity}')` +
        (ctx.sensitivity === 'regulated' || ctx.residency.length > 0 ? '; it would also give full data control' : ''),
    );
  }
}

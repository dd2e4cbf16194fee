import { Money } from '../money.js';
import { assessEvidence } from './evaluation.js';
import { resolvePlannerSettings } from './settings.js';
import { eligibleTierBand, isTaskCategory, tierRank, tierWithin, type TierBand } from './tiers.js';
import type {
  CandidateOption,
  Confidence,
  DataSensitivity,
  Deployment,
  EvidenceVerdict,
  Gate,
  GateName,
  OptionKind,
  PlanCandidate,
  PlannerSettings,
  PlannerSettingsInput,
  QualityRequirement,
  QualityTier,
  Recommendation,
  TaskCategory,
  WorkloadEvaluation,
  WorkloadPlan,
  WorkloadProfile,
} from './types.js';
import { num, tokens as tokenText, toMoney, toNonNegative, toNumber, usd } from './values.js';

/** Everything the gates need to know about a workload, with bad input already replaced by safe values. */
export interface WorkloadContext {
  slug: string;
  ownerTeam: string | null;
  currentMonthlyCostUsd: Money;
  monthlyTokens: number;
  monthlyGrowth: number;
  /** Coefficient of variation of daily volume; null when unknown (treated as unstable). */
  volumeCv: number | null;
  stable: boolean;
  band: TierBand;
  categoryAnnotated: boolean;
  /** The eligible band starts at large or frontier: no pilot without evidence. */
  highStakes: boolean;
  sensitivity: DataSensitivity | null;
  residency: string[];
  needsCustomisation: boolean;
  latencyTargetP95Ms: number | null;
  currentP95Ms: number | null;
  currentModelIds: string[];
  currentProviders: string[];
  /** The current model carrying most spend, used as the evaluation baseline in next steps. */
  baselineModel: string;
  evaluations: WorkloadEvaluation[];
}

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
}

const KINDS: readonly OptionKind[] = ['cheaper_closed', 'managed_open', 'self_host'];
const SENSITIVITIES: readonly DataSensitivity[] = ['public', 'internal', 'confidential', 'regulated'];
const NEAR_CROSSOVER_RATIO = 1.25;
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

function sameText(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();
}

function positiveOrNull(v: unknown): number | null {
  const n = toNumber(v, NaN);
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** Untrusted WorkloadProfile → WorkloadContext (never throws; missing fields get neutral defaults). */
export function workloadContext(raw: WorkloadProfile | null | undefined, settings: PlannerSettings): WorkloadContext {
  const w = (raw && typeof raw === 'object' ? raw : {}) as Partial<WorkloadProfile>;
  const a = (w.annotations && typeof w.annotations === 'object' ? w.annotations : {}) as WorkloadProfile['annotations'];
  const models = (Array.isArray(w.currentModels) ? w.currentModels : []).filter(
    (m) => !!m && typeof m === 'object' && typeof m.modelId === 'string',
  );
  const band = eligibleTierBand(a.taskCategory as TaskCategory | undefined, a.qualityRequirement as QualityRequirement | undefined);
  const cvRaw = toNumber(w.volumeStability, NaN);
  const volumeCv = Number.isFinite(cvRaw) && cvRaw >= 0 ? cvRaw : null;
  const current = toMoney(w.monthlySpendUsd);
  const baseline = [...models].sort((x, y) => toNumber(y.shareOfSpend) - toNumber(x.shareOfSpend))[0];
  return {
    slug: typeof w.slug === 'string' && w.slug !== '' ? w.slug : 'unnamed-workload',
    ownerTeam: typeof a.ownerTeam === 'string' && a.ownerTeam !== '' ? a.ownerTeam : null,
    currentMonthlyCostUsd: current.isNegative() ? new Money(0) : current,
    monthlyTokens: toNonNegative(w.monthlyInputTokens) + toNonNegative(w.monthlyOutputTokens),
    monthlyGrowth: toNumber(w.monthlyGrowth, 0),
    volumeCv,
    stable: volumeCv !== null && volumeCv <= settings.stabilityMaxCv,
    band,
    categoryAnnotated: isTaskCategory(a.taskCategory),
    highStakes: tierRank(band.min) >= tierRank('large'),
    sensitivity: SENSITIVITIES.includes(a.dataSensitivity as DataSensitivity) ? (a.dataSensitivity as DataSensitivity) : null,
    residency: (Array.isArray(a.residency) ? a.residency : []).filter((r): r is string => typeof r === 'string' && r !== ''),
    needsCustomisation: a.needsCustomisation === true,
    latencyTargetP95Ms: positiveOrNull(a.latencyTargetP95Ms),
    currentP95Ms: positiveOrNull(w.p95LatencyMs),
    currentModelIds: models.map((m) => m.modelId),
    currentProviders: models.map((m) => m.provider).filter((p): p is string => typeof p === 'string'),
    baselineModel: baseline?.modelId ?? 'the current model',
    evaluations: Array.isArray(w.evaluations) ? w.evaluations : [],
  };
}

function isValidOption(o: unknown): o is CandidateOption {
  return !!o && typeof o === 'object' && KINDS.includes((o as CandidateOption).kind) && typeof (o as CandidateOption).modelId === 'string';
}

function deploymentText(d: Deployment | undefined): string {
  if (!d || typeof d !== 'object') return 'GPUs sized by the economics engine';
  return `${d.replicas ?? 1} replica(s) × ${d.gpuCount ?? 1}× ${d.gpu ?? 'GPU'} (${d.precision ?? 'default precision'})`;
}

function regionText(ctx: WorkloadContext): string {
  return ctx.residency.length > 0 ? ctx.residency.join('/') : 'in-region';
}

function label(o: CandidateOption): string {
  return `${o.modelId} (${o.kind})`;
}

/** Runs every gate on one option. Pure; never throws. */
export function assessOption(option: CandidateOption, ctx: WorkloadContext, settings: PlannerSettings): OptionAssessment {
  const kind = option.kind;
  const cost = toMoney(option.monthlyCostUsd);
  const oneOff = toMoney(option.oneOffMigrationCostUsd);
  const savings = ctx.currentMonthlyCostUsd.minus(cost);
  const breakEvenMonths = savings.gt(0) ? oneOff.div(savings).toDecimalPlaces(2).toNumber() : null;
  const gates: Gate[] = [];
  const excludedBy: GateName[] = [];
  const caps: string[] = [];
  const exclude = (g: GateName) => excludedBy.push(g);

  // task fit
  const tierOk = tierWithin(option.qualityTier, ctx.band);
  gates.push({
    gate: 'task-fit',
    status: tierOk ? 'pass' : 'fail',
    detail: `${option.modelId} is ${tierRank(option.qualityTier) >= 0 ? `${option.qualityTier}-tier` : `of unknown tier '${String(option.qualityTier)}'`}; eligible band: ${ctx.band.explanation}`,
  });
  if (!tierOk) exclude('task-fit');

  // value
  const floor = kind === 'self_host' ? settings.selfHostSavingsFloorUsd : settings.managedSavingsFloorUsd;
  const floorName = kind === 'self_host' ? 'self-host' : 'managed';
  const savingsOk = savings.gt(0) && savings.gte(floor);
  const paybackOk = breakEvenMonths !== null && breakEvenMonths <= settings.maxBreakEvenMonths;
  const savingText = savings.gt(0)
    ? `saves ${usd(savings)}/month (${usd(ctx.currentMonthlyCostUsd)} now − ${usd(cost)})`
    : `costs ${usd(savings.neg())}/month more (${usd(cost)} vs ${usd(ctx.currentMonthlyCostUsd)} now)`;
  const valueDetail =
    `${savingText}; ${floorName} floor ${usd(floor)}/month ${savingsOk ? 'met' : 'not met'}` +
    (breakEvenMonths !== null
      ? `; one-off ${usd(oneOff)} pays back in ${num(breakEvenMonths)} months (max ${num(settings.maxBreakEvenMonths)})`
      : '');
  gates.push({ gate: 'value', status: savingsOk && paybackOk ? 'pass' : 'fail', detail: valueDetail });
  if (!(savingsOk && paybackOk)) exclude('value');

  // quality evidence
  const evidence = assessEvidence(ctx.evaluations, option.modelId, ctx.currentModelIds, settings, option.qualityScores);
  gates.push({ gate: 'quality-evidence', status: evidence.status === 'passed' ? 'pass' : 'fail', detail: evidence.detail });
  if (evidence.status === 'failed') exclude('quality-evidence');

  // volume
  const cvText =
    ctx.volumeCv === null
      ? 'daily volume cv unknown (treated as unstable)'
      : `daily volume cv ${num(ctx.volumeCv)} ${ctx.stable ? '≤' : '>'} ${num(settings.stabilityMaxCv)}${ctx.stable ? ' (stable)' : ' (unstable)'}`;
  let nearCrossover = false;
  let monthsToCrossover: number | null = null;
  if (kind === 'self_host') {
    const crossover = option.crossoverMonthlyTokens;
    let volumeText: string;
    let volumeOk = true;
    if (crossover === null) {
      volumeOk = false;
      volumeText = `no crossover volume: self-hosting ${option.modelId} is never cheaper than the API`;
    } else if (typeof crossover === 'number' && Number.isFinite(crossover) && crossover >= 0) {
      if (ctx.monthlyTokens < crossover) {
        volumeOk = false;
        if (ctx.monthlyGrowth > 0 && ctx.monthlyTokens > 0) {
          monthsToCrossover = Math.ceil(Math.log(crossover / ctx.monthlyTokens) / Math.log(1 + ctx.monthlyGrowth));
        }
        volumeText =
          `volume ${tokenText(ctx.monthlyTokens)}/month below the crossover ${tokenText(crossover)}/month` +
          (monthsToCrossover !== null
            ? ` (reached in ~${monthsToCrossover} months at ${num(ctx.monthlyGrowth * 100, 1)}%/month growth)`
            : '');
      } else {
        nearCrossover = ctx.monthlyTokens < crossover * NEAR_CROSSOVER_RATIO;
        const ratio = crossover > 0 ? ` (${num(ctx.monthlyTokens / crossover, 2)}×${nearCrossover ? ', thin margin' : ''})` : '';
        volumeText = `volume ${tokenText(ctx.monthlyTokens)}/month ≥ crossover ${tokenText(crossover)}/month${ratio}`;
      }
    } else {
      volumeText = `volume ${tokenText(ctx.monthlyTokens)}/month; crossover unknown (the value gate decides)`;
    }
    if (!volumeOk) exclude('volume');
    if (volumeOk && !ctx.stable) caps.push('unstable volume');
    gates.push({
      gate: 'volume',
      status: volumeOk && ctx.stable ? 'pass' : 'fail',
      detail: `${volumeText}; ${cvText}${ctx.stable ? '' : ': GPU capacity must be sized for peaks'}`,
    });
  } else {
    gates.push({
      gate: 'volume',
      status: 'n/a',
      detail: `pay-per-token API: no crossover volume; ${cvText}${ctx.stable ? '' : ' lowers confidence'}`,
    });
  }

  // latency
  const expected = positiveOrNull(option.expectedP95LatencyMs);
  const today = ctx.currentP95Ms !== null ? `; today ${num(ctx.currentP95Ms, 0)}ms` : '';
  if (ctx.latencyTargetP95Ms !== null && expected !== null) {
    const ok = expected <= ctx.latencyTargetP95Ms;
    gates.push({
      gate: 'latency',
      status: ok ? 'pass' : 'fail',
      detail: `expected p95 ${num(expected, 0)}ms ${ok ? '≤' : '>'} target ${num(ctx.latencyTargetP95Ms, 0)}ms${today}`,
    });
    if (!ok) exclude('latency');
  } else if (ctx.latencyTargetP95Ms !== null) {
    gates.push({
      gate: 'latency',
      status: 'n/a',
      detail: `target p95 ${num(ctx.latencyTargetP95Ms, 0)}ms but no expected p95 for ${option.modelId}: verify before cut-over${today}`,
    });
  } else {
    gates.push({ gate: 'latency', status: 'n/a', detail: `no latency target annotated${today}` });
  }

  // team maturity
  if (kind === 'self_host') {
    const t = settings.teamMaturity;
    if (t === 'none') exclude('team-maturity');
    if (t === 'some') caps.push("team maturity 'some'");
    gates.push({
      gate: 'team-maturity',
      status: t === 'strong' ? 'pass' : 'fail',
      detail:
        t === 'strong'
          ? "team maturity 'strong': can run GPU serving in production"
          : t === 'some'
            ? "team maturity 'some': self-hosting limited to a pilot"
            : "team maturity 'none': self-hosting excluded (managed APIs only)",
    });
  } else {
    gates.push({
      gate: 'team-maturity',
      status: 'pass',
      detail: `${kind === 'managed_open' ? 'managed open API' : 'closed API'}: no serving team needed (team maturity '${settings.teamMaturity}')`,
    });
  }

  // data control
  const regulated = ctx.sensitivity === 'regulated';
  const sensitive = regulated || ctx.residency.length > 0;
  const provider = typeof option.provider === 'string' && option.provider !== '' ? option.provider : null;
  const sameProvider = provider !== null && ctx.currentProviders.some((p) => sameText(p, provider));
  const sensitivityLabel = ctx.sensitivity ?? 'unclassified';
  if (!sensitive && ctx.sensitivity !== 'confidential') {
    gates.push({
      gate: 'data-control',
      status: 'n/a',
      detail: `data sensitivity '${sensitivityLabel}', no residency requirement`,
    });
  } else if (kind === 'self_host') {
    gates.push({
      gate: 'data-control',
      status: 'pass',
      detail:
        `full data control: self-hosting keeps ${sensitivityLabel} data on your own infrastructure` +
        (ctx.residency.length > 0 ? ` in ${regionText(ctx)}` : '') +
        '; no new third-party processor',
    });
  } else {
    const who = provider ?? 'a third-party provider';
    gates.push({
      gate: 'data-control',
      status: 'pass',
      detail:
        `data control: ${kind === 'managed_open' ? 'managed open API' : 'closed API'} sends ${sensitivityLabel} data to ${who}` +
        (sameProvider ? ' (same provider as today)' : '') +
        (sensitive
          ? ` — conditional on a data processing agreement and ${regionText(ctx)} processing; ` +
            `self-hosting or an in-region provider gives stronger data control`
          : ''),
    });
  }

  // customisation
  if (ctx.needsCustomisation) {
    gates.push(
      kind === 'cheaper_closed'
        ? {
            gate: 'customisation',
            status: 'n/a',
            detail: 'customisation needed: a closed model limits it to provider fine-tuning; open-weight options are favoured',
          }
        : {
            gate: 'customisation',
            status: 'pass',
            detail: 'customisation needed: open weights allow fine-tuning/LoRA and pinning the model version (favoured)',
          },
    );
  } else {
    gates.push({ gate: 'customisation', status: 'n/a', detail: 'no customisation need annotated' });
  }

  // ceiling
  let ceiling: Recommendation | null = null;
  if (excludedBy.length === 0) {
    if (kind !== 'self_host') {
      ceiling = evidence.status === 'passed' ? kind : 'stay_closed';
    } else if (evidence.status !== 'passed' && ctx.highStakes) {
      ceiling = 'stay_closed';
    } else {
      if (evidence.status !== 'passed') caps.unshift('no passing evaluation');
      ceiling = caps.length > 0 ? 'pilot_self_host' : 'self_host';
    }
  }
  const preferenceReasons: string[] = [];
  if (sensitive && kind === 'self_host') {
    preferenceReasons.push(regulated ? 'regulated data favours self-hosting' : `residency (${regionText(ctx)}) favours self-hosting`);
  }
  if (ctx.needsCustomisation && kind !== 'cheaper_closed') preferenceReasons.push('customisation favours open weights');

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
  };
}

/** Recommendation → readiness level: 2 = migrate now, 1 = pilot, 0 = stay closed. */
export function readinessLevel(r: Recommendation | null): number {
  if (r === 'self_host' || r === 'managed_open' || r === 'cheaper_closed') return 2;
  if (r === 'pilot_self_host') return 1;
  return 0;
}

/** Orders non-excluded options: readiness level desc, then soft preference desc, then monthly cost asc (USD), then modelId. */
export function rankOptions(assessments: OptionAssessment[]): OptionAssessment[] {
  return assessments
    .filter((a) => a.ceiling !== null)
    .sort(
      (x, y) =>
        readinessLevel(y.ceiling) - readinessLevel(x.ceiling) ||
        y.preference - x.preference ||
        x.monthlyCostUsd.comparedTo(y.monthlyCostUsd) ||
        x.option.modelId.localeCompare(y.option.modelId) ||
        x.option.kind.localeCompare(y.option.kind),
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

function candidateOf(o: CandidateOption): PlanCandidate {
  const c: PlanCandidate = { modelId: o.modelId, kind: o.kind, qualityTier: o.qualityTier as QualityTier };
  if (typeof o.provider === 'string' && o.provider !== '') c.provider = o.provider;
  if (o.deployment && typeof o.deployment === 'object') c.deployment = { ...o.deployment };
  return c;
}

function evaluationStep(a: OptionAssessment, ctx: WorkloadContext, s: PlannerSettings): string {
  const base =
    `Run the evaluation: ${a.option.modelId} vs ${ctx.baselineModel} on ≥${s.minEvaluationSampleSize} of this workload's samples, ` +
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
  const assessments = valid.map((o) => assessOption(o, ctx, s));
  const ranked = rankOptions(assessments);
  const top = ranked[0] ?? null;
  const current = ctx.currentMonthlyCostUsd;
  const zero = new Money(0);

  const risks: string[] = [];
  const nextSteps: string[] = [];
  const ignored = malformed > 0 ? `; ignored ${malformed} malformed option(s)` : '';
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
        `no option is ready: ${label(top.option)} would save ${usd(top.monthlySavingsUsd)}/month but needs a passing evaluation` +
        (top.option.kind === 'self_host' && ctx.highStakes ? ` (no pilot without evidence for a ${ctx.band.min}-class task)` : '') +
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
        }
      : null,
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
      qualityTier: a.option.qualityTier,
      monthlyCostUsd: a.monthlyCostUsd,
      monthlySavingsUsd: a.monthlySavingsUsd,
      evidence: a.evidence.status,
      ceiling: a.ceiling,
      excludedBy: a.excludedBy,
    })),
  };
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
      const blocker = upside.caps.length > 0 ? upside.caps.join(', ') : 'no passing evaluation';
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
        `Regulated data would be processed by ${provider}: sign a data processing agreement (DPA) and confirm ` +
          `${regionText(ctx)} processing before migrating`,
      );
    } else if (ctx.residency.length > 0) {
      risks.push(`Residency (${regionText(ctx)}): confirm ${provider} serves ${o.modelId} from ${regionText(ctx)}`);
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

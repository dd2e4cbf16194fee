import type { Money } from '../money.js';
import { positiveOrNull, regionText, sameText, type WorkloadContext } from './context.js';
import { assessEvidence } from './evaluation.js';
import { tierRank, tierWithin } from './tiers.js';
import type { CandidateOption, EvidenceVerdict, Gate, GateName, OptionKind, PlannerSettings, Recommendation } from './types.js';
import { num, tokens as tokenText, usd } from './values.js';

const NEAR_CROSSOVER_RATIO = 1.25;

/** One gate's verdict on one option: its explanation, whether it excludes the option, and what (if anything) holds a self-host at pilot. */
export interface GateOutcome {
  gate: Gate;
  excluded: boolean;
  cap?: string;
}

/** What the value gate weighs: monthly cost and savings (USD/month), one-off migration (USD), payback (months). */
export interface OptionMoney {
  cost: Money;
  oneOff: Money;
  savings: Money;
  breakEvenMonths: number | null;
}

/** Task fit: the option's quality tier lies inside the band the task category and quality requirement allow. */
export function taskFitGate(option: CandidateOption, ctx: WorkloadContext): GateOutcome {
  const tierOk = tierWithin(option.qualityTier, ctx.band);
  return {
    gate: {
      gate: 'task-fit',
      status: tierOk ? 'pass' : 'fail',
      detail: `${option.modelId} is ${tierRank(option.qualityTier) >= 0 ? `${option.qualityTier}-tier` : `of unknown tier '${String(option.qualityTier)}'`}; eligible band: ${ctx.band.explanation}`,
    },
    excluded: !tierOk,
  };
}

/** Value: savings (USD/month) reach the kind's floor and the one-off cost (USD) pays back within maxBreakEvenMonths. */
export function valueGate(option: CandidateOption, ctx: WorkloadContext, settings: PlannerSettings, money: OptionMoney): GateOutcome {
  const kind = option.kind;
  const { cost, oneOff, savings, breakEvenMonths } = money;
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
  return { gate: { gate: 'value', status: savingsOk && paybackOk ? 'pass' : 'fail', detail: valueDetail }, excluded: !(savingsOk && paybackOk) };
}

/** Quality evidence: the option's latest evaluation against the current models; only a failed one excludes. */
export function qualityEvidenceGate(
  option: CandidateOption,
  ctx: WorkloadContext,
  settings: PlannerSettings,
): GateOutcome & { evidence: EvidenceVerdict } {
  const evidence = assessEvidence(ctx.evaluations, option.modelId, ctx.currentModelIds, settings, option.qualityScores);
  return {
    gate: { gate: 'quality-evidence', status: evidence.status === 'passed' ? 'pass' : 'fail', detail: evidence.detail },
    excluded: evidence.status === 'failed',
    evidence,
  };
}

/** Volume: self-hosting needs monthly tokens at or above the option's crossover (tokens/month) and a stable daily volume. */
export function volumeGate(
  option: CandidateOption,
  ctx: WorkloadContext,
  settings: PlannerSettings,
): GateOutcome & { nearCrossover: boolean; monthsToCrossover: number | null } {
  const kind = option.kind;
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
    return {
      gate: {
        gate: 'volume',
        status: volumeOk && ctx.stable ? 'pass' : 'fail',
        detail: `${volumeText}; ${cvText}${ctx.stable ? '' : ': GPU capacity must be sized for peaks'}`,
      },
      excluded: !volumeOk,
      cap: volumeOk && !ctx.stable ? 'unstable volume' : undefined,
      nearCrossover,
      monthsToCrossover,
    };
  }
  return {
    gate: {
      gate: 'volume',
      status: 'n/a',
      detail: `pay-per-token API: no crossover volume; ${cvText}${ctx.stable ? '' : ' lowers confidence'}`,
    },
    excluded: false,
    nearCrossover,
    monthsToCrossover,
  };
}

/** Latency: the option's expected p95 (ms) is within the workload's p95 target (ms), when both are known. */
export function latencyGate(option: CandidateOption, ctx: WorkloadContext): GateOutcome {
  const expected = positiveOrNull(option.expectedP95LatencyMs);
  const today = ctx.currentP95Ms !== null ? `; today ${num(ctx.currentP95Ms, 0)}ms` : '';
  if (ctx.latencyTargetP95Ms !== null && expected !== null) {
    const ok = expected <= ctx.latencyTargetP95Ms;
    return {
      gate: {
        gate: 'latency',
        status: ok ? 'pass' : 'fail',
        detail: `expected p95 ${num(expected, 0)}ms ${ok ? '≤' : '>'} target ${num(ctx.latencyTargetP95Ms, 0)}ms${today}`,
      },
      excluded: !ok,
    };
  } else if (ctx.latencyTargetP95Ms !== null) {
    return {
      gate: {
        gate: 'latency',
        status: 'n/a',
        detail: `target p95 ${num(ctx.latencyTargetP95Ms, 0)}ms but no expected p95 for ${option.modelId}: verify before cut-over${today}`,
      },
      excluded: false,
    };
  }
  return { gate: { gate: 'latency', status: 'n/a', detail: `no latency target annotated${today}` }, excluded: false };
}

/** Team maturity: self-hosting needs a team that runs GPU serving ('some' holds it at a pilot, 'none' excludes it). */
export function teamMaturityGate(option: CandidateOption, settings: PlannerSettings): GateOutcome {
  const kind = option.kind;
  if (kind === 'self_host') {
    const t = settings.teamMaturity;
    return {
      gate: {
        gate: 'team-maturity',
        status: t === 'strong' ? 'pass' : 'fail',
        detail:
          t === 'strong'
            ? "team maturity 'strong': can run GPU serving in production"
            : t === 'some'
              ? "team maturity 'some': self-hosting limited to a pilot"
              : "team maturity 'none': self-hosting excluded (managed APIs only)",
      },
      excluded: t === 'none',
      cap: t === 'some' ? "team maturity 'some'" : undefined,
    };
  }
  return {
    gate: {
      gate: 'team-maturity',
      status: 'pass',
      detail: `${kind === 'managed_open' ? 'managed open API' : 'closed API'}: no serving team needed (team maturity '${settings.teamMaturity}')`,
    },
    excluded: false,
  };
}

/** Data control: who would process the workload's data; explains, never excludes (preferences weigh it). */
export function dataControlGate(option: CandidateOption, ctx: WorkloadContext): GateOutcome {
  const kind = option.kind;
  const regulated = ctx.sensitivity === 'regulated';
  const sensitive = regulated || ctx.residency.length > 0;
  const provider = typeof option.provider === 'string' && option.provider !== '' ? option.provider : null;
  const sameProvider = provider !== null && ctx.currentProviders.some((p) => sameText(p, provider));
  const sensitivityLabel = ctx.sensitivity ?? 'unclassified';
  let gate: Gate;
  if (!sensitive && ctx.sensitivity !== 'confidential') {
    gate = {
      gate: 'data-control',
      status: 'n/a',
      detail: `data sensitivity '${sensitivityLabel}', no residency requirement`,
    };
  } else if (kind === 'self_host') {
    gate = {
      gate: 'data-control',
      status: 'pass',
      detail:
        `full data control: self-hosting keeps ${sensitivityLabel} data on your own infrastructure` +
        (ctx.residency.length > 0 ? ` in ${regionText(ctx)}` : '') +
        '; no new third-party processor',
    };
  } else {
    const who = provider ?? 'a third-party provider';
    gate = {
      gate: 'data-control',
      status: 'pass',
      detail:
        `data control: ${kind === 'managed_open' ? 'managed open API' : 'closed API'} sends ${sensitivityLabel} data to ${who}` +
        (sameProvider ? ' (same provider as today)' : '') +
        (sensitive
          ? ` — conditional on a data processing agreement and ${regionText(ctx)} processing; ` +
            `self-hosting or an in-region provider gives stronger data control`
          : ''),
    };
  }
  return { gate, excluded: false };
}

/** Customisation: when annotated, open weights (fine-tuning, pinned versions) are favoured over a closed model; never excludes. */
export function customisationGate(option: CandidateOption, ctx: WorkloadContext): GateOutcome {
  const kind = option.kind;
  if (ctx.needsCustomisation) {
    return {
      gate:
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
      excluded: false,
    };
  }
  return { gate: { gate: 'customisation', status: 'n/a', detail: 'no customisation need annotated' }, excluded: false };
}

/**
 * The most an option can reach (null = excluded). A self-host without a passing evaluation stays closed when
 * the task is high-stakes, else is held at pilot; `caps` gains 'no passing evaluation' first in that case.
 */
export function ceilingFor(
  kind: OptionKind,
  evidence: EvidenceVerdict,
  ctx: WorkloadContext,
  excludedBy: GateName[],
  caps: string[],
): Recommendation | null {
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
  return ceiling;
}

/** Soft preferences: self-hosting for regulated or residency-bound data, open weights when customisation is needed. */
export function preferenceReasonsFor(kind: OptionKind, ctx: WorkloadContext): string[] {
  const regulated = ctx.sensitivity === 'regulated';
  const sensitive = regulated || ctx.residency.length > 0;
  const preferenceReasons: string[] = [];
  if (sensitive && kind === 'self_host') {
    preferenceReasons.push(regulated ? 'regulated data favours self-hosting' : `residency (${regionText(ctx)}) favours self-hosting`);
  }
  if (ctx.needsCustomisation && kind !== 'cheaper_closed') preferenceReasons.push('customisation favours open weights');
  return preferenceReasons;
}

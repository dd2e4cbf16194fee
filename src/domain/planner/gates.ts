import type { Money } from '../money.js';
import { positiveOrNull, regionText, sameText, type WorkloadContext } from './context.js';
import { regionSatisfies } from './providers.js';
import { assessEvidence } from './evaluation.js';
import { tierRank, tierWithin } from './tiers.js';
import type { CandidateOption, CrossoverPoint, EvidenceVerdict, Gate, GateName, OptionKind, PlannerSettings, Recommendation } from './types.js';
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

/**
 * Task fit: the option's quality tier lies inside the band the task category and quality requirement allow, or the
 * org's own evaluation of this model on this workload passed (measured evidence beats the size proxy). The band still
 * applies to unevaluated candidates; a failed evaluation excludes through the quality-evidence gate.
 */
export function taskFitGate(option: CandidateOption, ctx: WorkloadContext, evidence?: EvidenceVerdict): GateOutcome {
  const tierOk = tierWithin(option.qualityTier, ctx.band);
  const tierText = `${option.modelId} is ${tierRank(option.qualityTier) >= 0 ? `${option.qualityTier}-tier` : `of unknown tier '${String(option.qualityTier)}'`}`;
  if (!tierOk && evidence?.status === 'passed') {
    return {
      gate: {
        gate: 'task-fit',
        status: 'pass',
        detail: `${tierText}, outside the band (${ctx.band.explanation}), but your evaluation on this workload passed: measured quality beats the size band`,
      },
      excluded: false,
    };
  }
  return {
    gate: { gate: 'task-fit', status: tierOk ? 'pass' : 'fail', detail: `${tierText}; eligible band: ${ctx.band.explanation}` },
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
    const point = crossoverPoint(option);
    const crossover = point?.status === 'crosses' ? point.monthlyTokens : undefined;
    const against = point?.against ? ` (vs ${point.against})` : '';
    let volumeText: string;
    let volumeOk = true;
    if (point?.status === 'never_below_max') {
      volumeOk = false;
      volumeText =
        `self-hosting ${option.modelId} is never cheaper than the API${against}` +
        (point.searchedMaxTokens ? ` up to ${tokenText(point.searchedMaxTokens)}/month` : '');
    } else if (point?.status === 'always_cheaper') {
      volumeText = `self-hosting ${option.modelId} is cheaper than the API${against} at every volume searched (no crossover to clear)`;
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
        volumeText = `volume ${tokenText(ctx.monthlyTokens)}/month ≥ crossover ${tokenText(crossover)}/month${ratio}${against}`;
      }
    } else {
      volumeText = `volume ${tokenText(ctx.monthlyTokens)}/month; crossover unknown (the value gate decides)`;
    }
    return {
      gate: {
        gate: 'volume',
        status: volumeOk && ctx.stable ? 'pass' : 'fail',
        detail: `${volumeText}${managedOpenNote(option, ctx)}; ${cvText}${ctx.stable ? '' : ': GPU capacity must be sized for peaks'}`,
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

/**
 * The option's crossover against today's API: the per-option figure when the economics engine supplies it, else the
 * legacy single number (a number = 'crosses' there; null = not known which way, since the old field used null for
 * both "never" and "always"; undefined = unknown).
 */
export function crossoverPoint(option: CandidateOption): CrossoverPoint | null {
  const vs = option.crossover?.vsCurrent;
  if (vs && typeof vs === 'object' && ['crosses', 'always_cheaper', 'never_below_max'].includes(vs.status)) return vs;
  const legacy = option.crossoverMonthlyTokens;
  if (typeof legacy === 'number' && Number.isFinite(legacy) && legacy >= 0) return { status: 'crosses', monthlyTokens: legacy };
  return null;
}

/** Explains where self-hosting stands against the cheapest managed API for the same open model (never excludes: cost ranking decides). */
function managedOpenNote(option: CandidateOption, ctx: WorkloadContext): string {
  const m = option.crossover?.vsManagedOpen;
  if (!m || typeof m !== 'object') return '';
  const against = m.against ? ` ${m.against}` : ' the managed API';
  if (m.status === 'never_below_max') return `; never cheaper than${against} in the range searched`;
  if (m.status === 'always_cheaper') return `; cheaper than${against} at every volume searched`;
  if (typeof m.monthlyTokens === 'number') {
    return ctx.monthlyTokens >= m.monthlyTokens
      ? `; above the ${tokenText(m.monthlyTokens)}/month crossover with${against}`
      : `; below the ${tokenText(m.monthlyTokens)}/month crossover with${against} (the managed API is cheaper here)`;
  }
  return '';
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
        detail:
          `expected p95 ${num(expected, 0)}ms${option.latencyBasis ? ` (${option.latencyBasis})` : ''} ${ok ? '≤' : '>'} ` +
          `target ${num(ctx.latencyTargetP95Ms, 0)}ms${today}`,
      },
      excluded: !ok,
    };
  } else if (ctx.latencyTargetP95Ms !== null) {
    return {
      gate: {
        gate: 'latency',
        status: 'n/a',
        detail: `target p95 ${num(ctx.latencyTargetP95Ms, 0)}ms but no latency estimate for ${option.modelId}: verify before cut-over${today}`,
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

/**
 * Data control: who would process the workload's data, and where. Blocks, not only warns:
 * - residency-bound data (dataResidency 'eu', 'us', ...) never goes to an API provider whose sourced processing
 *   regions do not include one of the required regions; a provider with no sourced regions is not proven → excluded;
 * - regulated data never goes to a third-party processor missing from settings.approvedProcessors (case-insensitive);
 * - self-hosting on the org's own cloud account adds no new third-party processor and runs in a region the org picks,
 *   so it passes both (the cloud account is already the org's infrastructure processor).
 */
export function dataControlGate(option: CandidateOption, ctx: WorkloadContext, settings?: PlannerSettings): GateOutcome {
  const kind = option.kind;
  const regulated = ctx.sensitivity === 'regulated';
  const bound = ctx.residency.length > 0;
  const provider = typeof option.provider === 'string' && option.provider.trim() !== '' ? option.provider.trim() : null;
  const sameProvider = provider !== null && ctx.currentProviders.some((p) => sameText(p, provider));
  const sensitivityLabel = ctx.sensitivity ?? 'unclassified';
  if (!regulated && !bound && ctx.sensitivity !== 'confidential') {
    return { gate: { gate: 'data-control', status: 'n/a', detail: `data sensitivity '${sensitivityLabel}', no residency requirement` }, excluded: false };
  }
  if (kind === 'self_host') {
    return {
      gate: {
        gate: 'data-control',
        status: 'pass',
        detail:
          `full data control: self-hosting keeps ${sensitivityLabel} data on your own cloud account` +
          (bound ? `, deployed in ${regionText(ctx)} (confirm GPU availability there)` : '') +
          '; no new third-party processor',
      },
      excluded: false,
    };
  }
  const who = provider ?? 'an unnamed provider';
  const api = kind === 'managed_open' ? 'managed open API' : 'closed API';
  const problems: string[] = [];
  const passes: string[] = [];
  if (bound) {
    const pr = option.providerRegions;
    if (!pr) {
      problems.push(`${who} has no sourced processing regions: ${regionText(ctx)} processing is not proven`);
    } else {
      const ok = pr.regions.some((o) => ctx.residency.some((r) => regionSatisfies(o, r)));
      const src = pr.sourceIds.length > 0 ? ` [${pr.sourceIds.join(', ')}]` : '';
      if (ok) passes.push(`${pr.provider} can process in ${regionText(ctx)}${pr.conditions ? ` (${pr.conditions})` : ''}${src}`);
      else problems.push(`${pr.provider} processes in ${pr.regions.length > 0 ? pr.regions.join('/') : 'no proven region'}, data must stay in ${regionText(ctx)}${src}`);
    }
  }
  if (regulated) {
    const approved = settings?.approvedProcessors ?? [];
    if (provider !== null && approved.some((a) => sameText(a, provider))) passes.push(`${provider} is an approved processor for regulated data`);
    else problems.push(`regulated data: ${who} is not in approvedProcessors (${approved.length > 0 ? approved.join(', ') : 'none approved'})`);
  }
  if (problems.length > 0) {
    return {
      gate: { gate: 'data-control', status: 'fail', detail: `${api} blocked for ${sensitivityLabel} data: ${problems.join('; ')}` },
      excluded: true,
    };
  }
  return {
    gate: {
      gate: 'data-control',
      status: 'pass',
      detail:
        `${api} sends ${sensitivityLabel} data to ${who}${sameProvider ? ' (same provider as today)' : ''}` +
        (passes.length > 0 ? `: ${passes.join('; ')}` : '') +
        (regulated || bound ? '; a data processing agreement must cover it' : ''),
    },
    excluded: false,
  };
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

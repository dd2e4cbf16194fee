import { Money, usdString } from '../money.js';
import { deploymentText, phaseWorkload } from '../planner/index.js';
import type { OrganisationPlan, PlanCandidate, Recommendation, WorkloadPlan } from '../planner/types.js';
import { moneyOrNull } from './format.js';

/*
 * The digest's content model: what a finance lead and a platform lead read in a minute. Built once from the plan,
 * the previous digest's plan, the week's anomalies and the budgets; stored as JSON and rendered from that JSON as
 * Markdown and Slack blocks, so every format says the same thing. Amounts are USD decimal strings.
 */

/** How many actions the digest leads with. */
export const TOP_ACTIONS = 3;
/** A move in spend, savings or break-even smaller than this fraction of the previous value is not a change worth reading. */
export const MOVE_THRESHOLD = 0.1;
/** Money moves below this many USD are noise, whatever their percentage (a $0.40 workload doubling). */
export const MIN_MOVE_USD = 1;
/** Budgets at or above this percent of their limit are shown (near); at 100 they are over. */
export const BUDGET_NEAR_PERCENT = 80;
/**
 * At most this many changes, anomalies and budgets are listed; the rest are counted and left behind the link.
 * With them, the longest digest is 36 lines of Markdown (a minute's read; see digest.spec.ts).
 */
export const MAX_CHANGES = 8;
export const MAX_ANOMALIES = 3;
export const MAX_BUDGETS = 3;
/** Largest workloads named in a first digest's summary. */
export const LARGEST_WORKLOADS = 3;

export type ActionKind = 'evaluate' | 'pilot_self_host' | 'self_host' | 'managed_open' | 'cheaper_closed' | 'budget';

export interface DigestAction {
  kind: ActionKind;
  /** The workload it is about (null for a budget). */
  workload: string | null;
  budget: string | null;
  /** One sentence: what to do next. */
  nextStep: string;
  /** Dollars at stake, USD: monthly savings (per_month) or spend beyond a budget's limit (over_limit). */
  atStakeUsd: string;
  atStakeUnit: 'per_month' | 'over_limit';
  /** The workload's owner team when annotated, else the role that acts ("platform lead", "finance"). */
  owner: string;
  ownerIsTeam: boolean;
  url: string;
}

export interface DigestMove {
  metric: 'spend' | 'savings' | 'break_even';
  /** USD/month (spend, savings) or months (break_even); null when there was none. */
  from: string | null;
  to: string | null;
  /** Percent vs `from` (1 dp); null when `from` was zero or absent. */
  changePercent: number | null;
}

export interface DigestChange {
  workload: string;
  url: string;
  /** The verdict (recommendation) before and after; from null = new workload, to null = no longer planned. */
  verdict: { from: Recommendation | null; to: Recommendation | null } | null;
  moves: DigestMove[];
}

export interface DigestStanding {
  workloads: number;
  verdicts: Partial<Record<Recommendation, number>>;
  /** Workloads whose next step is an evaluation. */
  waitingOnEvaluation: number;
  /** Dollars at stake across every workload action, USD/month (evaluations included, unweighted). */
  potentialMonthlySavingsUsd: string;
  /** Of which ready now (evaluated, every gate passed), USD/month. */
  readyMonthlySavingsUsd: string;
  largest: { workload: string; url: string; monthlySpendUsd: string; verdict: Recommendation; atStakeUsd: string }[];
}

export interface DigestAnomaly {
  day: string;
  scopeKind: string;
  scopeValue: string;
  direction: string;
  observedUsd: string;
  expectedUsd: string;
  lowerUsd: string;
  upperUsd: string;
  partialDay: boolean;
  url: string;
}

export interface DigestBudget {
  name: string;
  window: string;
  spentUsd: string;
  limitUsd: string;
  usedPercent: number;
  hard: boolean;
  status: 'near' | 'over';
}

export interface DigestView {
  period: string;
  title: string;
  generatedAt: string;
  dataFreshness: { complete: boolean; pendingRollupHours?: number } & Record<string, unknown>;
  spend: { thisPeriodUsd: string; lastPeriodUsd: string; changePercent: number | null };
  forecast: { month: string; expectedUsd: string; p10Usd: string; p90Usd: string }[];
  standing: DigestStanding;
  topActions: DigestAction[];
  /** Actions beyond the top ones (on the roadmap). */
  moreActions: number;
  /** first: no previous digest, so `standing` is the content and `items` is empty. */
  changes: { first: boolean; count: number; items: DigestChange[]; more: number };
  anomalies: { count: number; items: DigestAnomaly[]; more: number };
  budgets: { count: number; items: DigestBudget[]; more: number };
  links: { overview: string; roadmap: string };
}

export interface DigestAnomalyInput {
  day: string;
  scopeKind: string;
  scopeValue: string;
  direction: string;
  observedUsd: unknown;
  expectedUsd: unknown;
  lowerUsd: unknown;
  upperUsd: unknown;
  partialDay?: boolean;
  /** Its page in the dashboard; by default the workload's page, or the overview. */
  url?: string;
}

export interface DigestBudgetInput {
  name: string;
  window?: string;
  spentUsd: unknown;
  limitUsd: unknown;
  hard?: boolean;
}

type PlanLike = OrganisationPlan | readonly WorkloadPlan[] | null | undefined;

export interface DigestInput {
  period: string;
  title: string;
  generatedAt: Date;
  /** The dashboard's base URL, e.g. "https://crossover.example.com/app/". */
  dashboardUrl: string;
  dataFreshness: DigestView['dataFreshness'];
  spend: { thisPeriodUsd: unknown; lastPeriodUsd: unknown };
  forecast?: { month: string; expectedUsd: unknown; p10Usd: unknown; p90Usd: unknown }[];
  /** The plan now and the one the previous digest stored (null for the first digest); live or JSON. */
  plan: PlanLike;
  previousPlan: PlanLike;
  /** Samples an evaluation needs (planner settings' minEvaluationSampleSize). */
  evaluationSampleSize: number;
  anomalies: readonly DigestAnomalyInput[];
  budgets: readonly DigestBudgetInput[];
}

const usd = (v: Money) => usdString(v);
const money = (v: unknown) => moneyOrNull(v) ?? new Money(0);

function plansOf(plan: PlanLike): WorkloadPlan[] {
  const list = Array.isArray(plan) ? plan : Array.isArray((plan as OrganisationPlan | null)?.workloads) ? (plan as OrganisationPlan).workloads : [];
  return list.filter((p): p is WorkloadPlan => !!p && typeof p === 'object' && typeof p.workload === 'string');
}

/** The dashboard page of a workload. */
export function workloadUrl(dashboardUrl: string, slug: string): string {
  return `${dashboardUrl}#/workloads/${encodeURIComponent(slug)}`;
}

/** "llama-3.3-70b via groq", "self-hosted llama-3.1-8b", "gpt-4o-mini". */
function targetLabel(t: PlanCandidate): string {
  if (t.kind === 'self_host') return `self-hosted ${t.modelId}`;
  return t.kind === 'managed_open' && typeof t.provider === 'string' && t.provider !== '' ? `${t.modelId} via ${t.provider}` : t.modelId;
}

/** Dollars at stake (USD/month) and whether the target's evaluation passed, as the roadmap sees them. */
function stakeOf(p: WorkloadPlan): { atStake: Money; evaluated: boolean; target: PlanCandidate | null } {
  const view = phaseWorkload(p);
  const pending = p.recommendation === 'stay_closed' ? (p.pendingEvaluation ?? null) : null;
  return { atStake: view.monthlySavingsUsd, evaluated: view.evaluated, target: p.candidate ?? pending };
}

/** The one next step of a workload, or null when it has none worth money. */
export function workloadAction(p: WorkloadPlan, sampleSize: number, dashboardUrl: string): DigestAction | null {
  const { atStake, evaluated, target } = stakeOf(p);
  if (!target || !atStake.gt(0)) return null;
  const w = p.workload;
  const kind: ActionKind = !evaluated ? 'evaluate' : p.recommendation === 'stay_closed' ? 'evaluate' : p.recommendation;
  const nextStep = {
    evaluate: `Run an evaluation of ${targetLabel(target)} on ${w} (${sampleSize} samples)`,
    pilot_self_host: `Pilot self-hosting ${target.modelId} for ${w} on ${deploymentText(target.deployment)}, with shadow traffic`,
    self_host: `Self-host ${target.modelId} for ${w} on ${deploymentText(target.deployment)}`,
    managed_open: `Move ${w} to ${targetLabel(target)}`,
    cheaper_closed: `Switch ${w} to ${target.modelId}${target.provider ? ` (${target.provider})` : ''}`,
    budget: '',
  }[kind];
  const team = typeof p.ownerTeam === 'string' && p.ownerTeam !== '' ? p.ownerTeam : null;
  return { kind, workload: w, budget: null, nextStep, atStakeUsd: usd(atStake), atStakeUnit: 'per_month', owner: team ?? 'platform lead', ownerIsTeam: team !== null, url: workloadUrl(dashboardUrl, w) };
}

function budgetView(b: DigestBudgetInput): DigestBudget | null {
  const spent = money(b.spentUsd);
  const limit = money(b.limitUsd);
  if (!limit.gt(0)) return null;
  const used = spent.div(limit).mul(100);
  if (used.lt(BUDGET_NEAR_PERCENT)) return null;
  return {
    name: b.name,
    window: b.window ?? 'month',
    spentUsd: usd(spent),
    limitUsd: usd(limit),
    usedPercent: used.toDecimalPlaces(1).toNumber(),
    hard: b.hard === true,
    status: used.gte(100) ? 'over' : 'near',
  };
}

const WINDOW_TEXT: Record<string, string> = { month: 'monthly', '24h': '24-hour', '7d': '7-day', '30d': '30-day' };

/** "monthly", "7-day": how a budget window reads in a sentence. */
export function windowText(window: string): string {
  return WINDOW_TEXT[window] ?? window;
}

function budgetAction(b: DigestBudget, dashboardUrl: string): DigestAction {
  const over = new Money(b.spentUsd).minus(b.limitUsd);
  return {
    kind: 'budget',
    workload: null,
    budget: b.name,
    nextStep: `Decide on budget ${b.name}: over its ${windowText(b.window)} limit${b.hard ? ' (hard: gateways are told to deny)' : ''}; raise it or cut the spend behind it`,
    atStakeUsd: usd(over),
    atStakeUnit: 'over_limit',
    owner: 'finance',
    ownerIsTeam: false,
    url: `${dashboardUrl}#/`,
  };
}

function percentMove(from: Money, to: Money): number | null {
  return from.isZero() ? null : to.minus(from).div(from.abs()).mul(100).toDecimalPlaces(1).toNumber();
}

/** A move of more than MOVE_THRESHOLD (and MIN_MOVE_USD for money) between two amounts, or null. */
function moneyMove(metric: 'spend' | 'savings', a: Money, b: Money): DigestMove | null {
  const delta = b.minus(a).abs();
  if (delta.lt(MIN_MOVE_USD) || !delta.gt(a.abs().mul(MOVE_THRESHOLD))) return null;
  return { metric, from: usd(a), to: usd(b), changePercent: percentMove(a, b) };
}

function breakEvenMove(a: unknown, b: unknown): DigestMove | null {
  if (typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  if (!(Math.abs(b - a) > Math.abs(a) * MOVE_THRESHOLD)) return null;
  return { metric: 'break_even', from: String(a), to: String(b), changePercent: a === 0 ? null : Math.round(((b - a) / Math.abs(a)) * 1000) / 10 };
}

/** Verdict changes and >10% moves in spend, savings at stake or break-even, per workload; gates are left out. */
export function planChanges(previous: PlanLike, current: PlanLike, dashboardUrl: string): DigestChange[] {
  const before = new Map(plansOf(previous).map((p) => [p.workload, p]));
  const after = new Map(plansOf(current).map((p) => [p.workload, p]));
  const out: { change: DigestChange; weight: Money }[] = [];
  for (const slug of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(slug);
    const b = after.get(slug);
    const verdict = (a?.recommendation ?? null) !== (b?.recommendation ?? null) ? { from: a?.recommendation ?? null, to: b?.recommendation ?? null } : null;
    const moves: DigestMove[] = [];
    let weight = new Money(0);
    if (a && b) {
      const spendA = money(a.currentMonthlyCostUsd);
      const spendB = money(b.currentMonthlyCostUsd);
      const stakeA = stakeOf(a).atStake;
      const stakeB = stakeOf(b).atStake;
      for (const m of [moneyMove('spend', spendA, spendB), moneyMove('savings', stakeA, stakeB), breakEvenMove(a.breakEvenMonths, b.breakEvenMonths)]) if (m) moves.push(m);
      weight = Money.max(spendB.minus(spendA).abs(), stakeB.minus(stakeA).abs());
    } else {
      weight = money((b ?? a)!.currentMonthlyCostUsd);
    }
    if (verdict || moves.length) out.push({ change: { workload: slug, url: workloadUrl(dashboardUrl, slug), verdict, moves }, weight });
  }
  // Verdict changes first, then the largest dollar moves.
  return out
    .sort((x, y) => Number(!!y.change.verdict) - Number(!!x.change.verdict) || y.weight.comparedTo(x.weight) || x.change.workload.localeCompare(y.change.workload))
    .map((x) => x.change);
}

function standingOf(plans: WorkloadPlan[], actions: DigestAction[], dashboardUrl: string): DigestStanding {
  const verdicts: Partial<Record<Recommendation, number>> = {};
  for (const p of plans) verdicts[p.recommendation] = (verdicts[p.recommendation] ?? 0) + 1;
  const workloadActions = actions.filter((a) => a.kind !== 'budget');
  const total = workloadActions.reduce((s, a) => s.plus(a.atStakeUsd), new Money(0));
  const ready = workloadActions.filter((a) => a.kind !== 'evaluate' && a.kind !== 'pilot_self_host').reduce((s, a) => s.plus(a.atStakeUsd), new Money(0));
  const largest = [...plans]
    .sort((x, y) => money(y.currentMonthlyCostUsd).comparedTo(money(x.currentMonthlyCostUsd)) || x.workload.localeCompare(y.workload))
    .slice(0, LARGEST_WORKLOADS)
    .map((p) => ({ workload: p.workload, url: workloadUrl(dashboardUrl, p.workload), monthlySpendUsd: usd(money(p.currentMonthlyCostUsd)), verdict: p.recommendation, atStakeUsd: usd(stakeOf(p).atStake) }));
  return {
    workloads: plans.length,
    verdicts,
    waitingOnEvaluation: workloadActions.filter((a) => a.kind === 'evaluate').length,
    potentialMonthlySavingsUsd: usd(total),
    readyMonthlySavingsUsd: usd(ready),
    largest,
  };
}

/** The digest's content: top actions by dollars at stake, what changed (or where the org stands), anomalies and budgets. */
export function buildDigest(input: DigestInput): DigestView {
  const dash = input.dashboardUrl;
  const plans = plansOf(input.plan);
  const sampleSize = Number.isFinite(input.evaluationSampleSize) && input.evaluationSampleSize > 0 ? Math.ceil(input.evaluationSampleSize) : 200;
  const budgets = input.budgets
    .map(budgetView)
    .filter((b): b is DigestBudget => b !== null)
    .sort((x, y) => y.usedPercent - x.usedPercent || x.name.localeCompare(y.name));
  const actions = [
    ...plans.map((p) => workloadAction(p, sampleSize, dash)).filter((a): a is DigestAction => a !== null),
    ...budgets.filter((b) => b.status === 'over').map((b) => budgetAction(b, dash)),
  ].sort((x, y) => new Money(y.atStakeUsd).comparedTo(x.atStakeUsd) || (x.workload ?? x.budget ?? '').localeCompare(y.workload ?? y.budget ?? ''));
  const first = input.previousPlan === null || input.previousPlan === undefined;
  const changes = first ? [] : planChanges(input.previousPlan, input.plan, dash);
  const anomalies = [...input.anomalies]
    .sort((x, y) => y.day.localeCompare(x.day) || money(y.observedUsd).minus(money(y.expectedUsd)).abs().comparedTo(money(x.observedUsd).minus(money(x.expectedUsd)).abs()))
    .map<DigestAnomaly>((a) => ({
      day: a.day,
      scopeKind: a.scopeKind,
      scopeValue: a.scopeValue,
      direction: a.direction,
      observedUsd: usd(money(a.observedUsd)),
      expectedUsd: usd(money(a.expectedUsd)),
      lowerUsd: usd(money(a.lowerUsd)),
      upperUsd: usd(money(a.upperUsd)),
      partialDay: a.partialDay === true,
      url: typeof a.url === 'string' && a.url !== '' ? a.url : a.scopeKind === 'workload' ? workloadUrl(dash, a.scopeValue) : `${dash}#/`,
    }));
  const cur = money(input.spend.thisPeriodUsd);
  const prev = money(input.spend.lastPeriodUsd);
  return {
    period: input.period,
    title: input.title,
    generatedAt: input.generatedAt.toISOString(),
    dataFreshness: input.dataFreshness,
    spend: { thisPeriodUsd: usd(cur), lastPeriodUsd: usd(prev), changePercent: percentMove(prev, cur) },
    forecast: (input.forecast ?? []).map((m) => ({ month: m.month, expectedUsd: usd(money(m.expectedUsd)), p10Usd: usd(money(m.p10Usd)), p90Usd: usd(money(m.p90Usd)) })),
    standing: standingOf(plans, actions, dash),
    topActions: actions.slice(0, TOP_ACTIONS),
    moreActions: Math.max(0, actions.length - TOP_ACTIONS),
    changes: { first, count: changes.length, items: changes.slice(0, MAX_CHANGES), more: Math.max(0, changes.length - MAX_CHANGES) },
    anomalies: { count: anomalies.length, items: anomalies.slice(0, MAX_ANOMALIES), more: Math.max(0, anomalies.length - MAX_ANOMALIES) },
    budgets: { count: budgets.length, items: budgets.slice(0, MAX_BUDGETS), more: Math.max(0, budgets.length - MAX_BUDGETS) },
    links: { overview: `${dash}#/`, roadmap: `${dash}#/roadmap` },
  };
}

/** Whether a stored digest's data (or a digest.created payload) carries this view; digests built before it do not. */
export function isDigestView(d: unknown): d is DigestView {
  const v = d as Partial<DigestView> | null;
  return !!v && typeof v === 'object' && typeof v.title === 'string' && Array.isArray(v.topActions) && !!v.standing && !!v.changes && !!v.anomalies && !!v.budgets && !!v.links && !!v.spend;
}

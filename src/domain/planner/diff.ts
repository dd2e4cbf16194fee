import { Money } from '../money.js';
import { phaseWorkload } from './roadmap.js';
import type { GateName, GateStatus, OrganisationPlan, PlanAction, PlanCandidate, PlanDiff, WorkloadPlan } from './types.js';
import { sum, toMoney } from './values.js';

function plansOf(plan: OrganisationPlan | readonly WorkloadPlan[] | null | undefined): WorkloadPlan[] {
  const list = Array.isArray(plan) ? plan : Array.isArray((plan as OrganisationPlan | null)?.workloads) ? (plan as OrganisationPlan).workloads : [];
  return list.filter((p): p is WorkloadPlan => !!p && typeof p === 'object' && typeof p.workload === 'string');
}

function target(p: WorkloadPlan | undefined): PlanCandidate | null {
  return p ? (p.candidate ?? p.pendingEvaluation ?? null) : null;
}

function savingsOf(p: WorkloadPlan | undefined): Money {
  return p ? toMoney(p.monthlySavingsUsd) : new Money(0);
}

/**
 * What changed between two plans, for the weekly digest: added/removed workloads, new candidates (recommended or
 * awaiting evaluation), gates newly passed/failed, recommendation changes, and monthly savings deltas (USD/month).
 */
export function diffPlans(
  previous: OrganisationPlan | readonly WorkloadPlan[] | null | undefined,
  current: OrganisationPlan | readonly WorkloadPlan[] | null | undefined,
): PlanDiff {
  const before = new Map(plansOf(previous).map((p) => [p.workload, p]));
  const after = new Map(plansOf(current).map((p) => [p.workload, p]));
  const diff: PlanDiff = {
    addedWorkloads: [...after.keys()].filter((k) => !before.has(k)),
    removedWorkloads: [...before.keys()].filter((k) => !after.has(k)),
    newCandidates: [],
    gatesNewlyPassed: [],
    gatesNewlyFailed: [],
    recommendationChanges: [],
    savingsChanges: [],
    savingsDeltaUsd: sum([...after.values()].map(savingsOf)).minus(sum([...before.values()].map(savingsOf))),
  };
  const slugs = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const slug of slugs) {
    const prev = before.get(slug);
    const cur = after.get(slug);
    const fromRec = prev?.recommendation ?? null;
    const toRec = cur?.recommendation ?? null;
    if (fromRec !== toRec) diff.recommendationChanges.push({ workload: slug, from: fromRec, to: toRec });

    const prevTarget = target(prev);
    const curTarget = target(cur);
    if (curTarget && (!prevTarget || prevTarget.modelId !== curTarget.modelId || prevTarget.kind !== curTarget.kind)) {
      diff.newCandidates.push({
        workload: slug,
        modelId: curTarget.modelId,
        kind: curTarget.kind,
        previousModelId: prevTarget?.modelId ?? null,
      });
    }

    if (cur) {
      const prevReasons = Array.isArray(prev?.reasons) ? prev.reasons : [];
      const prevStatus = new Map<GateName, GateStatus>(prevReasons.map((g) => [g.gate, g.status]));
      for (const g of Array.isArray(cur.reasons) ? cur.reasons : []) {
        const was = prevStatus.get(g.gate) ?? null;
        if (g.status === 'pass' && was !== 'pass') {
          diff.gatesNewlyPassed.push({ workload: slug, gate: g.gate, previousStatus: was, detail: g.detail });
        } else if (g.status === 'fail' && was === 'pass') {
          diff.gatesNewlyFailed.push({ workload: slug, gate: g.gate, previousStatus: was, detail: g.detail });
        }
      }
    }

    const a = savingsOf(prev);
    const b = savingsOf(cur);
    if (!a.eq(b)) diff.savingsChanges.push({ workload: slug, previousUsd: a, currentUsd: b, deltaUsd: b.minus(a) });
  }
  return diff;
}

/**
 * The n (default 3) most valuable next actions: workloads in phase 1 or 2, ranked by priority =
 * savings (USD/month, potential for pending evaluations) × readiness weight × confidence weight; each action is the plan's first next step.
 */
export function topActions(plan: OrganisationPlan | readonly WorkloadPlan[] | null | undefined, n = 3): PlanAction[] {
  const limit = Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
  return plansOf(plan)
    .map((p) => ({ p, view: phaseWorkload(p) }))
    .filter(({ view }) => view.priorityUsd.gt(0))
    .sort((x, y) => y.view.priorityUsd.comparedTo(x.view.priorityUsd) || x.p.workload.localeCompare(y.p.workload))
    .slice(0, limit)
    .map(({ p, view }) => ({
      workload: p.workload,
      recommendation: p.recommendation,
      action: (Array.isArray(p.nextSteps) ? p.nextSteps[0] : undefined) ?? `Review ${p.workload}`,
      monthlySavingsUsd: view.monthlySavingsUsd,
      priorityUsd: view.priorityUsd,
    }));
}

// @ts-check
// The overview's "Migration roadmap" card: the plan's phases and one row per workload.
import { badge, empty, h } from '../dom.js';
import * as f from '../format.js';
import { fleetsView } from './fleets.js';

/** @typedef {import('../api.js').GetBody<'/v1/plan'>} PlanAnswer */
/** @typedef {PlanAnswer['plan']} Plan */
/** @typedef {Plan['workloads'][number]} WorkloadPlan */

/** Table order: the workloads to act on first (by recommendation), then by savings, then by spend. */
const RANK = { self_host: 0, managed_open: 1, cheaper_closed: 2, pilot_self_host: 3, stay_closed: 4 };

/** GPUs one replica spans: gpusPerReplica, else tensorParallel, else the whole fleet's gpuCount / replicas. */
function perReplica(d) {
  const n = Number(d.gpusPerReplica ?? d.tensorParallel);
  if (Number.isFinite(n) && n > 0) return n;
  const total = Number(d.gpuCount);
  const r = Number(d.replicas) || 1;
  return Number.isFinite(total) && total > 0 ? +(total / r).toFixed(2) : '?';
}

/**
 * "2 replicas × 1× L4-24GB · fp8" for self-hosting (GPUs per replica, not the fleet total), "deepinfra · managed open model" otherwise.
 * @param {WorkloadPlan['candidate'] | WorkloadPlan['pendingEvaluation'] | undefined} c
 */
export function candidateDetail(c) {
  if (!c) return '';
  const d = c.deployment;
  if (d) {
    const r = Number(d.replicas) || 1;
    return `${r} replica${r === 1 ? '' : 's'} × ${perReplica(d)}× ${d.gpu ?? 'GPU'}${d.precision ? ` · ${d.precision}` : ''}`;
  }
  return [c.provider, c.kind ? f.recommendationLabel(c.kind).toLowerCase() : null].filter(Boolean).join(' · ');
}

/** @param {WorkloadPlan} w */
function candidateCell(w) {
  const c = w.candidate;
  if (!c) {
    const pe = w.pendingEvaluation;
    if (pe?.modelId) return [h('span', { class: 'muted' }, '—'), h('span', { class: 'sub' }, h('span', { class: 'chip pending' }, `evaluate ${pe.modelId}`))];
    return h('span', { class: 'muted' }, '—');
  }
  const sub = candidateDetail(c);
  const fleet = w.fleet?.fleetId ? `shared fleet · ${f.pct((Number(w.fleet.loadShare) || 0) * 100, 0)} of its load` : null;
  return [h('span', { class: 'mono' }, c.modelId ?? '—'), sub ? h('span', { class: 'sub' }, sub) : null, fleet ? h('span', { class: 'sub' }, fleet) : null];
}

/**
 * `p`: GET /v1/plan; `roadmap`: its card, whose hint gains the plan's timestamp.
 * @param {PlanAnswer} p
 * @param {{ el: HTMLElement }} roadmap
 */
export function roadmapView(p, roadmap) {
  const plan = p?.plan;
  const ws = plan?.workloads ?? [];
  if (!ws.length) return empty('No workloads yet: the roadmap appears once usage events name their workload.');
  const hint = roadmap.el.querySelector('.card-head .hint');
  if (p.asOf && hint) hint.textContent = `Recommendation per workload, with savings and break-even · plan as of ${f.dateTime(p.asOf)}`;
  const phases = (plan.phases ?? []).map(phaseCard);
  const before = plan.portfolio?.before;
  const after = plan.portfolio?.after;
  const portfolio =
    before && after
      ? h('p', { class: 'chart-note' }, `Portfolio: ${f.usd(before.totalMonthlySpendUsd)}/month today (${f.pct(before.openSharePct, 0)} open) → ${f.usd(after.totalMonthlySpendUsd)}/month after the plan (${f.pct(after.openSharePct, 0)} open).`)
      : null;
  return [phases.length ? h('div', { class: 'phases' }, phases) : null, h('div', { class: 'table-wrap' }, roadmapTable(ws)), fleetsView(plan), portfolio];
}

/** @param {Plan['phases'][number]} ph */
function phaseCard(ph) {
  const count = (ph.workloads ?? []).length;
  const workloads = `${count} workload${count === 1 ? '' : 's'}`;
  return h(
    'div',
    { class: 'phase', dataset: { phase: ph.id ?? '' } },
    h('div', { class: 'title' }, ph.title ?? ph.id),
    h('div', { class: 'value' }, ph.id === 'stay-closed' ? workloads : `${f.usd(ph.id === 'phase-2' ? (ph.expectedMonthlySavingsUsd ?? ph.monthlySavingsUsd) : ph.monthlySavingsUsd)}/mo`),
    ph.id === 'phase-2' && ph.expectedMonthlySavingsUsd != null
      ? h('div', { class: 'small muted', dataset: { role: 'at-stake' } }, `expected (weighted by each evaluation's pass probability); ${f.usd(ph.monthlySavingsUsd)}/mo at stake if every evaluation passes`)
      : null,
    h('div', { class: 'small muted' }, ph.id === 'stay-closed' ? 'no change recommended now' : `${workloads}${f.num(ph.oneOffMigrationCostUsd) > 0 ? ` · one-off ${f.usd(ph.oneOffMigrationCostUsd)}` : ''}`),
  );
}

/** @param {WorkloadPlan[]} ws */
function roadmapTable(ws) {
  const sorted = [...ws].sort(
    (a, b) =>
      (RANK[a.recommendation] ?? 5) - (RANK[b.recommendation] ?? 5) ||
      (f.num(b.monthlySavingsUsd) || 0) - (f.num(a.monthlySavingsUsd) || 0) ||
      (f.num(b.currentMonthlyCostUsd) || 0) - (f.num(a.currentMonthlyCostUsd) || 0),
  );
  const sum = (k) => ws.reduce((a, w) => a + (f.num(w[k]) || 0), 0);
  return h(
    'table',
    { class: 'data', id: 'roadmap-table' },
    h(
      'thead',
      null,
      h('tr', null, h('th', null, 'Workload'), h('th', null, 'Recommendation'), h('th', null, 'Candidate'), h('th', { class: 'num' }, 'Now / month'), h('th', { class: 'num' }, 'Projected / month'), h('th', { class: 'num' }, 'Savings / month'), h('th', { class: 'num' }, 'Break-even'), h('th', null, 'Confidence')),
    ),
    h('tbody', null, sorted.map(roadmapRow)),
    h('tfoot', null, h('tr', null, h('td', null, `${ws.length} workloads`), h('td'), h('td'), h('td', { class: 'num' }, f.usd(sum('currentMonthlyCostUsd'))), h('td', { class: 'num' }, f.usd(sum('projectedMonthlyCostUsd'))), h('td', { class: 'num down' }, f.usd(sum('monthlySavingsUsd'))), h('td'), h('td'))),
  );
}

/** @param {WorkloadPlan} w */
function roadmapRow(w) {
  const savings = f.num(w.monthlySavingsUsd);
  const href = `#/workloads/${encodeURIComponent(w.workload)}`;
  return h(
    'tr',
    { dataset: { workload: w.workload } },
    h('td', null, h('a', { href, class: 'workload-link' }, w.workload), w.ownerTeam ? h('span', { class: 'sub' }, w.ownerTeam) : null),
    h('td', null, badge(w.recommendation), w.pendingEvaluation?.monthlySavingsUsd ? h('span', { class: 'sub' }, `${f.usd(w.pendingEvaluation.monthlySavingsUsd)}/mo if the evaluation passes`) : null),
    h('td', null, candidateCell(w)),
    h('td', { class: 'num' }, f.usd(w.currentMonthlyCostUsd)),
    h('td', { class: 'num' }, f.usd(w.projectedMonthlyCostUsd)),
    h('td', { class: `num ${savings > 0 ? 'down' : ''}` }, f.usd(w.monthlySavingsUsd)),
    h('td', { class: 'num' }, w.breakEvenMonths === null || w.breakEvenMonths === undefined ? h('span', { class: 'muted' }, '—') : f.breakEven(w.breakEvenMonths)),
    h('td', null, h('span', { class: `conf ${w.confidence ?? ''}` }, w.confidence ?? '—')),
  );
}

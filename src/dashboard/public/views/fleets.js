// @ts-check
// The roadmap's "Shared fleets" table: one row per self-hosted fleet (open base model + deployment), the workloads
// it serves with their share of the cost, and the organisation's one platform team. Reads `plan.fleets`
// (OrganisationFleets in src/domain/planner/fleets.ts; money as decimal strings).
import { h } from '../dom.js';
import * as f from '../format.js';

/**
 * Null when nothing self-hosts, so the roadmap can always append it.
 * @param {import('./roadmap.js').Plan} plan
 */
export function fleetsView(plan) {
  const of = plan?.fleets;
  if (!of?.fleets.length) return null;
  const fleets = of.fleets;
  const engineers = f.num(of.engineers);
  const saved = f.num(of.savingsUsd);
  const team = Number.isFinite(engineers)
    ? `One platform team for all ${fleets.length} fleet${fleets.length === 1 ? '' : 's'}: ${engineers.toFixed(2).replace(/\.?0+$/, '')} engineer FTE (${of.teamMaturity ?? '?'} team), ${f.usd(of.orgPeopleUsd)}/month, split by load.`
    : null;
  const sharing = Number.isFinite(saved) && of.standaloneTotalUsd != null
    ? ` Sharing costs ${f.usd(of.totalUsd)}/month against ${f.usd(of.standaloneTotalUsd)} if each workload ran its own deployment (${f.usd(saved)} saved).`
    : '';
  return [
    h('h3', { style: 'margin-top:18px' }, 'Shared self-hosted fleets'),
    h('div', { class: 'table-wrap' }, fleetsTable(fleets, of)),
    team || sharing ? h('p', { class: 'chart-note' }, `${team ?? ''}${sharing}`) : null,
    (of.skipped ?? []).length ? h('p', { class: 'chart-note' }, `Left out: ${of.skipped.map((s) => `${s.workload} (${s.reason})`).join('; ')}.`) : null,
  ];
}

function fleetsTable(fleets, of) {
  const head = h(
    'tr',
    null,
    h('th', null, 'Fleet'),
    h('th', null, 'Deployment'),
    ['Replicas', 'GPUs', 'Utilisation', 'GPUs + overhead', 'People', 'Total / month'].map((t) => h('th', { class: 'num' }, t)),
    h('th', null, 'Workloads (share · cost / month)'),
  );
  return h(
    'table',
    { class: 'data', id: 'fleets-table' },
    h('thead', null, head),
    h('tbody', null, fleets.map(fleetRow)),
    h(
      'tfoot',
      null,
      h(
        'tr',
        null,
        h('td', null, `${fleets.length} fleet${fleets.length === 1 ? '' : 's'}`),
        h('td'),
        h('td'),
        h('td', { class: 'num' }, f.int(of.gpuCount)),
        h('td'),
        h('td', { class: 'num' }, f.usd(f.num(of.gpuCostUsd) + f.num(of.overheadUsd))),
        h('td', { class: 'num' }, f.usd(of.orgPeopleUsd)),
        h('td', { class: 'num' }, f.usd(of.totalUsd)),
        h('td'),
      ),
    ),
  );
}

function fleetRow(fl) {
  const adapters = (fl.modelIds ?? []).filter((m) => m !== fl.baseModelId);
  const util = f.num(fl.utilisationPct);
  const peak = f.num(fl.peakUtilisationPct);
  return h(
    'tr',
    { dataset: { fleet: fl.id ?? '' } },
    h('td', null, h('span', { class: 'mono' }, fl.baseModelId ?? '—'), adapters.length ? h('span', { class: 'sub' }, `+ adapters: ${adapters.join(', ')}`) : null),
    h('td', null, `${fl.gpusPerReplica ?? '?'}× ${fl.gpu ?? 'GPU'}${fl.precision ? ` · ${fl.precision}` : ''}`, h('span', { class: 'sub' }, `$${f.num(fl.usdPerGpuHour)}/GPU-hour`)),
    h('td', { class: 'num' }, f.int(fl.replicas), h('span', { class: 'sub' }, `${fl.servingReplicas ?? '?'} serving + ${fl.spareReplicas ?? '?'} spare`)),
    h('td', { class: 'num' }, f.int(fl.gpuCount)),
    h('td', { class: 'num' }, f.pct(util), Number.isFinite(peak) ? h('span', { class: 'sub' }, `${f.pct(peak)} at peak`) : null),
    h('td', { class: 'num' }, f.usd(f.num(fl.gpuCostUsd) + f.num(fl.overheadUsd))),
    h('td', { class: 'num' }, f.usd(fl.peopleUsd)),
    h('td', { class: 'num' }, f.usd(fl.totalUsd)),
    h('td', null, (fl.members ?? []).map(memberLine)),
  );
}

function memberLine(m) {
  const share = f.num(m.loadShare);
  const saved = f.num(m.savingsUsd);
  const href = `#/workloads/${encodeURIComponent(m.workload)}`;
  return h(
    'div',
    { dataset: { workload: m.workload } },
    h('a', { href, class: 'workload-link' }, m.workload),
    m.adapter ? h('span', { class: 'muted small' }, ` (${m.modelId})`) : null,
    ` · ${Number.isFinite(share) ? f.pct(share * 100, 0) : '—'} · ${f.usd(m.monthlyCostUsd)}`,
    Number.isFinite(saved) && m.standaloneMonthlyCostUsd != null ? h('span', { class: 'muted small' }, ` (alone ${f.usd(m.standaloneMonthlyCostUsd)})`) : null,
  );
}

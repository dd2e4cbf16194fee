// @ts-check
// The workload page's cost tables: self-host options, managed open / cheaper closed alternatives, sensitivity.
// `e` is always GET /v1/workloads/<slug>/economics.
import { empty, h } from '../dom.js';
import * as f from '../format.js';

/** @typedef {import('./workload.js').Economics} Economics */
/** @typedef {Economics['options'][number]} SelfHostOption */

/** Options the table shows before "Show all". */
const SHOWN_OPTIONS = 10;

const byTco = (a, b) => (f.num(a.tcoUsd) || Infinity) - (f.num(b.tcoUsd) || Infinity);

/**
 * The option the API's own crossover refers to, else the cheapest by TCO.
 * @param {Economics} e
 */
export function bestOption(e) {
  const opts = [...(e.options ?? [])].sort(byTco);
  const id = e.crossover?.option?.optionId;
  return opts.find((o) => o.id === id) ?? opts[0] ?? null;
}

/**
 * `target`: the options card, whose hint gains today's cost and model.
 * @param {Economics} e
 */
export function optionsView(e, target) {
  const all = [...(e.options ?? [])].sort(byTco);
  if (!all.length) {
    const why = (e.infeasible ?? []).slice(0, 3).map((x) => `${x.modelId} on ${x.gpuId}: ${x.reason}`);
    return empty(`No feasible self-host option for this workload.${why.length ? ` ${why.join('; ')}.` : ''}`);
  }
  const best = bestOption(e);
  let showAll = false;
  const tbody = h('tbody');
  const toggle = h('button', { type: 'button', class: 'link', style: 'color:var(--accent);margin-top:8px' });
  const draw = () => {
    const shown = showAll ? all : all.slice(0, SHOWN_OPTIONS);
    tbody.replaceChildren(...shown.map((o) => optionRow(o, o === best)));
    toggle.textContent = showAll ? `Show the ${SHOWN_OPTIONS} cheapest` : `Show all ${all.length} options`;
  };
  toggle.addEventListener('click', () => {
    showAll = !showAll;
    draw();
  });
  draw();
  target.el.querySelector('.card-head .hint').textContent = `Total cost of ownership per month at today’s volume (GPUs, people, overhead) vs ${f.usd(e.current?.monthlyCostUsd)} today on ${e.current?.modelId ?? 'the API'}`;
  const head = h('tr', null, ['Model', 'GPU', 'Precision'].map((t) => h('th', null, t)), ['GPUs', 'Utilisation', 'GPU cost', 'People', 'Overhead', 'TCO / month', '$ / 1M tokens', 'vs today'].map((t) => h('th', { class: 'num' }, t)));
  const out = e.infeasible ?? [];
  return [
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'options-table' }, h('thead', null, head), tbody)),
    all.length > SHOWN_OPTIONS ? toggle : null,
    out.length ? h('p', { class: 'chart-note' }, `${out.length} configuration${out.length === 1 ? '' : 's'} left out as infeasible (e.g. ${out[0].modelId} on ${out[0].gpuId}: ${out[0].reason}).`) : null,
  ];
}

/** @param {SelfHostOption} o @param {boolean} isBest */
function optionRow(o, isBest) {
  const save = f.num(o.vsCurrent?.monthlySavingsUsd);
  return h(
    'tr',
    { class: isBest ? 'best' : '', dataset: { option: o.id ?? '' } },
    h('td', { class: 'mono' }, o.modelId ?? '—'),
    h('td', null, o.gpuId ?? '—'),
    h('td', null, o.precision ?? '—'),
    h('td', { class: 'num' }, f.int(o.gpuCount), h('span', { class: 'sub' }, `TP ${o.tensorParallel ?? '?'} × ${o.replicas ?? '?'} replica${o.replicas === 1 ? '' : 's'}`)),
    h('td', { class: 'num' }, Number.isFinite(f.num(o.utilisation)) ? f.pct(f.num(o.utilisation) * 100) : '—'),
    h('td', { class: 'num' }, f.usd(o.gpuCostUsd)),
    h('td', { class: 'num' }, f.usd(o.peopleCostUsd)),
    h('td', { class: 'num' }, f.usd(o.overheadUsd)),
    h('td', { class: 'num' }, h('strong', null, f.usd(o.tcoUsd))),
    h('td', { class: 'num' }, f.usd(o.costPerMTokUsd)),
    h('td', { class: `num ${save > 0 ? 'down' : save < 0 ? 'up' : ''}` }, Number.isFinite(save) ? (save >= 0 ? `saves ${f.usd(save)}` : `+${f.usd(-save)}`) : '—'),
  );
}

/** @param {Economics} e */
export function alternativesView(e) {
  return h('div', { class: 'grid halves' }, alternativesTable('managed-open-table', 'Managed open models (pay per token)', e.managedOpen ?? []), alternativesTable('cheaper-closed-table', 'Cheaper closed models', e.cheaperClosed ?? []));
}

/** @param {string} id @param {string} title @param {Economics['managedOpen'] | Economics['cheaperClosed']} rows */
function alternativesTable(id, title, rows) {
  if (!rows.length) return h('div', null, h('h3', null, title), empty('None priced for this workload.'));
  const row = (r) =>
    h(
      'tr',
      null,
      h('td', null, r.provider ?? '—'),
      h('td', { class: 'mono' }, r.model ?? r.modelId ?? '—'),
      h('td', { class: 'num' }, f.usd(r.monthlyCostUsd)),
      h('td', { class: 'num' }, f.usd(r.vsCurrent?.monthlySavingsUsd)),
      h('td', { class: 'num' }, r.vsCurrent?.breakEvenMonths == null ? h('span', { class: 'muted' }, '—') : f.breakEven(r.vsCurrent.breakEvenMonths)),
    );
  const head = h('tr', null, h('th', null, 'Provider'), h('th', null, 'Model'), h('th', { class: 'num' }, 'Per month'), h('th', { class: 'num' }, 'Saves / month'), h('th', { class: 'num' }, 'Break-even'));
  return h('div', null, h('h3', null, title), h('div', { class: 'table-wrap' }, h('table', { class: 'data', id }, h('thead', null, head), h('tbody', null, rows.slice(0, 8).map(row)))));
}

/** @param {Economics} e */
export function sensitivityView(e) {
  const rows = e.sensitivity ?? [];
  if (!rows.length) return empty('No sensitivity analysis for this workload.');
  const head = h('tr', null, h('th', null, 'Scenario'), h('th', { class: 'num' }, 'API / month'), h('th', { class: 'num' }, 'Self-host / month'), h('th', { class: 'num' }, 'Savings / month'), h('th', null, 'Break-even'));
  const row = (s) =>
    h(
      'tr',
      null,
      h('td', null, s.scenario ?? '—'),
      h('td', { class: 'num' }, f.usd(s.currentMonthlyUsd)),
      h('td', { class: 'num' }, f.usd(s.selfHostTcoUsd)),
      h('td', { class: `num ${f.num(s.monthlySavingsUsd) > 0 ? 'down' : 'up'}` }, f.usd(s.monthlySavingsUsd)),
      h('td', { class: 'small' }, s.breakEvenMonths == null ? (s.breakEvenReason ?? '—') : f.breakEven(s.breakEvenMonths)),
    );
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data' }, h('thead', null, head), h('tbody', null, rows.map(row))));
}

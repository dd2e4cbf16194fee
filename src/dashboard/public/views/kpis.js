// @ts-check
// The overview's four headline figures. Each fails on its own: one missing figure
// (e.g. a role without budget access) must not blank the others.
import { ApiError } from '../api.js';
import { h } from '../dom.js';
import * as f from '../format.js';
import { budgetAlerts, isOrgWide } from './budgets.js';

function kpi(label, id) {
  const value = h('div', { class: 'value' }, '…');
  const detail = h('div', { class: 'detail' }, '\u00a0');
  return { el: h('div', { class: 'card kpi', id }, h('div', { class: 'label' }, label), value, detail), value, detail };
}

export function kpiCards() {
  return {
    spend: kpi('Spend this month', 'kpi-spend'),
    forecast: kpi('Forecast this month', 'kpi-forecast'),
    savings: kpi('Potential savings / month', 'kpi-savings'),
    budget: kpi('Budget used', 'kpi-budget'),
  };
}

/**
 * `data`: the overview's request promises; `asOf` shows the summary's data timestamp.
 * @param {ReturnType<typeof kpiCards>} k
 * @param {import('./overview.js').OverviewData} data
 * @param {HTMLElement} asOf
 * @param {AbortSignal} signal
 */
export function fillKpis(k, data, asOf, signal) {
  const failed = (target) => (err) => {
    if (err?.name === 'AbortError' || signal.aborted) return;
    target.value.textContent = '—';
    target.detail.textContent = err instanceof ApiError && err.status === 403 ? 'not available to your role' : 'could not load';
  };
  data.summary.then((s) => showSpend(k.spend, s, asOf), failed(k.spend));
  data.forecast.then((fc) => showForecast(k.forecast, fc), failed(k.forecast));
  data.plan.then((p) => showSavings(k.savings, p), failed(k.savings));
  Promise.all([data.budgets, data.alerts]).then(([b, a]) => showBudget(k.budget, b, a), failed(k.budget));
}

/** @param {import('../api.js').GetBody<'/v1/reports/summary'>} s */
function showSpend(k, s, asOf) {
  k.value.textContent = f.usd(s?.monthToDate?.costUsd);
  const change = f.num(s?.changePercent);
  const parts = [];
  const before = s?.samePeriodLastMonth?.costUsd;
  if (Number.isFinite(change)) parts.push(h('span', { class: change > 0 ? 'up' : change < 0 ? 'down' : '' }, `${f.signedPct(change)}`), ` vs ${Number.isFinite(f.num(before)) ? `${f.usd(before)} in ` : ''}the same days last month`);
  else parts.push('no earlier month to compare');
  const unpriced = f.num(s?.unpriced?.requests);
  if (unpriced > 0) parts.push(` · ${f.int(unpriced)} requests unpriced`);
  k.detail.replaceChildren(...parts);
  asOf.textContent = s?.asOf ? `Data as of ${f.dateTime(s.asOf)}` : '';
}

/** @param {import('../api.js').GetBody<'/v1/forecast'>} fc */
function showForecast(k, fc) {
  const m = fc?.organisation?.months?.[0];
  if (!m) {
    k.value.textContent = '—';
    k.detail.textContent = 'no forecast yet (needs more history)';
    return;
  }
  k.value.textContent = f.usd(m.expectedUsd);
  const growth = f.num(fc.organisation.monthlyGrowthRate);
  k.detail.textContent = `${f.monthLabel(m.month)} · P10–P90 ${f.usd(m.p10Usd)} – ${f.usd(m.p90Usd)}${Number.isFinite(growth) ? ` · ${f.signedPct(growth * 100)}/month trend` : ''}`;
}

/** @param {import('./roadmap.js').PlanAnswer} p */
function showSavings(k, p) {
  const ws = p?.plan?.workloads ?? [];
  const savings = ws.reduce((a, w) => a + (f.num(w.monthlySavingsUsd) || 0), 0);
  const moving = ws.filter((w) => w.recommendation && w.recommendation !== 'stay_closed').length;
  k.value.textContent = f.usd(savings);
  const months = p?.plan?.cumulativeSavings?.months ?? [];
  const total = f.num(p?.plan?.cumulativeSavings?.totalNetSavingsUsd ?? months[months.length - 1]?.cumulativeNetSavingsUsd);
  const pilots = (p?.plan?.phases ?? []).find((ph) => ph.id === 'phase-2')?.workloads?.length ?? 0;
  k.detail.textContent = `${moving} of ${ws.length} workload${ws.length === 1 ? '' : 's'} ready to move${Number.isFinite(total) && months.length ? ` · ${f.usd(total)} net over ${months.length} months${pilots ? ' if pilots pass' : ''}` : ''}`;
}

/**
 * The organisation-wide budget when there is one, else the most used.
 * @param {import('../api.js').GetBody<'/v1/budgets'>} b
 * @param {import('./budgets.js').Alerts | { data: never[] }} a
 */
function showBudget(k, b, a) {
  const list = b?.data ?? [];
  if (!list.length) {
    k.value.textContent = '—';
    k.detail.textContent = 'no budget set';
    return;
  }
  const top = list.find((x) => isOrgWide(x.scope)) ?? [...list].sort((x, y) => f.num(y.usedPercent) - f.num(x.usedPercent))[0];
  k.value.textContent = f.pct(top.usedPercent);
  const alerts = budgetAlerts(a).length;
  k.detail.textContent = `${top.name}: ${f.usd(top.spentUsd ?? top.monthToDateUsd)} of ${f.usd(top.limitUsd ?? top.monthlyLimitUsd)}${alerts ? ` · ${alerts} alert${alerts === 1 ? '' : 's'}` : ''}`;
}

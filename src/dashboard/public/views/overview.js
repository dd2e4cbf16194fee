// @ts-check
// #/ and #/roadmap: the organisation at a glance. This module lays out the page and
// starts the requests once; each section renders from the shared promises.
import { allPages, client, ok } from '../api.js';
import { card, h } from '../dom.js';
import { fill, mount, newView } from '../lifecycle.js';
import { fillAnomalies, loadAnomalies } from './anomalies.js';
import { fillBudgets } from './budgets.js';
import { fillForecast } from './forecast.js';
import { fillKpis, kpiCards } from './kpis.js';
import { roadmapView } from './roadmap.js';
import { spendCard } from './spend.js';

/** `scrollTo`: 'roadmap' for #/roadmap, once the roadmap has rendered. */
export function renderOverview(scrollTo) {
  const ctx = newView();
  const { signal } = ctx.abort;
  document.title = 'Overview · Crossover';

  const kpis = kpiCards();
  const data = overviewRequests(signal);
  const spend = spendCard(ctx, data.anomalies);
  const anomalies = card('Spend anomalies', { id: 'anomalies', hint: 'Days when a workload, customer or provider spent outside its usual range (marked on the chart above)' });
  const forecast = card('Forecast', { id: 'forecast' });
  const budgets = card('Budgets', { id: 'budgets' });
  const roadmap = card('Migration roadmap', { id: 'roadmap', hint: 'Recommendation per workload, with savings and break-even' });
  const asOf = h('span', { class: 'muted small' });

  mount(
    h('div', { class: 'page-head' }, h('div', null, h('h1', null, 'Overview'), h('p', { class: 'sub' }, 'Where your LLM spend goes, where it is heading, and which workloads should move to open models.')), asOf),
    h('section', { class: 'grid kpis' }, kpis.spend.el, kpis.forecast.el, kpis.savings.el, kpis.budget.el),
    spend.el,
    anomalies.el,
    h('div', { class: 'grid two' }, forecast.el, budgets.el),
    roadmap.el,
  );

  fillKpis(kpis, data, asOf, signal);
  spend.load();
  fillAnomalies(anomalies, ctx, data.anomalies);
  fillForecast(forecast, ctx, data);
  fillBudgets(budgets, ctx, data);
  fill(roadmap, ctx, () => data.plan, (p) => roadmapView(p, roadmap)).then(() => {
    if (scrollTo === 'roadmap' && !signal.aborted) roadmap.el.scrollIntoView({ block: 'start' });
  });
}

/** @typedef {ReturnType<typeof overviewRequests>} OverviewData */

/**
 * Each request is made once and read by several sections (KPIs and cards), so they start together here.
 * @param {AbortSignal} signal
 */
function overviewRequests(signal) {
  const summary = ok(client.GET('/v1/reports/summary', { signal }));
  const forecast = ok(client.GET('/v1/forecast', { params: { query: { horizonMonths: 6 } }, signal }));
  const plan = ok(client.GET('/v1/plan', { signal }));
  const budgets = ok(client.GET('/v1/budgets', { signal }));
  const alerts = ok(client.GET('/v1/alerts', { signal })).catch(() => ({ data: [] }));
  const now = new Date();
  const thisMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const historyFrom = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 5, 1));
  const query = { from: historyFrom.toISOString(), to: thisMonth.toISOString(), granularity: /** @type {const} */ ('month'), limit: 500 };
  const history = allPages((cursor) => client.GET('/v1/reports/spend', { params: { query: { ...query, cursor } }, signal })).catch(() => ({ rows: [] }));
  // Markers on the spend chart and the anomalies card read the same list.
  const anomalies = loadAnomalies(signal);
  for (const p of [summary, forecast, plan, budgets, anomalies]) p.catch(() => {}); // errors are shown per section
  return { summary, forecast, plan, budgets, alerts, history, anomalies };
}

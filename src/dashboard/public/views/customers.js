// @ts-check
// #/customers: what each of the organisation's own customers costs. The top customers of a month (cost, requests,
// cost per 1k requests, change vs the previous month, share, and the share the top 10 hold), the top 5's daily cost,
// and unit economics per workload. Customer names are tenant text: always set as text.
import { allPages, client, ok } from '../api.js';
import { dailyLinesChart } from '../charts.js';
import { card, empty, h } from '../dom.js';
import * as f from '../format.js';
import { chartInto, fill, mount, newView } from '../lifecycle.js';

const DAY_MS = 86_400_000;
/** Rows of the customers table; the rest are counted under it. */
const TABLE_ROWS = 25;
/** Customers drawn in the daily chart. */
const CHART_CUSTOMERS = 5;

/** 'YYYY-MM' of the current UTC month, `back` months ago. */
function monthKey(back) {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
}

export function renderCustomers() {
  const ctx = newView();
  const { signal } = ctx.abort;
  document.title = 'Customers · Crossover';
  let month = monthKey(0);

  const headline = h('section', { class: 'headline', id: 'customer-headline' });
  const top = card('Top customers', { id: 'customers', hint: 'Cost this month per customer named on the usage events (`customer`), biggest first' });
  const chart = card('Cost per customer over time', { id: 'customer-trend', hint: `Daily cost of the ${CHART_CUSTOMERS} biggest customers (UTC days)` });
  const units = card('Unit economics per workload', { id: 'unit-economics', hint: 'What one request, a thousand tokens and one active customer cost, per workload' });
  const buttons = [0, 1].map((back) => h('button', { type: 'button', class: back === 0 ? 'on' : '', dataset: { month: monthKey(back) }, onclick: () => show(monthKey(back)) }, f.monthLabel(monthKey(back))));

  mount(
    h(
      'div',
      { class: 'page-head' },
      h('div', null, h('h1', null, 'Customers'), h('p', { class: 'sub' }, 'What each of your customers costs you, who is growing, and what a unit of work costs.')),
      h('div', { class: 'seg', role: 'group', 'aria-label': 'Month' }, buttons),
    ),
    headline,
    top.el,
    chart.el,
    units.el,
  );

  const show = (m) => {
    month = m;
    for (const b of buttons) b.classList.toggle('on', b.dataset.month === m);
    for (const c of [top, chart, units]) c.set(h('p', { class: 'muted loading' }, 'Loading…'));
    headline.replaceChildren();
    for (const c of ctx.charts.splice(0)) c.destroy();
    load(month);
  };

  const load = (m) => {
    const report = ok(client.GET('/v1/reports/customers', { params: { query: { month: m, limit: TABLE_ROWS } }, signal }));
    report.catch(() => {});
    fill(top, ctx, () => report, (r) => {
      if (m !== month) return undefined;
      headline.replaceChildren(...headlineCards(r));
      return customersTable(r);
    });
    fill(chart, ctx, () => report.then((r) => topDaily(r, m, signal)), (d) => {
      if (m !== month) return undefined;
      if (!d) return empty('No customer spend this month yet. Name the customer on usage events (`customer`) to see it here.');
      const el = h('div', { class: 'chart', id: 'customer-chart', role: 'img', 'aria-label': `Daily cost of the top ${d.series.length} customers in ${f.monthLabel(m)}` });
      chart.set(el, h('p', { class: 'chart-note' }, `${d.series.length} biggest customers of ${f.monthLabel(m)}, ${f.usd(d.total)} between them.`));
      chartInto(ctx, el, () => dailyLinesChart(el, d));
      return undefined;
    });
    // The month and the one before it, so each workload's unit costs show their trend.
    const start = /** @type {Date} */ (f.monthStart(m)); // m comes from the month buttons: always YYYY-MM
    const prev = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - 1, 1));
    const next = new Date(Math.min(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1), Date.now()));
    const query = { granularity: /** @type {const} */ ('month'), from: prev.toISOString(), to: next.toISOString(), limit: 500 };
    fill(units, ctx, () => allPages((cursor) => client.GET('/v1/reports/unit-economics', { params: { query: { ...query, cursor } }, signal })), (r) => (m === month ? unitTable(r, start) : undefined));
  };
  load(month);
}

/** The report's rows (`rows`; `data` in older drafts of the API). */
const rowsOf = (r) => r?.rows ?? r?.data ?? [];

function kpi(label, id, value, detail) {
  return h('div', { class: 'card kpi', id }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), h('div', { class: 'detail' }, detail ?? '\u00a0'));
}

/** @typedef {import('../api.js').GetBody<'/v1/reports/customers'>} CustomersReport */

/** @param {CustomersReport} r */
function headlineCards(r) {
  const t = r?.totals ?? {};
  const first = rowsOf(r)[0];
  return [
    kpi('Top 10 share', 'kpi-top10', f.pct(t.top10SharePercent), 'of the cost of all customers'),
    kpi('Customers', 'kpi-customers', f.int(t.customers), `with usage in ${f.monthLabel(r?.month)}`),
    kpi('Customer spend', 'kpi-customer-spend', f.usd(t.costUsd), Number.isFinite(f.num(t.attributedSharePercent)) ? `${f.pct(t.attributedSharePercent)} of all spend (${f.usd(t.totalCostUsd)}) names a customer` : null),
    kpi('Biggest customer', 'kpi-biggest', first ? first.customer : '—', first ? `${f.usd(first.costUsd)} · ${f.pct(first.sharePercent)} of customer spend` : null),
  ];
}

/** @param {CustomersReport['rows'][number]} c */
function change(c) {
  const n = f.num(c.changePercent);
  if (!Number.isFinite(n)) return h('span', { class: 'muted' }, f.num(c.previousMonthCostUsd) > 0 ? '—' : 'new');
  return h('span', { class: n > 0 ? 'up' : n < 0 ? 'down' : '' }, f.signedPct(n));
}

/** @param {CustomersReport} r */
function customersTable(r) {
  const rows = rowsOf(r);
  if (!rows.length) return empty('No usage names a customer this month. Send `customer` on usage events (or `crossover.customer` over OpenTelemetry, `user` in OpenAI bodies) to see what each customer costs.');
  const total = f.num(r?.totals?.customers);
  const body = rows.map((c, i) =>
    h(
      'tr',
      { dataset: { customer: c.customer } },
      h('td', { class: 'num muted' }, String(i + 1)),
      h('td', { class: 'name' }, c.customer),
      h('td', { class: 'num' }, f.usd(c.costUsd)),
      h('td', { class: 'num' }, f.int(c.requests)),
      h('td', { class: 'num' }, f.usd(c.costPer1kRequestsUsd)),
      h('td', { class: 'num' }, change(c), h('span', { class: 'sub' }, `${f.usd(c.previousMonthCostUsd)} last month`)),
      h('td', { class: 'num' }, f.pct(c.sharePercent), h('span', { class: 'share', 'aria-hidden': 'true' }, h('span', { style: `width:${Math.max(0, Math.min(100, f.num(c.sharePercent) || 0))}%` }))),
    ),
  );
  const head = h('tr', null, h('th', { class: 'num' }, '#'), h('th', null, 'Customer'), h('th', { class: 'num' }, 'Cost'), h('th', { class: 'num' }, 'Requests'), h('th', { class: 'num' }, 'Cost / 1k requests'), h('th', { class: 'num' }, 'vs last month'), h('th', { class: 'num' }, 'Share'));
  const more = Number.isFinite(total) && total > rows.length ? h('p', { class: 'muted small' }, `Top ${rows.length} of ${f.int(total)} customers. All of them: GET /v1/reports/customers?month=${r.month} (CSV with groupBy=customer on /v1/reports/spend).`) : null;
  return [h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'customers-table' }, h('thead', null, head), h('tbody', null, body))), more];
}

/** The month's top customers' daily cost: x (every UTC day of the month up to today) and one series per customer. */
/** @param {CustomersReport} r @param {string} m @param {AbortSignal} signal */
async function topDaily(r, m, signal) {
  const names = rowsOf(r).slice(0, CHART_CUSTOMERS).map((c) => c.customer);
  if (!names.length) return null;
  const start = /** @type {Date} */ (f.monthStart(m)); // m comes from the month buttons: always YYYY-MM
  const next = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  const end = new Date(Math.min(next.getTime(), Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS));
  const days = [];
  for (let t = start.getTime(); t < end.getTime(); t += DAY_MS) days.push(t);
  const query = { from: start.toISOString(), to: end.toISOString(), granularity: /** @type {const} */ ('day'), groupBy: 'customer', limit: 500 };
  const pages = await Promise.all(names.map((customer) => allPages((cursor) => client.GET('/v1/reports/spend', { params: { query: { ...query, customer, cursor } }, signal }))));
  const rows = pages.flatMap((p) => p.rows);
  const index = new Map(days.map((t, i) => [t, i]));
  const series = names.map((label) => ({ label, values: new Array(days.length).fill(0) }));
  const byName = new Map(series.map((s) => [s.label, s]));
  let total = 0;
  for (const row of rows) {
    const s = byName.get(row.customer);
    const i = index.get(Math.floor(new Date(row.period).getTime() / DAY_MS) * DAY_MS);
    if (!s || i === undefined) continue;
    const v = f.num(row.costUsd) || 0;
    s.values[i] += v;
    total += v;
  }
  return { x: days.map((t) => t / 1000), series, total };
}

/** One row per workload with usage in the month starting `start`: cost, requests, unit costs and their trend vs the month before. */
/**
 * @param {import('../api.js').GetBody<'/v1/reports/unit-economics'>} r
 * @param {Date} start
 */
function unitTable(r, start) {
  const all = rowsOf(r);
  if (!all.some((row) => Date.parse(row.period) >= start.getTime())) return empty('No usage this month yet.');
  // A series over periods: keep each workload's latest period and show the one before it as the trend.
  const byWorkload = new Map();
  for (const row of all) {
    const k = row.workload ?? '(no workload)';
    const list = byWorkload.get(k) ?? byWorkload.set(k, []).get(k);
    list.push(row);
  }
  const rows = [...byWorkload].map(([workload, list]) => {
    list.sort((a, b) => String(a.period ?? '').localeCompare(String(b.period ?? '')));
    return { workload, last: list[list.length - 1], before: list.length > 1 ? list[list.length - 2] : null };
  }).filter((x) => Date.parse(x.last.period) >= start.getTime());
  rows.sort((a, b) => f.num(b.last.costUsd) - f.num(a.last.costUsd));
  const cell = (v, before) => {
    const n = f.num(v);
    const p = f.num(before);
    const trend = Number.isFinite(n) && p > 0 ? h('span', { class: 'sub' }, `${f.signedPct(((n - p) / p) * 100)} vs prior period`) : null;
    return h('td', { class: 'num' }, Number.isFinite(n) ? f.usdUnit(n) : '—', trend);
  };
  const head = h('tr', null, h('th', null, 'Workload'), h('th', { class: 'num' }, 'Cost'), h('th', { class: 'num' }, 'Requests'), h('th', { class: 'num' }, 'Per request'), h('th', { class: 'num' }, 'Per 1k tokens'), h('th', { class: 'num' }, 'Active customers'), h('th', { class: 'num' }, 'Per active customer'));
  const body = rows.map(({ workload, last, before }) =>
    h(
      'tr',
      { dataset: { workload } },
      h('td', null, h('a', { href: `#/workloads/${encodeURIComponent(workload)}` }, workload)),
      h('td', { class: 'num' }, f.usd(last.costUsd)),
      h('td', { class: 'num' }, f.int(last.requests)),
      cell(last.costPerRequestUsd, before?.costPerRequestUsd),
      cell(last.costPer1kTokensUsd, before?.costPer1kTokensUsd),
      h('td', { class: 'num' }, f.num(last.activeCustomers) > 0 ? f.int(last.activeCustomers) : '—'),
      h('td', { class: 'num' }, f.num(last.activeCustomers) > 0 ? f.usd(last.costPerActiveCustomerUsd) : '—'),
    ),
  );
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'unit-economics-table' }, h('thead', null, head), h('tbody', null, body)));
}

// @ts-check
// The overview's "Spend by workload" card: daily spend, stacked, over a chosen period.
import { allPages, client } from '../api.js';
import { stackedSpendChart } from '../charts.js';
import { card, empty, h } from '../dom.js';
import * as f from '../format.js';
import { chartInto, fill } from '../lifecycle.js';
import { anomalyMarkers } from './anomalies.js';

const DAY_MS = 86_400_000;
/** More stacked bands than this are unreadable; the smallest are folded into "other". */
const MAX_SPEND_SERIES = 12;

/**
 * The card and `load()`, which (re)loads the chosen period; changing the period reloads it.
 * `anomalies`: a promise of the anomaly list (marked on their days); a failed one draws the chart without markers.
 */
/** @param {import('../lifecycle.js').ViewContext} ctx @param {Promise<any[]>} [anomalies] */
export function spendCard(ctx, anomalies = Promise.resolve([])) {
  const { signal } = ctx.abort;
  let range = 30;
  let chart = null;
  const buttons = [30, 90, 180].map((d) =>
    h('button', { type: 'button', class: d === range ? 'on' : '', dataset: { days: d }, onclick: () => setRange(d) }, `${d} days`),
  );
  const spend = card('Spend by workload', { id: 'spend', hint: 'Daily, stacked (UTC). Click a workload in the legend to hide it.', actions: h('div', { class: 'seg', role: 'group', 'aria-label': 'Period' }, buttons) });
  const setRange = (d) => {
    range = d;
    for (const b of buttons) b.classList.toggle('on', Number(b.dataset.days) === d);
    load();
  };
  const load = () => {
    spend.set(h('p', { class: 'muted loading' }, 'Loading…'));
    const to = new Date();
    const from = new Date(Math.floor(to.getTime() / DAY_MS) * DAY_MS - (range - 1) * DAY_MS);
    return fill(
      spend,
      ctx,
      () => {
        const query = { from: from.toISOString(), to: to.toISOString(), granularity: /** @type {const} */ ('day'), groupBy: 'workload', limit: 500 };
        return Promise.all([allPages((cursor) => client.GET('/v1/reports/spend', { params: { query: { ...query, cursor } }, signal })), anomalies.catch(() => [])]);
      },
      ([r, found]) => {
        const rows = r?.rows ?? [];
        if (chart) {
          chart.destroy();
          ctx.charts = ctx.charts.filter((c) => c !== chart);
          chart = null;
        }
        if (!rows.length) return empty('No spend yet in this period. Send usage events to POST /v1/events and it will show here.');
        const { x, series, total } = spendSeries(rows, from, to);
        const el = h('div', { class: 'chart', id: 'spend-chart', role: 'img', 'aria-label': `Daily spend by workload over the last ${range} days` });
        const markers = anomalyMarkers(found, from, to);
        const note = h(
          'p',
          { class: 'chart-note' },
          `${f.usd(total)} over the last ${range} days across ${series.length} workload${series.length === 1 ? '' : 's'}.`,
          markers.length ? ` ${markers.length} spend anomal${markers.length === 1 ? 'y' : 'ies'} marked in red (hover a flag for the range).` : '',
        );
        spend.set(el, note);
        chart = chartInto(ctx, el, () => stackedSpendChart(el, { x, series, markers }));
      },
    );
  };
  return { el: spend.el, load };
}

/** Daily rows → x (unix s, every UTC day of the window) and series bottom→top by total spend, the tail folded into "other". */
function spendSeries(rows, from, to) {
  const start = Math.floor(from.getTime() / DAY_MS) * DAY_MS;
  const days = [];
  for (let t = start; t < to.getTime(); t += DAY_MS) days.push(t);
  const index = new Map(days.map((t, i) => [t, i]));
  const byWorkload = new Map();
  for (const r of rows) {
    const t = Math.floor(new Date(r.period).getTime() / DAY_MS) * DAY_MS;
    const i = index.get(t);
    if (i === undefined) continue;
    const name = r.workload ?? '(no workload)';
    if (!byWorkload.has(name)) byWorkload.set(name, new Array(days.length).fill(0));
    byWorkload.get(name)[i] += f.num(r.costUsd) || 0;
  }
  const totals = [...byWorkload].map(([label, values]) => ({ label, values, total: values.reduce((a, v) => a + v, 0) })).sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
  let series = totals;
  if (totals.length > MAX_SPEND_SERIES) {
    const rest = totals.slice(MAX_SPEND_SERIES - 1);
    const other = new Array(days.length).fill(0);
    for (const s of rest) s.values.forEach((v, i) => (other[i] += v));
    series = [...totals.slice(0, MAX_SPEND_SERIES - 1), { label: `other (${rest.length})`, values: other, total: rest.reduce((a, s) => a + s.total, 0) }];
  }
  return { x: days.map((t) => t / 1000), series, total: totals.reduce((a, s) => a + s.total, 0) };
}

// @ts-check
// The overview's "Forecast" card: past months' actual spend, then the forecast with its P10–P90 band.
import { forecastChart } from '../charts.js';
import { empty, h } from '../dom.js';
import * as f from '../format.js';
import { chartInto, fill } from '../lifecycle.js';

/**
 * `data`: the overview's request promises (forecast, and monthly spend history for the bars before it).
 * @param {import('../dom.js').Card} forecast
 * @param {import('../lifecycle.js').ViewContext} ctx
 * @param {import('./overview.js').OverviewData} data
 */
export function fillForecast(forecast, ctx, data) {
  fill(
    forecast,
    ctx,
    () => Promise.all([data.forecast, data.history]),
    ([fc, hist]) => {
      const org = fc?.organisation;
      const months = org?.months ?? [];
      if (!months.length) return empty(org?.backtest?.reason ?? 'No forecast yet: it needs a few weeks of usage.');
      const series = forecastSeries(months, hist);
      const el = h('div', { class: 'chart', id: 'forecast-chart', role: 'img', 'aria-label': 'Monthly spend and forecast' });
      // backtest.mape is the rolling-origin error at the 4-week horizon (1-week when 4 weeks are not scored): name the horizon.
      const mape = f.num(org.backtest?.mape);
      const weeks = Math.round((f.num(org.backtest?.holdoutDays) || 28) / 7);
      const price = org.priceInForce?.usdPerMillionTokens;
      forecast.el.querySelector('.card-head > div').append(
        h(
          'div',
          { class: 'hint' },
          `${org.method ?? 'trend'}${price ? ` · priced at ${f.usd(price)}/M tokens` : ''}${Number.isFinite(mape) ? ` · backtest error ${f.pct(mape * 100)} at ${weeks} week${weeks === 1 ? '' : 's'}` : ''}`,
        ),
      );
      forecast.set(el, h('details', null, h('summary', null, 'Forecast table'), h('div', { class: 'table-wrap' }, forecastTable(months))));
      chartInto(ctx, el, () => forecastChart(el, series));
    },
  );
}

/** One x per month: history months before the forecast carry actuals only; the first forecast month also carries its actual to date. */
function forecastSeries(months, hist) {
  const byMonth = new Map();
  for (const r of hist?.rows ?? []) {
    const ym = String(r.period ?? '').slice(0, 7);
    byMonth.set(ym, (byMonth.get(ym) ?? 0) + (f.num(r.costUsd) || 0));
  }
  const past = [...byMonth.keys()].filter((ym) => ym < months[0].month).sort();
  const keys = [...past, ...months.map((m) => m.month)];
  const x = keys.map((ym) => (f.monthStart(ym)?.getTime() ?? NaN) / 1000);
  const actual = keys.map((ym, i) => (i < past.length ? byMonth.get(ym) : i === past.length ? f.num(months[0].actualToDateUsd) || null : null));
  const pick = (k) => keys.map((_, i) => (i < past.length ? null : f.num(months[i - past.length][k])));
  return { x, actual, expected: pick('expectedUsd'), p10: pick('p10Usd'), p90: pick('p90Usd') };
}

function forecastTable(months) {
  return h(
    'table',
    { class: 'data', id: 'forecast-table' },
    h('thead', null, h('tr', null, h('th', null, 'Month'), h('th', { class: 'num' }, 'Expected'), h('th', { class: 'num' }, 'P10 – P90'))),
    h('tbody', null, months.map((m) => h('tr', null, h('td', null, f.monthLabel(m.month)), h('td', { class: 'num' }, f.usd(m.expectedUsd)), h('td', { class: 'num' }, `${f.usd(m.p10Usd)} – ${f.usd(m.p90Usd)}`)))),
  );
}

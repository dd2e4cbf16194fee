// @ts-check
// The overview's "Budgets" card: each budget's use this month, its alert thresholds and where the forecast lands.
import { empty, h } from '../dom.js';
import * as f from '../format.js';
import { fill } from '../lifecycle.js';

/** @typedef {import('../api.js').GetBody<'/v1/budgets'>['data'][number]} Budget */
/** @typedef {import('../api.js').GetBody<'/v1/alerts'>} Alerts */

/**
 * `data`: the overview's request promises; the forecast is optional here (the bars draw without its marker).
 * @param {import('../dom.js').Card} budgets
 * @param {import('../lifecycle.js').ViewContext} ctx
 * @param {import('./overview.js').OverviewData} data
 */
export function fillBudgets(budgets, ctx, data) {
  fill(
    budgets,
    ctx,
    () => Promise.all([data.budgets, data.alerts, data.forecast.catch(() => null)]),
    ([b, a, fc]) => {
      const list = b?.data ?? [];
      const alerts = budgetAlerts(a);
      if (!list.length) return empty('No budgets yet. Finance can create one (POST /v1/budgets) to get alerts at 50/80/100%.');
      const expected = f.num(fc?.organisation?.months?.[0]?.expectedUsd);
      const nodes = list.map((x) => budgetRow(x, isOrgWide(x.scope) && (x.window ?? 'month') === 'month' ? expected : NaN));
      if (alerts.length) nodes.push(...alertList(alerts));
      return h('div', { id: 'budget-list' }, nodes);
    },
  );
}

/**
 * Budget alerts only: GET /v1/alerts also lists spend anomalies (type 'anomaly'), which have a card of their own.
 * @param {Alerts | { data: never[] }} a
 */
export function budgetAlerts(a) {
  return (a?.data ?? []).filter((al) => al.type === undefined || al.type === 'budget');
}

/** The limit and the spend of the budget's window (older servers: the monthly aliases). */
const limitOf = (b) => b.limitUsd ?? b.monthlyLimitUsd;
const spentOf = (b) => b.spentUsd ?? b.monthToDateUsd;
const WINDOWS = { month: 'this month', '24h': 'last 24 hours', '7d': 'last 7 days', '30d': 'last 30 days' };

/** No scope, or every scope field blank: the budget covers all spend (the organisation forecast applies to it). */
export function isOrgWide(scope) {
  return !scope || Object.values(scope).every(blank);
}

/** A scope field that narrows nothing: null, '' or an empty object (no tags). */
const blank = (v) => v === null || v === undefined || v === '' || (typeof v === 'object' && Object.keys(v).length === 0);

function scopeText(scope) {
  if (isOrgWide(scope)) return 'All spend';
  return Object.entries(scope)
    .filter(([, v]) => !blank(v))
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? Object.entries(v).map(([tk, tv]) => `${tk}=${tv}`).join(', ') : v}`)
    .join(' · ');
}

/** @param {Budget} b @param {number} forecastUsd */
function budgetRow(b, forecastUsd) {
  const used = f.num(b.usedPercent);
  const limit = f.num(limitOf(b));
  const fill = h('div', { class: `fill ${used >= 100 ? 'bad' : used >= 80 ? 'warn' : ''}`, style: `width:${Math.max(0, Math.min(100, used || 0))}%` });
  const ticks = (Array.isArray(b.thresholds) ? b.thresholds : []).filter((t) => t > 0 && t < 100).map((t) => h('div', { class: 'tick', style: `left:${t}%`, title: `${t}% alert` }));
  const fcPct = Number.isFinite(forecastUsd) && limit > 0 ? (forecastUsd / limit) * 100 : NaN;
  const marker = Number.isFinite(fcPct) ? h('div', { class: 'forecast', style: `left:${Math.min(100, fcPct)}%`, title: `Forecast for the month: ${f.usd(forecastUsd)}` }) : null;
  return h(
    'div',
    { class: 'budget', dataset: { budget: b.name ?? '' } },
    h('div', { class: 'row' }, h('span', { class: 'name' }, b.name ?? 'Budget'), h('span', { class: 'num' }, `${f.usd(spentOf(b))} of ${f.usd(limitOf(b))}`)),
    h('div', { class: 'bar' }, fill, ticks, marker),
    h(
      'div',
      { class: 'row small muted' },
      h('span', null, `${scopeText(b.scope)} · ${WINDOWS[b.window ?? 'month'] ?? b.window}${b.hard ? ' · hard' : ''}`),
      h('span', null, `${f.pct(used)} used${Number.isFinite(fcPct) ? ` · forecast ${f.pct(fcPct, 0)} by month end` : ''}`),
    ),
  );
}

/** '2026-11' → "Nov 2026"; a rolling window's UTC day '2026-11-25' → "Nov 25". */
function periodLabel(p) {
  return /^\d{4}-\d{2}-\d{2}$/.test(String(p ?? '')) ? f.dayLabel(new Date(`${p}T00:00:00Z`)) : f.monthLabel(p);
}

function alertList(alerts) {
  return [
    h('h3', { class: 'small', style: 'margin-top:12px' }, 'Recent alerts'),
    h(
      'ul',
      { class: 'alerts', id: 'alerts' },
      alerts.slice(0, 6).map((al) => h('li', null, `${al.budgetName ?? 'Budget'} crossed ${f.pct(al.threshold, 0)} in ${periodLabel(al.period ?? al.month)} (${f.usd(al.spendUsd)})`)),
    ),
  ];
}

// The overview's "Budgets" card: each budget's use this month, its alert thresholds and where the forecast lands.
import { empty, h } from '../dom.js';
import * as f from '../format.js';
import { fill } from '../lifecycle.js';

/** `data`: the overview's request promises; the forecast is optional here (the bars draw without its marker). */
export function fillBudgets(budgets, ctx, data) {
  fill(
    budgets,
    ctx,
    () => Promise.all([data.budgets, data.alerts, data.forecast.catch(() => null)]),
    ([b, a, fc]) => {
      const list = b?.data ?? [];
      const alerts = a?.data ?? [];
      if (!list.length) return empty('No budgets yet. Finance can create one (POST /v1/budgets) to get alerts at 50/80/100%.');
      const expected = f.num(fc?.organisation?.months?.[0]?.expectedUsd);
      const nodes = list.map((x) => budgetRow(x, isOrgWide(x.scope) ? expected : NaN));
      if (alerts.length) nodes.push(...alertList(alerts));
      return h('div', { id: 'budget-list' }, nodes);
    },
  );
}

/** No scope, or every scope field blank: the budget covers all spend (the organisation forecast applies to it). */
export function isOrgWide(scope) {
  return !scope || Object.values(scope).every((v) => v === null || v === undefined || v === '');
}

function scopeText(scope) {
  if (isOrgWide(scope)) return 'All spend';
  return Object.entries(scope)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}: ${v}`)
    .join(' · ');
}

function budgetRow(b, forecastUsd) {
  const used = f.num(b.usedPercent);
  const limit = f.num(b.monthlyLimitUsd);
  const fill = h('div', { class: `fill ${used >= 100 ? 'bad' : used >= 80 ? 'warn' : ''}`, style: `width:${Math.max(0, Math.min(100, used || 0))}%` });
  const ticks = (Array.isArray(b.thresholds) ? b.thresholds : []).filter((t) => t > 0 && t < 100).map((t) => h('div', { class: 'tick', style: `left:${t}%`, title: `${t}% alert` }));
  const fcPct = Number.isFinite(forecastUsd) && limit > 0 ? (forecastUsd / limit) * 100 : NaN;
  const marker = Number.isFinite(fcPct) ? h('div', { class: 'forecast', style: `left:${Math.min(100, fcPct)}%`, title: `Forecast for the month: ${f.usd(forecastUsd)}` }) : null;
  return h(
    'div',
    { class: 'budget', dataset: { budget: b.name ?? '' } },
    h('div', { class: 'row' }, h('span', { class: 'name' }, b.name ?? 'Budget'), h('span', { class: 'num' }, `${f.usd(b.monthToDateUsd)} of ${f.usd(b.monthlyLimitUsd)}`)),
    h('div', { class: 'bar' }, fill, ticks, marker),
    h(
      'div',
      { class: 'row small muted' },
      h('span', null, scopeText(b.scope)),
      h('span', null, `${f.pct(used)} used${Number.isFinite(fcPct) ? ` · forecast ${f.pct(fcPct, 0)} by month end` : ''}`),
    ),
  );
}

function alertList(alerts) {
  return [
    h('h3', { class: 'small', style: 'margin-top:12px' }, 'Recent alerts'),
    h(
      'ul',
      { class: 'alerts', id: 'alerts' },
      alerts.slice(0, 6).map((al) => h('li', null, `${al.budgetName ?? 'Budget'} crossed ${f.pct(al.threshold, 0)} in ${f.monthLabel(al.month)} (${f.usd(al.spendUsd)})`)),
    ),
  ];
}

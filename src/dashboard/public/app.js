// Crossover dashboard: a small single-page app over the public /v1 API.
// Routes (hash): #/ overview · #/roadmap overview scrolled to the roadmap · #/workloads/<slug> one workload.
import { allPages, api, ApiError, login, session, whenUnauthenticated } from './api.js';
import { crossoverChart, forecastChart, stackedSpendChart } from './charts.js';
import * as f from './format.js';

const view = document.getElementById('view');
const DAY_MS = 86_400_000;
const MAX_SPEND_SERIES = 12;

// ---------------------------------------------------------------- DOM helper

/** Builds an element; children are nodes or text (never parsed as HTML). */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

const card = (title, { hint, actions, id, cls } = {}) => {
  const body = h('div', { class: 'card-body' }, h('p', { class: 'muted loading' }, 'Loading…'));
  const el = h('section', { class: `card ${cls ?? ''}`, id }, h('div', { class: 'card-head' }, h('div', null, h('h2', null, title), hint ? h('div', { class: 'hint' }, hint) : null), actions ?? null), body);
  return { el, body, set: (...nodes) => body.replaceChildren(...nodes) };
};

const empty = (text) => h('p', { class: 'empty' }, text);
const badge = (rec) => h('span', { class: `badge ${f.recommendationClass(rec)}`, dataset: { recommendation: rec ?? '' } }, f.recommendationLabel(rec));

function errorBox(err) {
  if (err instanceof ApiError && err.status === 403) return h('p', { class: 'empty' }, 'Your role cannot see this section.');
  return h('p', { class: 'error', role: 'alert' }, err?.message ?? String(err));
}

// ---------------------------------------------------------------- view lifecycle

let current = { abort: new AbortController(), charts: [] };

function newView() {
  current.abort.abort();
  for (const c of current.charts) c.destroy();
  current = { abort: new AbortController(), charts: [] };
  return current;
}

/** Runs `load`, then renders into `target` with `render(result)`; errors go into the card. Ignores results of a view that was left. */
async function fill(target, ctx, load, render) {
  try {
    const result = await load();
    if (ctx.abort.signal.aborted) return;
    const out = await render(result);
    if (ctx.abort.signal.aborted) return;
    if (out !== undefined) target.set(...[out].flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false));
  } catch (err) {
    if (ctx.abort.signal.aborted || err?.name === 'AbortError') return;
    if (err instanceof ApiError && err.status === 401) return; // handled: back to sign-in
    console.error(err);
    target.set(errorBox(err));
  }
}

function chartInto(ctx, el, make) {
  try {
    const c = make();
    ctx.charts.push(c);
    return c;
  } catch (err) {
    el.replaceChildren(errorBox(err));
    return null;
  }
}

// ---------------------------------------------------------------- chrome and routing

function updateChrome() {
  const s = session.get();
  document.getElementById('nav').hidden = !s;
  document.getElementById('who').hidden = !s;
  document.getElementById('who-email').textContent = s?.email ?? '';
  document.getElementById('who-role').textContent = s?.role ?? '';
  const hash = location.hash || '#/';
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.getAttribute('href') === hash || (hash.startsWith('#/workloads/') && a.getAttribute('href') === '#/roadmap'));
}

let signInNotice = '';

function route() {
  const s = session.get();
  if (s && s.expiresAt && s.expiresAt < Date.now()) {
    session.clear();
    signInNotice = 'Your session expired. Please sign in again.';
  }
  updateChrome();
  if (!session.get()) return renderLogin();
  const hash = decodeURIComponent(location.hash.replace(/^#/, '')) || '/';
  const wl = /^\/workloads\/(.+)$/.exec(hash);
  if (wl) return renderWorkload(wl[1]);
  return renderOverview(hash === '/roadmap' ? 'roadmap' : null);
}

whenUnauthenticated(() => {
  session.clear();
  signInNotice = 'Your session expired. Please sign in again.';
  route();
});

document.getElementById('sign-out').addEventListener('click', () => {
  session.clear();
  signInNotice = '';
  location.hash = '#/';
  route();
});
window.addEventListener('hashchange', route);

// ---------------------------------------------------------------- sign in

function renderLogin() {
  newView();
  document.title = 'Sign in · Crossover';
  const error = h('p', { class: 'error', role: 'alert', id: 'login-error', hidden: true });
  const email = h('input', { type: 'email', id: 'email', name: 'email', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { type: 'password', id: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'sign-in' }, 'Sign in');
  const form = h(
    'form',
    { class: 'login', id: 'login-form', novalidate: true },
    h('h1', null, 'Sign in'),
    h('p', { class: 'muted' }, 'LLM spend, self-hosting economics and your migration roadmap.'),
    signInNotice ? h('p', { class: 'notice' }, signInNotice) : null,
    h('label', { for: 'email' }, 'Email'),
    email,
    h('label', { for: 'password' }, 'Password'),
    password,
    submit,
    error,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.hidden = true;
    if (!email.value || !password.value) {
      error.textContent = 'Enter your email and password.';
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      await login(email.value.trim(), password.value);
      signInNotice = '';
      if (!location.hash || location.hash === '#') location.hash = '#/';
      route();
    } catch (err) {
      error.textContent = err instanceof ApiError && err.status === 401 ? 'Invalid email or password.' : err.message;
      error.hidden = false;
      submit.disabled = false;
      submit.textContent = 'Sign in';
      password.select();
    }
  });
  view.replaceChildren(h('div', { class: 'login-wrap' }, form));
  email.focus();
}

// ---------------------------------------------------------------- overview

function renderOverview(scrollTo) {
  const ctx = newView();
  const { signal } = ctx.abort;
  document.title = 'Overview · Crossover';

  const kpi = (label, id) => {
    const value = h('div', { class: 'value' }, '…');
    const detail = h('div', { class: 'detail' }, '\u00a0');
    return { el: h('div', { class: 'card kpi', id }, h('div', { class: 'label' }, label), value, detail), value, detail };
  };
  const kSpend = kpi('Spend this month', 'kpi-spend');
  const kForecast = kpi('Forecast this month', 'kpi-forecast');
  const kSavings = kpi('Potential savings / month', 'kpi-savings');
  const kBudget = kpi('Budget used', 'kpi-budget');

  let range = 30;
  const rangeButtons = [30, 90, 180].map((d) =>
    h('button', { type: 'button', class: d === range ? 'on' : '', dataset: { days: d }, onclick: () => setRange(d) }, `${d} days`),
  );
  const spend = card('Spend by workload', { id: 'spend', hint: 'Daily, stacked (UTC). Click a workload in the legend to hide it.', actions: h('div', { class: 'seg', role: 'group', 'aria-label': 'Period' }, rangeButtons) });
  const forecast = card('Forecast', { id: 'forecast' });
  const budgets = card('Budgets', { id: 'budgets' });
  const roadmap = card('Migration roadmap', { id: 'roadmap', hint: 'Recommendation per workload, with savings and break-even' });
  const asOf = h('span', { class: 'muted small' });

  view.replaceChildren(
    h('div', { class: 'page-head' }, h('div', null, h('h1', null, 'Overview'), h('p', { class: 'sub' }, 'Where your LLM spend goes, where it is heading, and which workloads should move to open models.')), asOf),
    h('section', { class: 'grid kpis' }, kSpend.el, kForecast.el, kSavings.el, kBudget.el),
    spend.el,
    h('div', { class: 'grid two' }, forecast.el, budgets.el),
    roadmap.el,
  );

  const summaryP = api('/v1/reports/summary', { signal });
  const forecastP = api('/v1/forecast?horizonMonths=6', { signal });
  const planP = api('/v1/plan', { signal });
  const budgetsP = api('/v1/budgets', { signal });
  const alertsP = api('/v1/alerts', { signal }).catch(() => ({ data: [] }));
  const monthFmt = (d) => d.toISOString();
  const now = new Date();
  const thisMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const historyFrom = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 5, 1));
  const historyP = allPages(`/v1/reports/spend?from=${monthFmt(historyFrom)}&to=${monthFmt(thisMonth)}&granularity=month&limit=500`, { signal }).catch(() => ({ rows: [] }));
  for (const p of [summaryP, forecastP, planP, budgetsP]) p.catch(() => {}); // errors are shown per section

  // KPIs
  const kpiFail = (k) => (err) => {
    if (err?.name === 'AbortError' || signal.aborted) return;
    k.value.textContent = '—';
    k.detail.textContent = err instanceof ApiError && err.status === 403 ? 'not available to your role' : 'could not load';
  };
  summaryP.then((s) => {
    kSpend.value.textContent = f.usd(s?.monthToDate?.costUsd);
    const change = f.num(s?.changePercent);
    const parts = [];
    const before = s?.samePeriodLastMonth?.costUsd;
    if (Number.isFinite(change)) parts.push(h('span', { class: change > 0 ? 'up' : change < 0 ? 'down' : '' }, `${f.signedPct(change)}`), ` vs ${Number.isFinite(f.num(before)) ? `${f.usd(before)} in ` : ''}the same days last month`);
    else parts.push('no earlier month to compare');
    const unpriced = f.num(s?.unpriced?.requests);
    if (unpriced > 0) parts.push(` · ${f.int(unpriced)} requests unpriced`);
    kSpend.detail.replaceChildren(...parts);
    asOf.textContent = s?.asOf ? `Data as of ${f.dateTime(s.asOf)}` : '';
  }, kpiFail(kSpend));
  forecastP.then((fc) => {
    const m = fc?.organisation?.months?.[0];
    if (!m) {
      kForecast.value.textContent = '—';
      kForecast.detail.textContent = 'no forecast yet (needs more history)';
      return;
    }
    kForecast.value.textContent = f.usd(m.expectedUsd);
    const growth = f.num(fc.organisation.monthlyGrowthRate);
    kForecast.detail.textContent = `${f.monthLabel(m.month)} · P10–P90 ${f.usd(m.p10Usd)} – ${f.usd(m.p90Usd)}${Number.isFinite(growth) ? ` · ${f.signedPct(growth * 100)}/month trend` : ''}`;
  }, kpiFail(kForecast));
  planP.then((p) => {
    const ws = p?.plan?.workloads ?? [];
    const savings = ws.reduce((a, w) => a + (f.num(w.monthlySavingsUsd) || 0), 0);
    const moving = ws.filter((w) => w.recommendation && w.recommendation !== 'stay_closed').length;
    kSavings.value.textContent = f.usd(savings);
    const months = p?.plan?.cumulativeSavings?.months ?? [];
    const total = f.num(p?.plan?.cumulativeSavings?.totalNetSavingsUsd ?? months[months.length - 1]?.cumulativeNetSavingsUsd);
    const pilots = (p?.plan?.phases ?? []).find((ph) => ph.id === 'phase-2')?.workloads?.length ?? 0;
    kSavings.detail.textContent = `${moving} of ${ws.length} workload${ws.length === 1 ? '' : 's'} ready to move${Number.isFinite(total) && months.length ? ` · ${f.usd(total)} net over ${months.length} months${pilots ? ' if pilots pass' : ''}` : ''}`;
  }, kpiFail(kSavings));
  Promise.all([budgetsP, alertsP]).then(([b, a]) => {
    const list = b?.data ?? [];
    if (!list.length) {
      kBudget.value.textContent = '—';
      kBudget.detail.textContent = 'no budget set';
      return;
    }
    const top = list.find((x) => isOrgWide(x.scope)) ?? [...list].sort((x, y) => f.num(y.usedPercent) - f.num(x.usedPercent))[0];
    kBudget.value.textContent = f.pct(top.usedPercent);
    const alerts = (a?.data ?? []).length;
    kBudget.detail.textContent = `${top.name}: ${f.usd(top.monthToDateUsd)} of ${f.usd(top.monthlyLimitUsd)}${alerts ? ` · ${alerts} alert${alerts === 1 ? '' : 's'}` : ''}`;
  }, kpiFail(kBudget));

  // Spend by workload
  const setRange = (d) => {
    range = d;
    for (const b of rangeButtons) b.classList.toggle('on', Number(b.dataset.days) === d);
    loadSpend();
  };
  let spendChart = null;
  const loadSpend = () => {
    spend.set(h('p', { class: 'muted loading' }, 'Loading…'));
    const to = new Date();
    const from = new Date(Math.floor(to.getTime() / DAY_MS) * DAY_MS - (range - 1) * DAY_MS);
    return fill(
      spend,
      ctx,
      () => allPages(`/v1/reports/spend?from=${from.toISOString()}&to=${to.toISOString()}&granularity=day&groupBy=workload&limit=500`, { signal }),
      (r) => {
        const rows = r?.rows ?? [];
        if (spendChart) {
          spendChart.destroy();
          ctx.charts = ctx.charts.filter((c) => c !== spendChart);
          spendChart = null;
        }
        if (!rows.length) return empty('No spend yet in this period. Send usage events to POST /v1/events and it will show here.');
        const { x, series, total } = spendSeries(rows, from, to);
        const el = h('div', { class: 'chart', id: 'spend-chart', role: 'img', 'aria-label': `Daily spend by workload over the last ${range} days` });
        const note = h('p', { class: 'chart-note' }, `${f.usd(total)} over the last ${range} days across ${series.length} workload${series.length === 1 ? '' : 's'}.`);
        spend.set(el, note);
        spendChart = chartInto(ctx, el, () => stackedSpendChart(el, { x, series }));
      },
    );
  };
  loadSpend();

  // Forecast
  fill(
    forecast,
    ctx,
    () => Promise.all([forecastP, historyP]),
    ([fc, hist]) => {
      const org = fc?.organisation;
      const months = org?.months ?? [];
      if (!months.length) return empty(org?.backtest?.reason ?? 'No forecast yet: it needs a few weeks of usage.');
      const byMonth = new Map();
      for (const r of hist?.rows ?? []) {
        const ym = String(r.period ?? '').slice(0, 7);
        byMonth.set(ym, (byMonth.get(ym) ?? 0) + (f.num(r.costUsd) || 0));
      }
      const past = [...byMonth.keys()].filter((ym) => ym < months[0].month).sort();
      const keys = [...past, ...months.map((m) => m.month)];
      const x = keys.map((ym) => f.monthStart(ym).getTime() / 1000);
      const actual = keys.map((ym, i) => (i < past.length ? byMonth.get(ym) : i === past.length ? f.num(months[0].actualToDateUsd) || null : null));
      const pick = (k) => keys.map((_, i) => (i < past.length ? null : f.num(months[i - past.length][k])));
      const el = h('div', { class: 'chart', id: 'forecast-chart', role: 'img', 'aria-label': 'Monthly spend and forecast' });
      const mape = f.num(org.backtest?.mape);
      forecast.el.querySelector('.card-head > div').append(
        h('div', { class: 'hint' }, `${org.method ?? 'trend'}${Number.isFinite(mape) ? ` · backtest error ${f.pct(mape * 100)}` : ''}`),
      );
      const table = h(
        'table',
        { class: 'data', id: 'forecast-table' },
        h('thead', null, h('tr', null, h('th', null, 'Month'), h('th', { class: 'num' }, 'Expected'), h('th', { class: 'num' }, 'P10 – P90'))),
        h('tbody', null, months.map((m) => h('tr', null, h('td', null, f.monthLabel(m.month)), h('td', { class: 'num' }, f.usd(m.expectedUsd)), h('td', { class: 'num' }, `${f.usd(m.p10Usd)} – ${f.usd(m.p90Usd)}`)))),
      );
      forecast.set(el, h('details', null, h('summary', null, 'Forecast table'), h('div', { class: 'table-wrap' }, table)));
      chartInto(ctx, el, () => forecastChart(el, { x, actual, expected: pick('expectedUsd'), p10: pick('p10Usd'), p90: pick('p90Usd') }));
    },
  );

  // Budgets and alerts
  fill(
    budgets,
    ctx,
    () => Promise.all([budgetsP, alertsP, forecastP.catch(() => null)]),
    ([b, a, fc]) => {
      const list = b?.data ?? [];
      const alerts = a?.data ?? [];
      if (!list.length) return empty('No budgets yet. Finance can create one (POST /v1/budgets) to get alerts at 50/80/100%.');
      const expected = f.num(fc?.organisation?.months?.[0]?.expectedUsd);
      const nodes = list.map((x) => budgetRow(x, isOrgWide(x.scope) ? expected : NaN));
      if (alerts.length) {
        nodes.push(
          h('h3', { class: 'small', style: 'margin-top:12px' }, 'Recent alerts'),
          h(
            'ul',
            { class: 'alerts', id: 'alerts' },
            alerts.slice(0, 6).map((al) => h('li', null, `${al.budgetName ?? 'Budget'} crossed ${f.pct(al.threshold, 0)} in ${f.monthLabel(al.month)} (${f.usd(al.spendUsd)})`)),
          ),
        );
      }
      return h('div', { id: 'budget-list' }, nodes);
    },
  );

  // Roadmap
  fill(roadmap, ctx, () => planP, (p) => roadmapView(p, roadmap)).then(() => {
    if (scrollTo === 'roadmap' && !signal.aborted) roadmap.el.scrollIntoView({ block: 'start' });
  });
}

function isOrgWide(scope) {
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

/** "2× H100-80GB · fp8 · 2 replicas" for self-hosting, "deepinfra · managed open model" otherwise. */
function candidateDetail(c) {
  if (!c) return '';
  const d = c.deployment;
  if (d) return `${d.gpuCount ?? '?'}× ${d.gpu ?? 'GPU'}${d.precision ? ` · ${d.precision}` : ''}${d.replicas ? ` · ${d.replicas} replica${d.replicas === 1 ? '' : 's'}` : ''}`;
  return [c.provider, c.kind ? f.recommendationLabel(c.kind).toLowerCase() : null].filter(Boolean).join(' · ');
}

function candidateCell(w) {
  const c = w.candidate;
  if (!c) {
    const pe = w.pendingEvaluation;
    if (pe?.modelId) return [h('span', { class: 'muted' }, '—'), h('span', { class: 'sub' }, h('span', { class: 'chip pending' }, `evaluate ${pe.modelId}`))];
    return h('span', { class: 'muted' }, '—');
  }
  const sub = candidateDetail(c);
  return [h('span', { class: 'mono' }, c.modelId ?? '—'), sub ? h('span', { class: 'sub' }, sub) : null];
}

const RANK = { self_host: 0, managed_open: 1, cheaper_closed: 2, pilot_self_host: 3, stay_closed: 4 };

function roadmapView(p, roadmap) {
  const plan = p?.plan;
  const ws = plan?.workloads ?? [];
  if (!ws.length) return empty('No workloads yet: the roadmap appears once usage events name their workload.');
  if (p.asOf) roadmap.el.querySelector('.card-head .hint').textContent = `Recommendation per workload, with savings and break-even · plan as of ${f.dateTime(p.asOf)}`;
  const phases = (plan.phases ?? []).map((ph) =>
    h(
      'div',
      { class: 'phase', dataset: { phase: ph.id ?? '' } },
      h('div', { class: 'title' }, ph.title ?? ph.id),
      h('div', { class: 'value' }, ph.id === 'stay-closed' ? `${(ph.workloads ?? []).length} workload${(ph.workloads ?? []).length === 1 ? '' : 's'}` : `${f.usd(ph.monthlySavingsUsd)}/mo`),
      h('div', { class: 'small muted' }, ph.id === 'stay-closed' ? 'no change recommended now' : `${(ph.workloads ?? []).length} workload${(ph.workloads ?? []).length === 1 ? '' : 's'}${f.num(ph.oneOffMigrationCostUsd) > 0 ? ` · one-off ${f.usd(ph.oneOffMigrationCostUsd)}` : ''}`),
    ),
  );
  const sorted = [...ws].sort(
    (a, b) =>
      (RANK[a.recommendation] ?? 5) - (RANK[b.recommendation] ?? 5) ||
      (f.num(b.monthlySavingsUsd) || 0) - (f.num(a.monthlySavingsUsd) || 0) ||
      (f.num(b.currentMonthlyCostUsd) || 0) - (f.num(a.currentMonthlyCostUsd) || 0),
  );
  const sum = (k) => ws.reduce((a, w) => a + (f.num(w[k]) || 0), 0);
  const rows = sorted.map((w) => {
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
  });
  const before = plan.portfolio?.before;
  const after = plan.portfolio?.after;
  const portfolio =
    before && after
      ? h('p', { class: 'chart-note' }, `Portfolio: ${f.usd(before.totalMonthlySpendUsd)}/month today (${f.pct(before.openSharePct, 0)} open) → ${f.usd(after.totalMonthlySpendUsd)}/month after the plan (${f.pct(after.openSharePct, 0)} open).`)
      : null;
  return [
    phases.length ? h('div', { class: 'phases' }, phases) : null,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data', id: 'roadmap-table' },
        h(
          'thead',
          null,
          h('tr', null, h('th', null, 'Workload'), h('th', null, 'Recommendation'), h('th', null, 'Candidate'), h('th', { class: 'num' }, 'Now / month'), h('th', { class: 'num' }, 'Projected / month'), h('th', { class: 'num' }, 'Savings / month'), h('th', { class: 'num' }, 'Break-even'), h('th', null, 'Confidence')),
        ),
        h('tbody', null, rows),
        h('tfoot', null, h('tr', null, h('td', null, `${ws.length} workloads`), h('td'), h('td'), h('td', { class: 'num' }, f.usd(sum('currentMonthlyCostUsd'))), h('td', { class: 'num' }, f.usd(sum('projectedMonthlyCostUsd'))), h('td', { class: 'num down' }, f.usd(sum('monthlySavingsUsd'))), h('td'), h('td'))),
      ),
    ),
    portfolio,
  ];
}

// ---------------------------------------------------------------- workload

function renderWorkload(slug) {
  const ctx = newView();
  const { signal } = ctx.abort;
  const enc = encodeURIComponent(slug);
  document.title = `${slug} · Crossover`;

  const title = h('h1', { id: 'workload-title' }, slug);
  const desc = h('p', { class: 'sub' });
  const chips = h('div', { class: 'chips' });
  const rec = card('Recommendation', { id: 'recommendation' });
  const usage = card('Usage and current cost', { id: 'usage', hint: 'Last 28 days, scaled to a month' });
  const cross = card('Crossover: API vs self-host cost by monthly volume', { id: 'crossover' });
  const options = card('Self-host options', { id: 'options', hint: 'Total cost of ownership per month at today’s volume: GPUs, people and overhead' });
  const alternatives = card('Managed open models and cheaper closed models', { id: 'alternatives' });
  const sensitivity = card('Sensitivity', { id: 'sensitivity', hint: 'How the best self-host option compares when volume or GPU prices change' });

  view.replaceChildren(
    h('nav', { class: 'crumbs' }, h('a', { href: '#/roadmap' }, '← Roadmap')),
    h('div', { class: 'page-head' }, h('div', null, title, desc, chips)),
    h('div', { class: 'grid two' }, rec.el, usage.el),
    cross.el,
    options.el,
    alternatives.el,
    sensitivity.el,
  );

  api(`/v1/workloads/${enc}`, { signal }).then(
    (w) => {
      if (w?.name) title.textContent = `${w.name} (${slug})`;
      desc.textContent = w?.description ?? '';
      const a = w?.annotations ?? {};
      const items = [
        a.taskCategory && `task: ${a.taskCategory}`,
        a.qualityRequirement && `quality: ${a.qualityRequirement}`,
        a.dataSensitivity && `data: ${a.dataSensitivity}`,
        Array.isArray(a.residency) && a.residency.length && `residency: ${a.residency.join(', ')}`,
        a.latencyTargetP95Ms && `p95 target: ${f.int(a.latencyTargetP95Ms)} ms`,
        a.needsCustomisation && 'needs customisation',
        a.ownerTeam && `owner: ${a.ownerTeam}`,
      ].filter(Boolean);
      chips.replaceChildren(...(items.length ? items.map((t) => h('span', { class: 'chip' }, t)) : [h('span', { class: 'chip pending' }, 'not annotated: the planner assumes defaults')]));
    },
    () => {},
  );

  fill(rec, ctx, () => api(`/v1/workloads/${enc}/plan`, { signal }), (p) => recommendationView(p));

  const econP = api(`/v1/workloads/${enc}/economics?window=28d`, { signal });
  econP.catch(() => {});
  const noUsage = (err) => err instanceof ApiError && err.status === 404;
  const econFill = (target, render) =>
    fill(
      target,
      ctx,
      () => econP.catch((err) => (noUsage(err) ? null : Promise.reject(err))),
      (e) => (e ? render(e) : empty('No usage for this workload in the last 28 days: no economics yet.')),
    );

  econFill(usage, usageView);
  econFill(options, (e) => optionsView(e, options));
  econFill(alternatives, alternativesView);
  econFill(sensitivity, sensitivityView);
  econFill(cross, (e) => crossoverView(e, cross, ctx));
}

function recommendationView(p) {
  const reasons = p.reasons ?? [];
  const facts = h(
    'dl',
    { class: 'facts' },
    fact('Candidate', p.candidate?.modelId ?? '—'),
    fact('Now / month', f.usd(p.currentMonthlyCostUsd)),
    fact('Projected / month', f.usd(p.projectedMonthlyCostUsd)),
    fact('Savings / month', f.usd(p.monthlySavingsUsd)),
    fact('Break-even', p.breakEvenMonths === null || p.breakEvenMonths === undefined ? '—' : f.breakEven(p.breakEvenMonths)),
    fact('One-off migration', f.usd(p.oneOffMigrationCostUsd)),
    fact('Confidence', p.confidence ?? '—'),
  );
  const gate = (status) => h('span', { class: `gate ${status === 'pass' ? 'pass' : status === 'fail' ? 'fail' : 'na'}` }, status === 'pass' ? '✓ pass' : status === 'fail' ? '✗ fail' : String(status ?? 'n/a'));
  return [
    h('div', { style: 'margin-bottom:12px' }, badge(p.recommendation), p.candidate ? h('span', { class: 'muted small' }, `  ${p.candidate.modelId ?? ''}${candidateDetail(p.candidate) ? ` · ${candidateDetail(p.candidate)}` : ''}`) : null),
    facts,
    (p.nextSteps ?? []).length ? [h('h3', { style: 'margin-top:14px' }, 'Next steps'), h('ul', { class: 'plain' }, p.nextSteps.map((s) => h('li', null, s)))] : null,
    (p.risks ?? []).length ? [h('h3', { style: 'margin-top:14px' }, 'Risks'), h('ul', { class: 'plain' }, p.risks.map((s) => h('li', null, s)))] : null,
    reasons.length
      ? h(
          'details',
          null,
          h('summary', null, `Planner gates (${reasons.filter((r) => r.status === 'pass').length} pass, ${reasons.filter((r) => r.status === 'fail').length} fail)`),
          h('div', { class: 'table-wrap' }, h('table', { class: 'data' }, h('tbody', null, reasons.map((r) => h('tr', null, h('td', null, r.gate), h('td', null, gate(r.status)), h('td', { class: 'small' }, r.detail ?? '')))))),
        )
      : null,
  ];
}

function fact(label, value) {
  return h('div', null, h('dt', null, label), h('dd', null, value));
}

function usageView(e) {
  const m = e.usage?.monthly ?? {};
  const models = e.usage?.models ?? [];
  return [
    h(
      'dl',
      { class: 'facts' },
      fact('Spend / month', f.usd(e.usage?.monthlySpendUsd)),
      fact('Input tokens / month', f.tokens(m.inputTokens)),
      fact('Output tokens / month', f.tokens(m.outputTokens)),
      fact('Requests / month', f.int(m.requests)),
      fact('Current model', e.current?.modelId ?? '—'),
      fact('Current cost / month', `${f.usd(e.current?.monthlyCostUsd)}${e.current?.basis ? ` (${String(e.current.basis).replace(/-/g, ' ')})` : ''}`),
    ),
    models.length
      ? h(
          'div',
          { class: 'table-wrap', style: 'margin-top:12px' },
          h(
            'table',
            { class: 'data' },
            h('thead', null, h('tr', null, h('th', null, 'Model'), h('th', null, 'Provider'), h('th', { class: 'num' }, 'Cost (28 days)'), h('th', { class: 'num' }, 'Share'))),
            h('tbody', null, models.map((x) => h('tr', null, h('td', { class: 'mono' }, x.modelId ?? '—'), h('td', null, x.provider ?? '—'), h('td', { class: 'num' }, f.usd(x.costUsd)), h('td', { class: 'num' }, f.pct((f.num(x.share) || 0) * 100))))),
          ),
        )
      : null,
  ];
}

/** The option the API's own crossover refers to, else the cheapest by TCO. */
function bestOption(e) {
  const opts = [...(e.options ?? [])].sort((a, b) => (f.num(a.tcoUsd) || Infinity) - (f.num(b.tcoUsd) || Infinity));
  const id = e.crossover?.option?.optionId;
  return opts.find((o) => o.id === id) ?? opts[0] ?? null;
}

function optionsView(e, target) {
  const all = [...(e.options ?? [])].sort((a, b) => (f.num(a.tcoUsd) || Infinity) - (f.num(b.tcoUsd) || Infinity));
  if (!all.length) {
    const why = (e.infeasible ?? []).slice(0, 3).map((x) => `${x.modelId} on ${x.gpuId}: ${x.reason}`);
    return empty(`No feasible self-host option for this workload.${why.length ? ` ${why.join('; ')}.` : ''}`);
  }
  const best = bestOption(e);
  let showAll = false;
  const tbody = h('tbody');
  const toggle = h('button', { type: 'button', class: 'link', style: 'color:var(--accent);margin-top:8px' });
  const draw = () => {
    const shown = showAll ? all : all.slice(0, 10);
    tbody.replaceChildren(
      ...shown.map((o) => {
        const save = f.num(o.vsCurrent?.monthlySavingsUsd);
        return h(
          'tr',
          { class: o === best ? 'best' : '', dataset: { option: o.id ?? '' } },
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
      }),
    );
    toggle.textContent = showAll ? 'Show the 10 cheapest' : `Show all ${all.length} options`;
  };
  toggle.addEventListener('click', () => {
    showAll = !showAll;
    draw();
  });
  draw();
  target.el.querySelector('.card-head .hint').textContent = `Total cost of ownership per month at today’s volume (GPUs, people, overhead) vs ${f.usd(e.current?.monthlyCostUsd)} today on ${e.current?.modelId ?? 'the API'}`;
  return [
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data', id: 'options-table' },
        h(
          'thead',
          null,
          h('tr', null, ['Model', 'GPU', 'Precision'].map((t) => h('th', null, t)), ['GPUs', 'Utilisation', 'GPU cost', 'People', 'Overhead', 'TCO / month', '$ / 1M tokens', 'vs today'].map((t) => h('th', { class: 'num' }, t))),
        ),
        tbody,
      ),
    ),
    all.length > 10 ? toggle : null,
    (e.infeasible ?? []).length ? h('p', { class: 'chart-note' }, `${e.infeasible.length} configuration${e.infeasible.length === 1 ? '' : 's'} left out as infeasible (e.g. ${e.infeasible[0].modelId} on ${e.infeasible[0].gpuId}: ${e.infeasible[0].reason}).`) : null,
  ];
}

function alternativesView(e) {
  const table = (id, title, rows) =>
    h(
      'div',
      null,
      h('h3', null, title),
      rows.length
        ? h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'data', id },
              h('thead', null, h('tr', null, h('th', null, 'Provider'), h('th', null, 'Model'), h('th', { class: 'num' }, 'Per month'), h('th', { class: 'num' }, 'Saves / month'), h('th', { class: 'num' }, 'Break-even'))),
              h(
                'tbody',
                null,
                rows.slice(0, 8).map((r) =>
                  h(
                    'tr',
                    null,
                    h('td', null, r.provider ?? '—'),
                    h('td', { class: 'mono' }, r.model ?? r.modelId ?? '—'),
                    h('td', { class: 'num' }, f.usd(r.monthlyCostUsd)),
                    h('td', { class: 'num' }, f.usd(r.vsCurrent?.monthlySavingsUsd)),
                    h('td', { class: 'num' }, r.vsCurrent?.breakEvenMonths == null ? h('span', { class: 'muted' }, '—') : f.breakEven(r.vsCurrent.breakEvenMonths)),
                  ),
                ),
              ),
            ),
          )
        : empty('None priced for this workload.'),
    );
  return h('div', { class: 'grid halves' }, table('managed-open-table', 'Managed open models (pay per token)', e.managedOpen ?? []), table('cheaper-closed-table', 'Cheaper closed models', e.cheaperClosed ?? []));
}

function sensitivityView(e) {
  const rows = e.sensitivity ?? [];
  if (!rows.length) return empty('No sensitivity analysis for this workload.');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data' },
      h('thead', null, h('tr', null, h('th', null, 'Scenario'), h('th', { class: 'num' }, 'API / month'), h('th', { class: 'num' }, 'Self-host / month'), h('th', { class: 'num' }, 'Savings / month'), h('th', null, 'Break-even'))),
      h(
        'tbody',
        null,
        rows.map((s) =>
          h(
            'tr',
            null,
            h('td', null, s.scenario ?? '—'),
            h('td', { class: 'num' }, f.usd(s.currentMonthlyUsd)),
            h('td', { class: 'num' }, f.usd(s.selfHostTcoUsd)),
            h('td', { class: `num ${f.num(s.monthlySavingsUsd) > 0 ? 'down' : 'up'}` }, f.usd(s.monthlySavingsUsd)),
            h('td', { class: 'small' }, s.breakEvenMonths == null ? (s.breakEvenReason ?? '—') : f.breakEven(s.breakEvenMonths)),
          ),
        ),
      ),
    ),
  );
}

/** 1.4×, 12×, 0.3× */
function ratio(x) {
  return `${x >= 10 ? Math.round(x) : x >= 1 ? x.toFixed(1).replace(/\.0$/, '') : x.toFixed(2).replace(/0$/, '')}×`;
}

const VOLUME_FACTORS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];

/**
 * API cost vs self-host cost from 0.1× to 100× today's monthly volume, each
 * point priced by POST /v1/economics/estimate with this workload's shape
 * (input/output/cached mix, tokens per request, peak-to-average, effective
 * price today), so the 1× point matches the economics above.
 */
async function crossoverView(e, target, ctx) {
  const best = bestOption(e);
  const m = e.usage?.monthly ?? {};
  const input = f.num(m.inputTokens) || 0;
  const output = f.num(m.outputTokens) || 0;
  const volume = input + output;
  if (!best) return empty('No feasible self-host option: nothing to compare the API with.');
  if (!(volume > 0)) return empty('No token volume in the last 28 days.');
  const currentCost = f.num(e.current?.monthlyCostUsd);
  const cached = f.num(m.cachedInputTokens) || 0;
  const requests = f.num(m.requests) || 0;
  const avgTps = f.num(e.load?.averageTokPerSec);
  const peakTps = f.num(e.load?.peakTokPerSec);
  const peakToAverage = avgTps > 0 && peakTps > 0 ? Math.min(100, Math.max(1, peakTps / avgTps)) : undefined;
  const body = (k) => ({
    openModel: best.modelId,
    gpu: best.gpuId,
    ...(e.current?.modelId ? { currentModel: e.current.modelId } : {}),
    monthlyInputTokens: Math.round(input * k),
    monthlyOutputTokens: Math.round(output * k),
    ...(cached > 0 ? { monthlyCachedInputTokens: Math.min(Math.round(cached * k), Math.round(input * k)) } : {}),
    ...(requests > 0 ? { avgInputTokensPerRequest: Math.max(1, input / requests), avgOutputTokensPerRequest: output / requests } : {}),
    ...(peakToAverage ? { peakToAverage } : {}),
    ...(currentCost > 0 ? { currentMonthlySpendUsd: (currentCost * k).toFixed(6) } : {}),
  });
  // The API's crossover volume is priced too, so the lines meet where the marker is (self-host cost is a step function).
  const known = f.num(e.crossover?.monthlyTokens) / volume;
  const factors = [...VOLUME_FACTORS, ...(known > VOLUME_FACTORS[0] && known < VOLUME_FACTORS[VOLUME_FACTORS.length - 1] && !VOLUME_FACTORS.includes(known) ? [known] : [])].sort((a, b) => a - b);
  const results = await Promise.allSettled(factors.map((k) => api('/v1/economics/estimate', { method: 'POST', body: body(k), signal: ctx.abort.signal })));
  if (ctx.abort.signal.aborted) return undefined;
  const points = [];
  results.forEach((r, i) => {
    if (r.status !== 'fulfilled') return;
    const apiCost = f.num(r.value?.current?.monthlyCostUsd);
    const opts = r.value?.options ?? [];
    const self = opts.length ? Math.min(...opts.map((o) => f.num(o.tcoUsd)).filter(Number.isFinite)) : NaN;
    points.push({ v: volume * factors[i], api: apiCost > 0 ? apiCost : null, self: self > 0 ? self : null });
  });
  if (points.filter((p) => p.api !== null || p.self !== null).length < 2) {
    const failed = results.find((r) => r.status === 'rejected');
    return h('p', { class: 'error', role: 'alert' }, `Could not price the volume range${failed ? `: ${failed.reason?.message ?? failed.reason}` : ''}.`);
  }
  // The crossover: the API's own figure when it has one, else where the priced curves meet.
  let cross = f.num(e.crossover?.monthlyTokens);
  let crossCost = f.num(e.crossover?.apiCostUsd);
  if (!(cross > 0)) {
    cross = NaN;
    for (let i = 1; i < points.length; i++) {
      const [a, b] = [points[i - 1], points[i]];
      if (a.api === null || a.self === null || b.api === null || b.self === null) continue;
      const da = Math.log(a.api) - Math.log(a.self);
      const db = Math.log(b.api) - Math.log(b.self);
      if (da < 0 && db >= 0) {
        const t = da / (da - db);
        cross = Math.exp(Math.log(a.v) + t * (Math.log(b.v) - Math.log(a.v)));
        crossCost = Math.exp(Math.log(a.api) + t * (Math.log(b.api) - Math.log(a.api)));
        break;
      }
    }
  }
  const markers = [{ x: volume, label: `today ${f.tokens(volume)}`, color: '#475569' }];
  if (cross > 0) markers.push({ x: cross, y: crossCost > 0 ? crossCost : undefined, label: `crossover ${f.tokens(cross)}`, color: '#b45309' });
  const el = h('div', { class: 'chart', id: 'crossover-chart', role: 'img', 'aria-label': 'API cost and self-host cost against monthly token volume' });
  const where = `${best.modelId} on ${best.gpuCount && best.gpuId ? best.gpuId : 'GPUs'}`;
  const text =
    cross > 0
      ? `Self-hosting ${best.modelId} becomes cheaper than the API above ≈ ${f.tokens(cross)} tokens/month (${ratio(cross / volume)} today’s ${f.tokens(volume)}), where both cost about ${f.usd(crossCost)}/month.`
      : `No crossover up to 100× today’s volume${e.crossover?.reason ? `: ${e.crossover.reason}` : ''}.`;
  target.set(
    el,
    h('p', { class: 'chart-note', id: 'crossover-note' }, text, ' ', h('span', { class: 'muted' }, `API line: ${e.current?.modelId ?? 'current model'} at today’s effective price per token. Self-host line: cheapest ${where} configuration at each volume (TCO incl. people and overhead).`)),
  );
  chartInto(ctx, el, () =>
    crossoverChart(el, {
      volumes: points.map((p) => p.v),
      apiCost: points.map((p) => p.api),
      selfHostCost: points.map((p) => p.self),
      apiLabel: `API (${e.current?.modelId ?? 'current'})`,
      selfHostLabel: `Self-host (${where})`,
      markers,
    }),
  );
  return undefined;
}

// ---------------------------------------------------------------- start

function start() {
  if (!globalThis.uPlot) {
    // The chart bundle is a deferred classic script: it runs before this module, but be safe.
    window.addEventListener('load', route, { once: true });
    return;
  }
  route();
}
start();

import { errorText, routeMissing, type ApiClient, type GetBody } from './api-client.js';
import { DAY_MS } from '../domain/time.js';
import { fmtInt, fmtUsd, table } from './progress.js';

/** Month-to-date spend and the top workloads (GET /v1/reports/summary). */
async function printSpend(api: ApiClient): Promise<void> {
  const s = await api.GET('/v1/reports/summary');
  if (!s.data) {
    console.log(`\n! GET /v1/reports/summary: ${errorText(s)}`);
    return;
  }
  const b = s.data;
  const change = typeof b.changePercent === 'number' ? ` (${b.changePercent >= 0 ? '+' : ''}${b.changePercent}% vs the same days last month)` : '';
  console.log(`\nSpend, ${b.month} to date: ${fmtUsd(b.monthToDate.costUsd, 2)}${change}`);
  const top = b.topWorkloads.slice(0, 5);
  if (top.length) console.log(table(top.map((w) => [w.workload, fmtUsd(w.costUsd, 2), `${w.sharePercent}%`]), ['top workloads', 'cost', 'share']));
  if (b.unpriced.requests) console.log(`    unpriced: ${fmtInt(b.unpriced.requests)} requests (${fmtInt(b.unpriced.tokens)} tokens) without a price, never counted as $0`);
}

/** The next three months with their p10-p90 band; a 404 (no forecast yet) prints nothing. */
async function printForecast(api: ApiClient): Promise<void> {
  const f = await api.GET('/v1/forecast', { params: { query: { horizonMonths: 3 } } });
  if (!f.data) {
    if (f.response.status !== 404) console.log(`\n! GET /v1/forecast: ${errorText(f)}`);
    return;
  }
  const org = f.data.organisation;
  const months = org.months;
  if (!months.length) {
    console.log(`\nForecast: ${JSON.stringify(f.data).slice(0, 300)}`);
    return;
  }
  console.log('\nForecast (GET /v1/forecast?horizonMonths=3):');
  console.log(table(months.map((m) => [m.month, fmtUsd(m.expectedUsd), `${fmtUsd(m.p10Usd)} - ${fmtUsd(m.p90Usd)}`]), ['month', 'expected', 'p10 - p90']));
  const growth = org.monthlyGrowthRate;
  const mape = org.backtest.mape;
  const notes = [`method ${org.method}`, `growth ${(growth * 100).toFixed(1)}%/month`, typeof mape === 'number' ? `backtest MAPE ${(mape * (mape <= 1 ? 100 : 1)).toFixed(1)}%` : ''].filter(Boolean);
  if (notes.length) console.log(`    ${notes.join(', ')}`);
}

type PlanRow = GetBody<'/v1/plan'>['plan']['workloads'][number];

/** The larger of what the workload saves now and what it would save if its pending evaluation passes (USD/month). */
const savingOf = (w: PlanRow) => Math.max(Number(w.monthlySavingsUsd) || 0, Number(w.pendingEvaluation?.monthlySavingsUsd ?? 0) || 0);

function planRow(w: PlanRow): string[] {
  const pending = w.pendingEvaluation && !w.candidate ? w.pendingEvaluation : null;
  const savesNow = Number(w.monthlySavingsUsd) > 0 || !pending;
  return [
    w.workload,
    w.recommendation + (pending ? ' (evaluate)' : ''),
    w.candidate?.modelId ?? pending?.modelId ?? '',
    fmtUsd(w.currentMonthlyCostUsd),
    savesNow ? fmtUsd(w.monthlySavingsUsd) : `${fmtUsd(pending.monthlySavingsUsd)} if it passes`,
    typeof w.breakEvenMonths === 'number' ? w.breakEvenMonths.toFixed(1) : '—',
  ];
}

/** The migration roadmap: one row per workload, biggest saving first, then the phases and the net saving. */
async function printPlan(api: ApiClient): Promise<void> {
  const p = await api.GET('/v1/plan');
  if (!p.data) {
    if (p.response.status !== 404) console.log(`\n! GET /v1/plan: ${errorText(p)}`);
    return;
  }
  const root = p.data.plan;
  const rows = root.workloads;
  if (!rows.length) {
    console.log(`\nPlan: ${JSON.stringify(root).slice(0, 300)}`);
    return;
  }
  console.log('\nPlan (GET /v1/plan):');
  const sorted = [...rows].sort((a, b) => savingOf(b) - savingOf(a) || Number(b.currentMonthlyCostUsd ?? 0) - Number(a.currentMonthlyCostUsd ?? 0));
  console.log(table(sorted.map(planRow), ['workload', 'recommendation', 'candidate', 'now/month', 'saves/month', 'break-even (months)']));
  for (const ph of root.phases) if (Number(ph.monthlySavingsUsd) > 0) console.log(`    ${ph.title}: saves ${fmtUsd(ph.monthlySavingsUsd)}/month`);
  const net = root.cumulativeSavings.totalNetSavingsUsd;
  console.log(`    net savings over the plan's horizon: ${fmtUsd(net)}`);
}

/** The month's top customers and the share the top 10 hold (GET /v1/reports/customers). */
async function printCustomers(api: ApiClient, now = new Date()): Promise<void> {
  // In a month's first week, the month before says more than a few days of this one.
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (now.getUTCDate() <= 7 ? 1 : 0), 1)).toISOString().slice(0, 7);
  const r = await api.GET('/v1/reports/customers', { params: { query: { month, limit: 5 } } });
  if (!r.data) {
    console.log(`\n! GET /v1/reports/customers: ${routeMissing(r) ? 'not in this build yet (skipped)' : errorText(r)}`);
    return;
  }
  const rows = r.data.rows.slice(0, 5);
  const t = r.data.totals;
  if (!rows.length) {
    console.log(`\nCustomers, ${month}: no usage names a customer yet`);
    return;
  }
  const share = typeof t.top10SharePercent === 'number' ? `, the top 10 make ${t.top10SharePercent}% of it` : '';
  const attributed = typeof t.attributedSharePercent === 'number' ? ` (${t.attributedSharePercent}% of all spend names a customer)` : '';
  console.log(`\nCustomers, ${r.data.month}: ${fmtInt(t.customers)} customers cost ${fmtUsd(t.costUsd, 2)}${attributed}${share}`);
  const change = (v: number | null) => (typeof v === 'number' ? `${v >= 0 ? '+' : ''}${v}%` : 'new');
  console.log(table(rows.map((c) => [c.customer, fmtUsd(c.costUsd, 2), fmtInt(c.requests), fmtUsd(c.costPer1kRequestsUsd, 2), change(c.changePercent), `${c.sharePercent ?? '—'}%`]), ['top customers', 'cost', 'requests', 'per 1k req', 'vs last month', 'share']));
}

/** Spend anomalies of the last 30 days (GET /v1/anomalies): the injected spike should be there. */
async function printAnomalies(api: ApiClient, now = new Date()): Promise<void> {
  const from = new Date(now.getTime() - 30 * DAY_MS).toISOString().slice(0, 10);
  const r = await api.GET('/v1/anomalies', { params: { query: { from, to: new Date(now.getTime() + DAY_MS).toISOString().slice(0, 10) } } });
  if (!r.data) {
    console.log(`\n! GET /v1/anomalies: ${routeMissing(r) ? 'not in this build yet (skipped)' : errorText(r)}`);
    return;
  }
  const rows = r.data.data;
  if (!rows.length) {
    console.log('\nAnomalies (last 30 days): none');
    return;
  }
  console.log('\nAnomalies (GET /v1/anomalies, last 30 days):');
  for (const a of rows.slice(0, 6)) console.log(`    ${anomalyLine(a)}`);
}

/** "2026-11-25  workload support-chat: $412.30 vs $55.10 expected ($40.00 - $71.20), 7.5x; top: customer acme-corp $350.00, model gpt-4o-mini $300.00" */
export function anomalyLine(a: GetBody<'/v1/anomalies'>['data'][number]): string {
  const observed = Number(a.observedUsd);
  const expected = Number(a.expectedUsd);
  const times = expected > 0 && Number.isFinite(observed) ? `, ${(observed / expected).toFixed(1)}x` : '';
  // topContributors: { models, customers, workloads }, each [{ model|customer|workload, costUsd, expectedUsd }].
  const contributors = (['customers', 'models'] as const)
    .flatMap((kind) => (Array.isArray(a.topContributors?.[kind]) ? a.topContributors[kind].slice(0, 1) : []).map((c: Record<string, any>) => `${kind.slice(0, -1)} ${c.customer ?? c.model} ${fmtUsd(c.costUsd, 2)}`))
    .filter((x) => !x.includes('undefined'));
  const day = String(a.day ?? '').slice(0, 10);
  return `${day}  ${a.scope?.kind ?? '?'} ${a.scope?.value ?? '?'}: ${fmtUsd(a.observedUsd, 2)} vs ${fmtUsd(a.expectedUsd, 2)} expected (${fmtUsd(a.lowerUsd, 2)} - ${fmtUsd(a.upperUsd, 2)})${times}${a.partialDay ? ', day not over' : ''}${contributors.length ? `; top: ${contributors.join(', ')}` : ''}`;
}

/** Spend, customers, anomalies, forecast and roadmap, read back through the API like the dashboard does. */
export async function printSummary(api: ApiClient): Promise<void> {
  await printSpend(api);
  await printCustomers(api);
  await printAnomalies(api);
  await printForecast(api);
  await printPlan(api);
}

import { errorText, type ApiClient } from './api-client.js';
import { fmtInt, fmtUsd, table } from './progress.js';

/** Month-to-date spend and the top workloads (GET /v1/reports/summary). */
async function printSpend(api: ApiClient): Promise<void> {
  const s = await api.call('GET', '/v1/reports/summary');
  if (s.status !== 200) {
    console.log(`\n! GET /v1/reports/summary: ${errorText(s)}`);
    return;
  }
  const b = s.body;
  const change = typeof b.changePercent === 'number' ? ` (${b.changePercent >= 0 ? '+' : ''}${b.changePercent}% vs the same days last month)` : '';
  console.log(`\nSpend, ${b.month} to date: ${fmtUsd(b.monthToDate?.costUsd, 2)}${change}`);
  const top = (b.topWorkloads ?? []).slice(0, 5) as { workload: string; costUsd: string; sharePercent?: number }[];
  if (top.length) console.log(table(top.map((w) => [w.workload, fmtUsd(w.costUsd, 2), w.sharePercent !== undefined ? `${w.sharePercent}%` : '']), ['top workloads', 'cost', 'share']));
  if (b.unpriced?.requests) console.log(`    unpriced: ${fmtInt(b.unpriced.requests)} requests (${fmtInt(b.unpriced.tokens ?? 0)} tokens) without a price, never counted as $0`);
}

/** The next three months with their p10-p90 band; a 404 (no forecast yet) prints nothing. */
async function printForecast(api: ApiClient): Promise<void> {
  const f = await api.call('GET', '/v1/forecast?horizonMonths=3');
  if (f.status !== 200) {
    if (f.status !== 404) console.log(`\n! GET /v1/forecast: ${errorText(f)}`);
    return;
  }
  const org = f.body?.organisation ?? f.body;
  const months = (Array.isArray(org?.months) ? org.months : []) as { month?: string; expectedUsd?: unknown; p10Usd?: unknown; p90Usd?: unknown }[];
  if (!months.length) {
    console.log(`\nForecast: ${JSON.stringify(f.body).slice(0, 300)}`);
    return;
  }
  console.log('\nForecast (GET /v1/forecast?horizonMonths=3):');
  console.log(table(months.map((m) => [String(m.month ?? '?'), fmtUsd(m.expectedUsd), `${fmtUsd(m.p10Usd)} - ${fmtUsd(m.p90Usd)}`]), ['month', 'expected', 'p10 - p90']));
  const growth = Number(org?.monthlyGrowthRate);
  const mape = org?.backtest?.mape;
  const notes = [org?.method ? `method ${org.method}` : '', Number.isFinite(growth) ? `growth ${(growth * 100).toFixed(1)}%/month` : '', typeof mape === 'number' ? `backtest MAPE ${(mape * (mape <= 1 ? 100 : 1)).toFixed(1)}%` : ''].filter(Boolean);
  if (notes.length) console.log(`    ${notes.join(', ')}`);
}

type PlanRow = Record<string, any>;

/** The larger of what the workload saves now and what it would save if its pending evaluation passes (USD/month). */
const savingOf = (w: PlanRow) => Math.max(Number(w.monthlySavingsUsd ?? 0) || 0, Number(w.pendingEvaluation?.monthlySavingsUsd ?? 0) || 0);

function planRow(w: PlanRow): string[] {
  const pending = w.pendingEvaluation && !w.candidate ? w.pendingEvaluation : null;
  const savesNow = Number(w.monthlySavingsUsd ?? 0) > 0 || !pending;
  return [
    String(w.workload ?? w.slug ?? '?'),
    String(w.recommendation ?? '—') + (pending ? ' (evaluate)' : ''),
    String(w.candidate?.modelId ?? pending?.modelId ?? ''),
    w.currentMonthlyCostUsd !== undefined ? fmtUsd(w.currentMonthlyCostUsd) : '—',
    savesNow ? (w.monthlySavingsUsd !== undefined ? fmtUsd(w.monthlySavingsUsd) : '—') : `${fmtUsd(pending.monthlySavingsUsd)} if it passes`,
    typeof w.breakEvenMonths === 'number' ? w.breakEvenMonths.toFixed(1) : '—',
  ];
}

/** The migration roadmap: one row per workload, biggest saving first, then the phases and the net saving. */
async function printPlan(api: ApiClient): Promise<void> {
  const p = await api.call('GET', '/v1/plan');
  if (p.status !== 200) {
    if (p.status !== 404) console.log(`\n! GET /v1/plan: ${errorText(p)}`);
    return;
  }
  const root = p.body?.plan ?? p.body;
  const rows = (Array.isArray(root?.workloads) ? root.workloads : Array.isArray(root?.data) ? root.data : Array.isArray(root) ? root : []) as PlanRow[];
  if (!rows.length) {
    console.log(`\nPlan: ${JSON.stringify(p.body).slice(0, 300)}`);
    return;
  }
  console.log('\nPlan (GET /v1/plan):');
  const sorted = [...rows].sort((a, b) => savingOf(b) - savingOf(a) || Number(b.currentMonthlyCostUsd ?? 0) - Number(a.currentMonthlyCostUsd ?? 0));
  console.log(table(sorted.map(planRow), ['workload', 'recommendation', 'candidate', 'now/month', 'saves/month', 'break-even (months)']));
  const phases = (Array.isArray(root?.phases) ? root.phases : []) as { id?: string; title?: string; monthlySavingsUsd?: unknown }[];
  for (const ph of phases) if (Number(ph.monthlySavingsUsd) > 0) console.log(`    ${ph.title ?? ph.id}: saves ${fmtUsd(ph.monthlySavingsUsd)}/month`);
  const net = root?.cumulativeSavings?.totalNetSavingsUsd;
  if (net !== undefined) console.log(`    net savings over the plan's horizon: ${fmtUsd(net)}`);
}

/** Spend, forecast and roadmap, read back through the API like the dashboard does. */
export async function printSummary(api: ApiClient): Promise<void> {
  await printSpend(api);
  await printForecast(api);
  await printPlan(api);
}

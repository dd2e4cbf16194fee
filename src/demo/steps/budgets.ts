import { DAY_MS } from '../../domain/time.js';
import { errorText, type ApiClient } from '../api-client.js';
import { fmtUsd } from '../progress.js';

/** Before this share of the month has passed, month-to-date is too short to extrapolate: use last month. */
const EARLY_IN_MONTH = 0.25;
/** Budgets are set at this multiple of the current run rate (the output says "about 1.2x"). */
const HEADROOM = 1.2;

/** Spend this month projected to a whole month (USD), from the month-to-date summary; falls back to last month early in a month. */
async function monthlyRunRate(api: ApiClient): Promise<{ total: number; byProvider: Record<string, number> }> {
  const now = new Date();
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const elapsed = (now.getTime() - monthStart) / (monthEnd - monthStart);
  let month: string | undefined;
  let factor = 1 / Math.max(elapsed, 1e-6);
  if (elapsed < EARLY_IN_MONTH) {
    month = new Date(monthStart - DAY_MS).toISOString().slice(0, 7);
    factor = 1;
  }
  const { data } = await api.GET('/v1/reports/summary', { params: { query: month ? { month } : {} } });
  if (!data) return { total: 0, byProvider: {} };
  const byProvider: Record<string, number> = {};
  for (const p of data.providers) byProvider[p.provider] = Number(p.costUsd) * factor;
  return { total: Number(data.monthToDate.costUsd) * factor, byProvider };
}

/** An organisation-wide and an OpenAI budget near the run rate, each created only when missing. */
export async function ensureBudgets(api: ApiClient): Promise<void> {
  const list = await api.GET('/v1/budgets');
  if (!list.data) {
    console.log(`  ! budgets unavailable: ${errorText(list)}`);
    return;
  }
  const budgets = list.data.data;
  const rate = await monthlyRunRate(api);
  const round = (usd: number, step: number) => String(Math.max(step, Math.round((usd * HEADROOM) / step) * step));
  const wanted = [
    { name: 'Monthly LLM spend', scope: {}, limit: round(rate.total, 1000), has: budgets.some((b) => b.name === 'Monthly LLM spend') },
    { name: 'OpenAI monthly', scope: { provider: 'openai' }, limit: round(rate.byProvider.openai ?? 0, 500), has: budgets.some((b) => b.scope.provider === 'openai') },
  ];
  for (const w of wanted) {
    if (w.has) {
      console.log(`  budget "${w.name}" already exists`);
      continue;
    }
    const r = await api.POST('/v1/budgets', { body: { name: w.name, scope: w.scope, monthlyLimitUsd: w.limit, thresholds: [50, 80, 100] } });
    if (r.error !== undefined) console.log(`  ! budget "${w.name}" not created: ${errorText(r)}`);
    else console.log(`  budget "${w.name}": ${fmtUsd(w.limit)}/month (about 1.2x the current run rate), alerts at 50/80/100%`);
  }
}

import { randomBytes } from 'node:crypto';
import {
  startFakeProvider,
  type FakeAnthropicCostRow,
  type FakeAnthropicUsageRow,
  type FakeOpenAiCostRow,
  type FakeOpenAiUsageRow,
  type FakeProvider,
} from '../../connectors/fake-provider.js';
import { Money } from '../../domain/money.js';
import { DAY_MS } from '../../domain/time.js';
import { errorText, sleep, type ApiClient } from '../api-client.js';
import { fmtUsd } from '../progress.js';

/*
 * What the providers bill, without credentials: the demo starts the fake OpenAI and Anthropic admin APIs
 * that ship with Crossover (src/connectors/fake-provider.ts), fills them with invoices built from the demo
 * org's own metered usage (its FOCUS export: cost and tokens per day, model and token class), then adds
 * the differences real invoices show, each of a kind the reconciliation explains:
 *   - a batch-jobs project that bills gpt-4o-mini but never sent usage to Crossover (not_instrumented);
 *   - Anthropic 1-hour cache writes that the services report as plain cache writes (cache_write_ttl);
 *   - one day of gpt-4o input billed 4% above the catalog price (price_mismatch);
 *   - one day of o3 run through the Batch API at half price while reported as standard (service_tier).
 * Connectors sync the last RECONCILED_DAYS full UTC days from it, and the summary prints the reconciliation.
 */

/** Full UTC days reconciled (yesterday and the days before it). */
const RECONCILED_DAYS = 14;
const CONNECTOR_NAMES = { openai: 'OpenAI (demo, fake admin API)', anthropic: 'Anthropic (demo, fake admin API)' } as const;

interface FocusRow {
  ChargePeriodStart: string;
  ProviderName: string;
  SkuId: string;
  x_TokenClass: string;
  x_ServiceTier: string;
  ConsumedQuantity: string;
  BilledCost: string;
}

/** The org's metered cost and tokens per day, provider, model and token class, from its FOCUS export (JSON pages). */
async function meteredLines(api: ApiClient, from: string, to: string): Promise<FocusRow[]> {
  const page = (cursor?: string) => api.retrying.GET('/v1/exports/focus', { params: { query: { from, to, format: 'json', limit: 500, cursor } } });
  const rows: FocusRow[] = [];
  let cursor: string | undefined;
  do {
    const r = await page(cursor);
    if (!r.data) throw new Error(`FOCUS export failed: ${errorText(r)}`);
    rows.push(...r.data.rows);
    cursor = r.data.nextCursor ?? undefined;
  } while (cursor);
  return rows.filter((r) => (r.ProviderName === 'OpenAI' || r.ProviderName === 'Anthropic') && r.x_ServiceTier === 'default');
}

const OPENAI_KIND: Record<string, string> = { input: 'input', cached_input: 'cached input', output: 'output', reasoning: 'output' };
const ANTHROPIC_TOKEN_TYPE: Record<string, string> = {
  input: 'uncached_input_tokens',
  cached_input: 'cache_read_input_tokens',
  cache_write_5m: 'cache_creation.ephemeral_5m_input_tokens',
  cache_write_1h: 'cache_creation.ephemeral_1h_input_tokens',
  output: 'output_tokens',
};

interface Invoices {
  openai: { costs: FakeOpenAiCostRow[]; usage: FakeOpenAiUsageRow[] };
  anthropic: { costs: FakeAnthropicCostRow[]; usage: FakeAnthropicUsageRow[] };
  injected: string[];
}

/** The invoices a provider would send for the metered lines, plus the differences described above. */
function invoicesFor(lines: FocusRow[], days: string[]): Invoices {
  const sums = new Map<string, { day: string; provider: string; model: string; kind: string; tokens: number; usd: Money }>();
  for (const l of lines) {
    const day = l.ChargePeriodStart.slice(0, 10);
    const provider = l.ProviderName === 'OpenAI' ? 'openai' : 'anthropic';
    const kind = provider === 'openai' ? OPENAI_KIND[l.x_TokenClass] : ANTHROPIC_TOKEN_TYPE[l.x_TokenClass];
    if (!kind) continue;
    const k = `${day}|${provider}|${l.SkuId}|${kind}`;
    const s = sums.get(k) ?? { day, provider, model: l.SkuId, kind, tokens: 0, usd: new Money(0) };
    s.tokens += Number(l.ConsumedQuantity);
    s.usd = s.usd.plus(l.BilledCost);
    sums.set(k, s);
  }
  const inv: Invoices = { openai: { costs: [], usage: [] }, anthropic: { costs: [], usage: [] }, injected: [] };
  const lastDays = days.slice(-3);
  const mismatchDay = days[days.length - 2];
  const batchDay = days[days.length - 4];
  const usageBy = new Map<string, FakeOpenAiUsageRow & FakeAnthropicUsageRow>();
  const usageRow = (day: string, provider: string, model: string) => {
    const k = `${day}|${provider}|${model}`;
    let u = usageBy.get(k);
    if (!u) {
      u = { day, model };
      usageBy.set(k, u);
      if (provider === 'openai') inv.openai.usage.push(u);
      else inv.anthropic.usage.push(u);
    }
    return u;
  };
  for (const s of sums.values()) {
    if (s.provider === 'openai') {
      let amount = s.usd;
      let batch = false;
      if (s.model === 'gpt-4o' && s.kind === 'input' && s.day === mismatchDay) amount = amount.mul('1.04');
      if (s.model === 'o3' && s.day === batchDay) {
        // The Batch API halves input and output; cached input stays at its price (what the source states).
        if (s.kind !== 'cached input') amount = amount.div(2);
        batch = true;
      }
      inv.openai.costs.push({ day: s.day, lineItem: `${s.model}, ${batch ? 'batch ' : ''}${s.kind}`, amount: amount.toDecimalPlaces(10).toFixed() });
      const u = usageRow(s.day, 'openai', s.model);
      if (batch) u.batch = true;
      if (s.kind === 'output') u.outputTokens = (u.outputTokens ?? 0) + s.tokens;
      else u.inputTokens = (u.inputTokens ?? 0) + s.tokens;
      if (s.kind === 'cached input') u.inputCachedTokens = (u.inputCachedTokens ?? 0) + s.tokens;
    } else {
      const u = usageRow(s.day, 'anthropic', s.model);
      let usd = s.usd;
      // 30% of the last days' cache writes were 1-hour writes (2x input instead of 1.25x), reported as plain writes.
      if (s.kind === ANTHROPIC_TOKEN_TYPE.cache_write_5m && lastDays.includes(s.day) && s.tokens > 0) {
        const longTokens = Math.round(s.tokens * 0.3);
        const share = new Money(longTokens).div(s.tokens);
        const longUsd = usd.mul(share).mul(2).div('1.25');
        usd = usd.mul(new Money(1).minus(share));
        inv.anthropic.costs.push({ day: s.day, model: s.model, tokenType: ANTHROPIC_TOKEN_TYPE.cache_write_1h, amountCents: longUsd.mul(100).toDecimalPlaces(10).toFixed() });
        u.cacheCreation1hInputTokens = (u.cacheCreation1hInputTokens ?? 0) + longTokens;
        u.cacheCreation5mInputTokens = (u.cacheCreation5mInputTokens ?? 0) + s.tokens - longTokens;
      } else if (s.kind === ANTHROPIC_TOKEN_TYPE.cache_write_5m) u.cacheCreation5mInputTokens = (u.cacheCreation5mInputTokens ?? 0) + s.tokens;
      else if (s.kind === ANTHROPIC_TOKEN_TYPE.cache_write_1h) u.cacheCreation1hInputTokens = (u.cacheCreation1hInputTokens ?? 0) + s.tokens;
      else if (s.kind === ANTHROPIC_TOKEN_TYPE.cached_input) u.cacheReadInputTokens = (u.cacheReadInputTokens ?? 0) + s.tokens;
      else if (s.kind === ANTHROPIC_TOKEN_TYPE.input) u.uncachedInputTokens = (u.uncachedInputTokens ?? 0) + s.tokens;
      else u.outputTokens = (u.outputTokens ?? 0) + s.tokens;
      inv.anthropic.costs.push({ day: s.day, model: s.model, tokenType: s.kind, amountCents: usd.mul(100).toDecimalPlaces(10).toFixed() });
    }
  }
  // A nightly batch-jobs project on its own OpenAI project key, never instrumented: 80M gpt-4o-mini input tokens a night.
  for (const day of lastDays) {
    inv.openai.costs.push({ day, lineItem: 'gpt-4o-mini, input', projectId: 'proj_batch_jobs', amount: '12' });
    inv.openai.usage.push({ day, model: 'gpt-4o-mini', projectId: 'proj_batch_jobs', inputTokens: 80_000_000, requests: 4000 });
  }
  inv.injected.push(
    `not instrumented: project proj_batch_jobs, gpt-4o-mini, $12/day on ${lastDays[0]}..${lastDays[2]}`,
    `1-hour cache writes reported as plain writes: Anthropic, 30% of writes on ${lastDays[0]}..${lastDays[2]}`,
    `price mismatch: gpt-4o input billed 4% above the catalog on ${mismatchDay}`,
    `service tier: o3 run through the Batch API (half price) on ${batchDay}, reported as standard`,
  );
  return inv;
}

/** Creates (or re-creates: the fake's port changes between runs) the demo connector of `provider`, pointed at the fake. */
async function demoConnector(api: ApiClient, provider: 'openai' | 'anthropic', url: string, adminKey: string): Promise<string> {
  const list = await api.GET('/v1/connectors', { params: { query: { limit: 100 } } });
  for (const c of list.data?.data ?? []) {
    if (c.name === CONNECTOR_NAMES[provider]) await api.DELETE('/v1/connectors/{id}', { params: { path: { id: c.id } } });
  }
  const r = await api.POST('/v1/connectors', { body: { provider, name: CONNECTOR_NAMES[provider], credentials: { adminKey }, baseUrl: url } });
  if (!r.data) throw new Error(`creating the ${provider} connector failed: ${errorText(r)}`);
  return r.data.id;
}

async function syncAndWait(api: ApiClient, id: string, from: string, to: string) {
  const started = await api.POST('/v1/connectors/{id}/sync', { params: { path: { id } }, body: { from, to } });
  if (!started.data) throw new Error(`sync failed to start: ${errorText(started)}`);
  const params = { path: { id, runId: started.data.runId } };
  for (let i = 0; i < 600; i++) {
    const { data: run } = await api.GET('/v1/connectors/{id}/runs/{runId}', { params });
    if (run?.status === 'succeeded' || run?.status === 'failed') return run;
    await sleep(200);
  }
  throw new Error('the connector sync did not finish within 2 minutes');
}

/**
 * Starts the fake provider with invoices built from the org's metered usage, syncs a connector per provider
 * and prints the reconciliation. Returns the fake (it keeps serving, so the hourly scheduled syncs work).
 */
export async function reconcileWithFakeProviders(api: ApiClient): Promise<FakeProvider | null> {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const days = Array.from({ length: RECONCILED_DAYS }, (_, i) => new Date(today - (RECONCILED_DAYS - i) * DAY_MS).toISOString().slice(0, 10));
  const from = days[0];
  const to = new Date(today).toISOString().slice(0, 10);
  const invoices = invoicesFor(await meteredLines(api, from, to), days);
  const adminKey = `sk-admin-demo-${randomBytes(8).toString('hex')}`;
  const fake = await startFakeProvider({ adminKey, openai: invoices.openai, anthropic: invoices.anthropic });
  try {
    for (const line of invoices.injected) console.log(`  injected: ${line}`);
    for (const provider of ['openai', 'anthropic'] as const) {
      const run = await syncAndWait(api, await demoConnector(api, provider, fake.url, adminKey), from, to);
      if (run.status !== 'succeeded') throw new Error(`the ${provider} sync failed: ${run.error ?? 'unknown error'}`);
      console.log(`  ${provider}: synced ${from}..${to} (${run.pages} pages, ${run.costLines} cost lines)`);
    }
    const rec = await api.retrying.GET('/v1/reconciliation', { params: { query: { from, to, groupBy: 'provider' } } });
    if (!rec.data) throw new Error(`reconciliation failed: ${errorText(rec)}`);
    // Only the providers that bill through a connector; the others have nothing to compare with.
    for (const row of rec.data.rows.filter((r) => r.provider === 'openai' || r.provider === 'anthropic')) {
      const causes = row.explanations.map((e) => `${e.cause} ${fmtUsd(Number(e.estimatedUsd), 2)}`).join(', ') || 'none';
      console.log(
        `  ${row.provider}: metered ${fmtUsd(Number(row.meteredCostUsd), 2)}, billed ${fmtUsd(Number(row.billedCostUsd), 2)}, delta ${fmtUsd(Number(row.deltaUsd), 2)}` +
          ` (coverage ${row.coverage === null ? 'n/a' : row.coverage.toFixed(3)}); explained: ${causes}; unexplained ${fmtUsd(Number(row.unexplainedUsd), 2)}`,
      );
    }
    return fake;
  } catch (e) {
    await fake.close();
    console.log(`  ! reconciliation demo skipped: ${(e as Error).message}`);
    return null;
  }
}

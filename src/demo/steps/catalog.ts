import { errorText, type ApiClient } from '../api-client.js';
import { fmtInt, waitFor } from '../progress.js';

/** The GPU cost of the internal Llama per 1M tokens; acme-embed-small stays unpriced on purpose (unpriced is never $0). */
const SELF_HOSTED = { provider: 'self-hosted', modelId: 'acme-llama-3-8b', inputPerMTok: '0.05', outputPerMTok: '0.05' };
const REPRICE_TIMEOUT_MS = 10 * 60_000;

/** Creates the custom price unless one exists; true when it already existed. */
async function ensureSelfHostedPrice(api: ApiClient, effectiveFrom: Date): Promise<boolean> {
  const list = await api.call('GET', '/v1/catalog/overrides');
  if (list.status !== 200) throw new Error(`GET /v1/catalog/overrides failed: ${errorText(list)}`);
  const exists = (list.body?.data ?? []).some((o: { kind?: string; modelId?: string }) => o.kind === 'custom' && o.modelId === SELF_HOSTED.modelId);
  if (exists) {
    console.log(`  self-hosted/${SELF_HOSTED.modelId} already has a custom price`);
    return true;
  }
  const r = await api.call('POST', '/v1/catalog/overrides', { kind: 'custom', ...SELF_HOSTED, effectiveFrom: effectiveFrom.toISOString(), note: 'Demo: GPU cost of the internal Llama 3 8B per 1M tokens' });
  if (r.status !== 201 && r.status !== 200) throw new Error(`POST /v1/catalog/overrides failed: ${errorText(r)}`);
  console.log(`  priced self-hosted/${SELF_HOSTED.modelId} at $${SELF_HOSTED.inputPerMTok} / $${SELF_HOSTED.outputPerMTok} per 1M tokens from ${effectiveFrom.toISOString().slice(0, 10)} (acme-embed-small stays unpriced)`);
  return false;
}

/** Prices the self-hosted model (once) and re-prices the stored events so its past usage gets a cost. */
export async function priceSelfHosted(api: ApiClient, effectiveFrom: Date, to: Date): Promise<void> {
  const existed = await ensureSelfHostedPrice(api, effectiveFrom);
  // Re-price when the price is new, or when events of the model are still unpriced (an interrupted run).
  const unpriced = await api.call('GET', '/v1/catalog/unpriced');
  const stillUnpriced = (unpriced.body?.data ?? []).some((m: { model?: string; modelId?: string }) => m.modelId === SELF_HOSTED.modelId || m.model === SELF_HOSTED.modelId);
  if (existed && !stillUnpriced) return;
  // Only this model's events: the other 240k keep their prices (seconds instead of a minute).
  const start = await api.call('POST', '/v1/catalog/reprice', { from: effectiveFrom.toISOString(), to: to.toISOString(), dryRun: false, model: SELF_HOSTED.modelId });
  if (start.status !== 200 && start.status !== 201 && start.status !== 202) throw new Error(`POST /v1/catalog/reprice failed: ${errorText(start)}`);
  const id = start.body?.id as string;
  await waitFor(
    'reprice',
    () => api.call('GET', `/v1/catalog/reprice/${id}`),
    (r) => ({
      done: r.body?.status === 'succeeded',
      failed: r.body?.status === 'failed' ? String(r.body?.error ?? 'unknown error') : r.status !== 200 ? errorText(r) : undefined,
      progress: Number(r.body?.processed ?? 0),
      total: Number(r.body?.total ?? 0),
      extra: r.body?.status === 'succeeded' ? `${fmtInt(r.body?.processed ?? 0)} events checked, ${fmtInt(r.body?.changed ?? 0)} re-priced` : `(${r.body?.status ?? '?'}, ${fmtInt(r.body?.changed ?? 0)} changed)`,
    }),
    REPRICE_TIMEOUT_MS,
    'events',
  );
}

import { errorText, type ApiClient } from '../api-client.js';
import { fmtInt, waitFor } from '../progress.js';

/** The GPU cost of the internal Llama per 1M tokens; acme-embed-small stays unpriced on purpose (unpriced is never $0). */
const SELF_HOSTED = { provider: 'self-hosted', modelId: 'acme-llama-3-8b', inputPerMTok: '0.05', outputPerMTok: '0.05' };
const REPRICE_TIMEOUT_MS = 10 * 60_000;

/** Creates the custom price unless one exists; true when it already existed. */
async function ensureSelfHostedPrice(api: ApiClient, effectiveFrom: Date): Promise<boolean> {
  const list = await api.GET('/v1/catalog/overrides');
  if (!list.data) throw new Error(`GET /v1/catalog/overrides failed: ${errorText(list)}`);
  const exists = list.data.data.some((o) => o.kind === 'custom' && o.modelId === SELF_HOSTED.modelId);
  if (exists) {
    console.log(`  self-hosted/${SELF_HOSTED.modelId} already has a custom price`);
    return true;
  }
  const r = await api.POST('/v1/catalog/overrides', { body: { kind: 'custom', ...SELF_HOSTED, effectiveFrom: effectiveFrom.toISOString(), note: 'Demo: GPU cost of the internal Llama 3 8B per 1M tokens' } });
  if (r.error !== undefined) throw new Error(`POST /v1/catalog/overrides failed: ${errorText(r)}`);
  console.log(`  priced self-hosted/${SELF_HOSTED.modelId} at $${SELF_HOSTED.inputPerMTok} / $${SELF_HOSTED.outputPerMTok} per 1M tokens from ${effectiveFrom.toISOString().slice(0, 10)} (acme-embed-small stays unpriced)`);
  return false;
}

/** Prices the self-hosted model (once) and re-prices the stored events so its past usage gets a cost. */
export async function priceSelfHosted(api: ApiClient, effectiveFrom: Date, to: Date): Promise<void> {
  const existed = await ensureSelfHostedPrice(api, effectiveFrom);
  // Re-price when the price is new, or when events of the model are still unpriced (an interrupted run).
  const unpriced = await api.GET('/v1/catalog/unpriced');
  const stillUnpriced = (unpriced.data?.data ?? []).some((m) => m.modelId === SELF_HOSTED.modelId);
  if (existed && !stillUnpriced) return;
  // Only this model's events: the other 240k keep their prices (seconds instead of a minute).
  const start = await api.POST('/v1/catalog/reprice', { body: { from: effectiveFrom.toISOString(), to: to.toISOString(), dryRun: false, model: SELF_HOSTED.modelId } });
  if (!start.data) throw new Error(`POST /v1/catalog/reprice failed: ${errorText(start)}`);
  // dryRun: false answers the job (202); the dry run's report has no id.
  if (!('id' in start.data)) throw new Error('POST /v1/catalog/reprice answered a dry run');
  const id = start.data.id;
  await waitFor(
    'reprice',
    () => api.GET('/v1/catalog/reprice/{id}', { params: { path: { id } } }),
    ({ data: job, ...r }) => ({
      done: job?.status === 'succeeded',
      failed: !job ? errorText(r) : job.status === 'failed' ? (job.error ?? 'unknown error') : undefined,
      progress: job?.processed ?? 0,
      total: job?.total ?? 0,
      extra: job?.status === 'succeeded' ? `${fmtInt(job.processed)} events checked, ${fmtInt(job.changed)} re-priced` : `(${job?.status ?? '?'}, ${fmtInt(job?.changed ?? 0)} changed)`,
    }),
    REPRICE_TIMEOUT_MS,
    'events',
  );
}

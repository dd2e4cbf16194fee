import { errorText, type ApiClient } from '../api-client.js';
import { fmtInt, waitFor } from '../progress.js';

const ROLLUP_TIMEOUT_MS = 10 * 60_000;

/** Waits until the workers have rolled up every dirty hour, so the reports below count every event. */
export async function waitForRollups(api: ApiClient): Promise<void> {
  let first = 0;
  await waitFor(
    'rollups',
    () => api.GET('/v1/admin/jobs'),
    (r) => {
      if (!r.data) return { done: false, progress: 0, total: 1, failed: errorText(r) };
      const dirty = r.data.rollupBacklog.dirtyHours;
      first = Math.max(first, dirty);
      const failed = r.data.failed.length;
      return { done: dirty === 0, progress: first - dirty, total: first, extra: dirty === 0 ? `caught up${failed ? ` (${failed} failed jobs: GET /v1/admin/jobs)` : ''}` : `${fmtInt(dirty)} hours to roll up` };
    },
    ROLLUP_TIMEOUT_MS,
    'hours',
  );
}

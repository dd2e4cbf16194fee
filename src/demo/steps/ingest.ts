import { errorText, type ApiClient } from '../api-client.js';
import { DEMO_ANCHOR_TAG, generateDemoBatches, generateDemoEvents, type DemoOptions, type UsageEventInput } from '../generator.js';
import { fmtInt, Progress } from '../progress.js';

/** Events per request: the ingest API's maximum. */
const BATCH_SIZE = 1000;
/** Ingest requests in flight at once: enough to overlap the database with parsing and pricing. */
const CONCURRENCY = 3;
/** Rejections printed in full; the rest are only counted. */
const SHOWN_REJECTIONS = 5;

export interface IngestTotals {
  events: number;
  accepted: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
}

function totalsText(t: IngestTotals): string {
  return `(${fmtInt(t.accepted)} new, ${fmtInt(t.duplicates)} duplicates${t.conflicts ? `, ${fmtInt(t.conflicts)} conflicts` : ''}${t.rejected ? `, ${fmtInt(t.rejected)} rejected` : ''})`;
}

/** Posts the generated events in batches of 1,000, CONCURRENCY requests at a time. */
export async function ingest(api: ApiClient, options: DemoOptions): Promise<IngestTotals> {
  let total = 0;
  for (const _ of generateDemoEvents(options)) total++;
  const progress = new Progress('ingest', total, 'events');
  const totals: IngestTotals = { events: 0, accepted: 0, duplicates: 0, conflicts: 0, rejected: 0 };
  let shownErrors = 0;
  const inFlight = new Set<Promise<void>>();
  // Retrying is safe: every event has a deterministic id, so a batch sent twice is counted as duplicates.
  const post = async (batch: UsageEventInput[]) => {
    const r = await api.retrying.POST('/v1/events', { body: { events: batch } });
    if (!r.data) throw new Error(`POST /v1/events failed: ${errorText(r)}`);
    const b = r.data;
    totals.events += batch.length;
    totals.accepted += b.accepted;
    totals.duplicates += b.duplicates;
    totals.conflicts += b.conflicts;
    totals.rejected += b.rejected;
    if (b.rejected > 0 && shownErrors < SHOWN_REJECTIONS) {
      if (process.stdout.isTTY) process.stdout.write('\n');
      for (const res of b.results.filter((x) => x.status === 'rejected').slice(0, SHOWN_REJECTIONS - shownErrors)) {
        shownErrors++;
        console.log(`  ! rejected ${res.id ?? `#${res.index}`}: ${(res.errors ?? []).map((e) => `${e.field} ${e.message}`).join('; ')}`);
      }
    }
    progress.update(totals.events, totalsText(totals));
  };
  for (const batch of generateDemoBatches(options, BATCH_SIZE)) {
    const p: Promise<void> = post(batch).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  progress.done(`${fmtInt(totals.events)} events: ${fmtInt(totals.accepted)} new, ${fmtInt(totals.duplicates)} duplicates, ${fmtInt(totals.conflicts)} conflicts, ${fmtInt(totals.rejected)} rejected`);
  return totals;
}

/** The anchor the stored demo events were generated with (their `demo` tag), so a re-run regenerates identical events. */
export async function storedAnchor(api: ApiClient): Promise<Date | null> {
  const { data } = await api.GET('/v1/events', { params: { query: { workload: 'ticket-classifier', limit: 1 } } });
  const tag = data?.data[0]?.tags[DEMO_ANCHOR_TAG];
  const d = typeof tag === 'string' ? new Date(tag) : null;
  return d && Number.isFinite(d.getTime()) && d.getTime() <= Date.now() ? d : null;
}

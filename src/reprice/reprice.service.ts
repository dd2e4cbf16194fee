import { Injectable, Logger } from '@nestjs/common';
import { InvalidError, NotFoundError } from '../common/errors.js';
import { Money } from '../domain/money.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { EventPricer } from '../catalog/event-pricer.js';
import { RepriceRepository, type RepriceRow } from './reprice.repository.js';

const PAGE = 2_000;

interface ModelDiff {
  modelId: string;
  events: number;
  changedEvents: number;
  currentCostUsd: string;
  newCostUsd: string;
  differenceUsd: string;
  newlyPriced: number;
  newlyUnpriced: number;
}

/**
 * Re-computes the cost of past events after a price or override change.
 * The dry run compares without writing; the real run is a background job
 * that records progress and writes only rows whose price changed.
 */
@Injectable()
export class RepriceService {
  private readonly logger = new Logger(RepriceService.name);

  constructor(
    private readonly repo: RepriceRepository,
    private readonly pricer: EventPricer,
    private readonly queues: QueueService,
  ) {}

  private window(from: string, to: string): { from: Date; to: Date } {
    const f = new Date(from);
    // No clamp at the retention horizon: no raw events are left before it, and its hours' rollups are never recomputed.
    const t = new Date(to);
    if (!(f < t)) throw new InvalidError('Invalid request: to', [{ field: 'to', message: 'must be after from' }]);
    return { from: f, to: t };
  }

  /** Walks the window page by page; `onPage` gets each page's changed rows. */
  private async walk(orgId: string, from: Date, to: Date, model: string | null, onPage: (changed: ReturnType<RepriceService['changes']>, page: RepriceRow[]) => Promise<void>) {
    const ctx = await this.pricer.forOrg(orgId);
    let after: { ts: Date; eventId: string } | null = null;
    for (;;) {
      const page = await this.repo.page(orgId, from, to, after, PAGE, model);
      if (!page.length) break;
      await onPage(this.changes(ctx, page), page);
      const last = page[page.length - 1];
      after = { ts: last.ts, eventId: last.eventId };
      if (page.length < PAGE) break;
    }
  }

  private changes(ctx: Awaited<ReturnType<EventPricer['forOrg']>>, page: RepriceRow[]) {
    return page.map((e) => {
      const { modelId, result } = this.pricer.price(ctx, {
        provider: e.provider,
        model: e.model,
        requests: e.requests,
        at: e.ts,
        serviceTier: e.serviceTier,
        usage: {
          inputTokens: e.inputTokens,
          outputTokens: e.outputTokens,
          cachedInputTokens: e.cachedInputTokens,
          cacheWriteTokens: e.cacheWriteTokens,
          reasoningTokens: e.reasoningTokens,
          cacheWrite1hTokens: e.cacheWrite1hTokens,
          audioInputTokens: e.audioInputTokens,
          imageInputTokens: e.imageInputTokens,
          videoInputTokens: e.videoInputTokens,
          cachedAudioInputTokens: e.cachedAudioInputTokens,
          audioOutputTokens: e.audioOutputTokens,
        },
      });
      const costUsd = result.priced ? result.costUsd.toFixed() : null;
      const priceVersionId = result.priced ? result.priceVersionId : null;
      const same = (costUsd === null ? e.costUsd === null : e.costUsd !== null && new Money(e.costUsd).equals(costUsd)) && priceVersionId === e.priceVersionId && modelId === e.modelId;
      return { before: e, eventId: e.eventId, modelId, costUsd, unpriced: !result.priced, priceVersionId, same };
    });
  }

  async dryRun(orgId: string, fromIso: string, toIso: string, model: string | null = null) {
    const { from, to } = this.window(fromIso, toIso);
    const byModel = new Map<string, { events: number; changed: number; cur: InstanceType<typeof Money>; next: InstanceType<typeof Money>; newlyPriced: number; newlyUnpriced: number }>();
    await this.walk(orgId, from, to, model, async (changes) => {
      for (const c of changes) {
        const m = byModel.get(c.modelId) ?? { events: 0, changed: 0, cur: new Money(0), next: new Money(0), newlyPriced: 0, newlyUnpriced: 0 };
        m.events++;
        if (!c.same) m.changed++;
        if (c.before.costUsd) m.cur = m.cur.plus(c.before.costUsd);
        if (c.costUsd) m.next = m.next.plus(c.costUsd);
        if (c.before.unpriced && !c.unpriced) m.newlyPriced++;
        if (!c.before.unpriced && c.unpriced) m.newlyUnpriced++;
        byModel.set(c.modelId, m);
      }
    });
    const models: ModelDiff[] = [...byModel.entries()]
      .map(([modelId, m]) => ({
        modelId,
        events: m.events,
        changedEvents: m.changed,
        currentCostUsd: m.cur.toFixed(),
        newCostUsd: m.next.toFixed(),
        differenceUsd: m.next.minus(m.cur).toFixed(),
        newlyPriced: m.newlyPriced,
        newlyUnpriced: m.newlyUnpriced,
      }))
      .sort((a, b) => a.modelId.localeCompare(b.modelId));
    const total = models.reduce((acc, m) => ({ cur: acc.cur.plus(m.currentCostUsd), next: acc.next.plus(m.newCostUsd) }), { cur: new Money(0), next: new Money(0) });
    return { dryRun: true, from: from.toISOString(), to: to.toISOString(), model, models, totals: { currentCostUsd: total.cur.toFixed(), newCostUsd: total.next.toFixed(), differenceUsd: total.next.minus(total.cur).toFixed() } };
  }

  async start(orgId: string, fromIso: string, toIso: string, model: string | null = null) {
    const { from, to } = this.window(fromIso, toIso);
    const total = await this.repo.count(orgId, from, to, model);
    const runId = await this.repo.createRun(orgId, from, to, total, model);
    try {
      await this.queues.enqueue('catalog', 'reprice', { orgId, runId }, { jobId: `reprice-${runId}` });
    } catch (err) {
      // No job will ever run it: the run says so instead of staying pending, and the caller gets the 503 to retry.
      await this.repo.updateRun(orgId, runId, { status: 'failed', error: 'the job queue was unreachable; start the run again', finishedAt: new Date() });
      throw err;
    }
    return this.status(orgId, runId);
  }

  async status(orgId: string, runId: string) {
    const r = await this.repo.findRun(orgId, runId);
    if (!r) throw new NotFoundError(`Re-pricing run ${runId} not found`);
    return {
      id: r.id,
      status: r.status,
      from: r.fromTs.toISOString(),
      to: r.toTs.toISOString(),
      model: r.model,
      total: r.total,
      processed: r.processed,
      changed: r.changed,
      progress: r.total ? Math.min(1, r.processed / r.total) : r.status === 'succeeded' ? 1 : 0,
      error: r.error,
      createdAt: r.createdAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
    };
  }

  /** The job: idempotent, since each page is recomputed from the stored usage and prices. */
  async run(orgId: string, runId: string): Promise<{ processed: number; changed: number }> {
    const r = await this.repo.findRun(orgId, runId);
    if (!r) return { processed: 0, changed: 0 };
    await this.repo.updateRun(orgId, runId, { status: 'running', processed: 0, changed: 0, error: null });
    let processed = 0;
    let changed = 0;
    try {
      await this.walk(orgId, r.fromTs, r.toTs, r.model, async (changes) => {
        const diff = changes.filter((c) => !c.same);
        await this.repo.updateCosts(orgId, diff);
        processed += changes.length;
        changed += diff.length;
        await this.repo.updateRun(orgId, runId, { processed, changed });
      });
      await this.repo.updateRun(orgId, runId, { status: 'succeeded', processed, changed, finishedAt: new Date() });
    } catch (err) {
      this.logger.error(`reprice ${runId} failed: ${(err as Error).message}`);
      await this.repo.updateRun(orgId, runId, { status: 'failed', error: (err as Error).message, finishedAt: new Date() });
      throw err;
    }
    return { processed, changed };
  }
}

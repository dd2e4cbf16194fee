import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { CatalogService } from '../catalog/catalog.service.js';
import {
  dayOf,
  dayRange,
  mergeCostLines,
  mergeUsageLines,
  ProviderFormatError,
  scrubSecret,
  type BucketWidth,
  type ConnectorProvider,
  type CostLine,
  type ModelResolver,
  type UsageLine,
} from '../domain/connectors/provider-lines.js';
import { finalBeforeAfterDaily } from '../domain/connectors/schedule.js';
import { CredentialSealer } from './credential-sealer.js';
import { ConnectorsRepository, emptyProgress, type RunProgress } from './connectors.repository.js';
import { ConnectorsService } from './connectors.service.js';
import { getProviderPage, PROVIDER_HTTP_LIMITS, ProviderCallError, type ProviderHttpLimits } from './provider-http.js';
import { DEFAULT_BASE_URLS, providerSources, type ReportSource } from './provider-sources.js';

/** Most pages one report may take in one run (count): 93 days of hourly buckets are 14 pages; more means a provider paging in circles. */
export const MAX_PAGES_PER_REPORT = 200;
/** Most lines one run keeps in memory before storing (count). */
export const MAX_LINES_PER_RUN = 500_000;

/** A failure that retrying the job cannot fix (the provider refused, answered garbage, or the credentials do not open). */
class RunFailure extends Error {}

/**
 * One run: reads the provider's cost and usage reports for the run's days
 * page by page, then replaces the connector's lines of those days in one
 * transaction. Idempotent: a re-run (a retried job, the same range synced
 * again) replaces the same lines, so nothing is ever counted twice.
 * Provider lines are never written to usage_events.
 */
@Injectable()
export class ConnectorSyncService {
  private readonly logger = new Logger(ConnectorSyncService.name);
  /** Tests shorten the waits; production uses PROVIDER_HTTP_LIMITS. */
  limits: ProviderHttpLimits = PROVIDER_HTTP_LIMITS;

  constructor(
    private readonly repo: ConnectorsRepository,
    private readonly connectors: ConnectorsService,
    private readonly sealer: CredentialSealer,
    private readonly catalog: CatalogService,
  ) {}

  private readonly resolve: ModelResolver = (provider, model) => {
    const r = this.catalog.resolve(provider, model);
    return r.rule === 'unknown' ? '' : r.modelId;
  };

  async run(orgId: string, connectorId: string, runId: string): Promise<{ status: string; costLines?: number; usageLines?: number }> {
    const run = await this.repo.findRun(orgId, connectorId, runId);
    // Deleted with its connector, or already done by an earlier delivery of the same job.
    if (!run) return { status: 'gone' };
    if (run.status === 'succeeded') return { status: run.status, costLines: run.costLines, usageLines: run.usageLines };
    const connector = await this.repo.find(orgId, connectorId);
    if (!connector) return { status: 'gone' };

    const fromDay = dayOf(run.fromDay.getTime());
    const toDay = dayOf(run.toDay.getTime());
    const provider = connector.provider as ConnectorProvider;
    const width: BucketWidth = run.trigger === 'hourly' ? '1h' : '1d';
    const progress: RunProgress = { ...emptyProgress(), phase: 'costs' };
    let pages = 0;
    let retries = 0;
    let secret = '';
    await this.repo.updateRun(orgId, runId, { status: 'running', startedAt: new Date(), pages: 0, retries: 0, costLines: 0, usageLines: 0, error: null, finishedAt: null, progress });

    try {
      let adminKey: string;
      try {
        adminKey = this.sealer.open(orgId, connectorId, connector.keyId, connector.sealed).adminKey;
      } catch (e) {
        throw new RunFailure((e as Error).message);
      }
      secret = adminKey;
      const sources = providerSources(provider, connector.baseUrl ?? DEFAULT_BASE_URLS[provider], adminKey, dayRange(fromDay, toDay), width, this.resolve);
      const onRetry = async (why: '429' | '5xx' | 'network') => {
        retries++;
        if (why === '429') progress.rateLimited++;
        else if (why === '5xx') progress.serverErrors++;
        else progress.networkErrors++;
        await this.repo.updateRun(orgId, runId, { retries, progress });
      };
      const readAll = async <L>(source: ReportSource<L>, count: (n: number) => void): Promise<L[]> => {
        const lines: L[] = [];
        let page: string | null = null;
        for (let n = 1; ; n++) {
          if (n > MAX_PAGES_PER_REPORT) throw new RunFailure(`the ${source.name} report did not end within ${MAX_PAGES_PER_REPORT} pages`);
          const body = await getProviderPage(source.url(page), sources.headers, adminKey, this.connectors.policy, onRetry, this.limits);
          const parsed = source.parse(body);
          for (const l of parsed.lines) lines.push(l);
          if (lines.length > MAX_LINES_PER_RUN) throw new RunFailure(`the ${source.name} report has more than ${MAX_LINES_PER_RUN} lines; sync a shorter range`);
          pages++;
          count(1);
          progress.skippedRows += parsed.skipped;
          for (const r of parsed.reasons) if (progress.skippedReasons.length < 10) progress.skippedReasons.push(`${source.name}: ${scrubSecret(r, adminKey, 200)}`);
          await this.repo.updateRun(orgId, runId, { pages, progress });
          if (!parsed.hasMore) return lines;
          if (parsed.nextPage === page) throw new RunFailure(`the ${source.name} report returned the same next_page twice`);
          page = parsed.nextPage;
        }
      };

      const cost: CostLine[] = mergeCostLines(await readAll(sources.costs, (n) => (progress.costPages += n)));
      progress.phase = 'usage';
      await this.repo.updateRun(orgId, runId, { progress });
      const usage: UsageLine[] = mergeUsageLines(await readAll(sources.usage, (n) => (progress.usagePages += n)));
      progress.phase = 'storing';
      await this.repo.updateRun(orgId, runId, { progress });
      await this.repo.replaceLines(orgId, connectorId, fromDay, toDay, cost, usage);

      // Credentials sealed under an older key are re-sealed under the current one once they have worked.
      if (connector.keyId !== this.sealer.currentKeyId) {
        if (await this.repo.reseal(orgId, connectorId, connector.keyId, this.sealer.seal(orgId, connectorId, { adminKey }))) {
          this.logger.log(`connector ${connectorId}: credentials re-sealed from key "${connector.keyId}" to "${this.sealer.currentKeyId}"`);
        }
      }
      progress.phase = 'done';
      const finishedAt = new Date();
      await this.repo.updateRun(orgId, runId, { status: 'succeeded', pages, retries, costLines: cost.length, usageLines: usage.length, progress, finishedAt });
      const finalBefore = run.trigger === 'daily' ? finalBeforeAfterDaily(toDay) : null;
      const known = connector.finalBefore ? dayOf(connector.finalBefore.getTime()) : null;
      await this.repo.recordOutcome(orgId, connectorId, {
        lastSyncedAt: finishedAt,
        lastError: null,
        ...(finalBefore && (!known || finalBefore > known) ? { finalBefore: new Date(`${finalBefore}T00:00:00Z`) } : {}),
      });
      this.logger.log(`connector ${connectorId} (${provider}) synced ${fromDay}..${toDay}: ${cost.length} cost and ${usage.length} usage lines, ${pages} pages, ${retries} retries, ${progress.skippedRows} rows skipped`);
      await this.connectors.notifySynced({ orgId, connectorId, provider, fromDay, toDay });
      return { status: 'succeeded', costLines: cost.length, usageLines: usage.length };
    } catch (e) {
      const known = e instanceof RunFailure || e instanceof ProviderCallError || e instanceof ProviderFormatError;
      // Whatever the failure says, it never carries the credentials: scrubbed before it is stored, logged or thrown.
      const error = scrubSecret(known ? (e as Error).message : `internal error: ${(e as Error).message}`, secret, 500);
      await this.repo.updateRun(orgId, runId, { status: 'failed', pages, retries, progress, error, finishedAt: new Date() }).catch(() => undefined);
      await this.repo.recordOutcome(orgId, connectorId, { lastError: error }).catch(() => undefined);
      this.logger.warn(`connector ${connectorId} (${provider}) sync ${fromDay}..${toDay} failed: ${error}`);
      // Provider refusals and bad answers are final for this run (its own retries are spent); anything else may pass on a retry.
      if (known) throw new UnrecoverableError(error);
      throw new Error(error);
    }
  }
}

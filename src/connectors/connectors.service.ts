import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ConflictError, InvalidError, NotFoundError } from '../common/errors.js';
import { decodeCursor, toPage } from '../common/pagination.js';
import type { Principal } from '../common/principal.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { addDays, dayOf, type ConnectorProvider } from '../domain/connectors/provider-lines.js';
import { scheduledRange } from '../domain/connectors/schedule.js';
import { DAY_MS } from '../domain/time.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { checkTarget, type TargetPolicy } from '../webhooks/target-guard.js';
import { CredentialSealer } from './credential-sealer.js';
import { ConnectorsRepository } from './connectors.repository.js';
import type { ConnectorRunDto, ConnectorDto, CreateConnectorDto } from './connectors.dto.js';
import type { Page } from '../common/pagination.js';

/** What listeners hear after a run succeeded: the connector's lines of [fromDay, toDay) were replaced. */
export interface ConnectorSyncedEvent {
  orgId: string;
  connectorId: string;
  provider: string;
  /** First UTC day, YYYY-MM-DD. */
  fromDay: string;
  /** Last UTC day, exclusive. */
  toDay: string;
}

export type SyncedListener = (e: ConnectorSyncedEvent) => Promise<void>;

/** Longest range one sync reads (days): a quarter, 3 to 4 pages of daily buckets per report. */
export const MAX_SYNC_DAYS = 93;
/** A queued or running scheduled run older than this (ms) no longer blocks the next one (its job was lost). */
const OPEN_RUN_TTL_MS = 2 * 3_600_000;
/** Earliest day a sync may start: before the providers' admin APIs existed. */
const EARLIEST_DAY = '2020-01-01';

type ConnectorRow = NonNullable<Awaited<ReturnType<ConnectorsRepository['find']>>>;
type RunRow = NonNullable<Awaited<ReturnType<ConnectorsRepository['findRun']>>>;

/** Deterministic job id of a run's sync: enqueueing it twice is a no-op. */
export function syncJobId(orgId: string, runId: string): string {
  return `connector-sync-${orgId}-${runId}`;
}

/**
 * Provider connectors: sealed credentials, runs, and the scheduled syncs.
 * The sync itself is ConnectorSyncService; listeners registered with
 * onSynced hear of every successful run (reconciliation registers here).
 */
@Injectable()
export class ConnectorsService {
  private readonly logger = new Logger(ConnectorsService.name);
  private readonly listeners: SyncedListener[] = [];
  readonly policy: TargetPolicy;

  constructor(
    private readonly repo: ConnectorsRepository,
    private readonly sealer: CredentialSealer,
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.policy = config.webhooks;
  }

  /** Registers a listener for successful runs; one failing (or throwing) never fails the run. */
  onSynced(listener: SyncedListener): void {
    this.listeners.push(listener);
  }

  /** Calls every listener in turn; failures are logged, never thrown. */
  async notifySynced(e: ConnectorSyncedEvent): Promise<void> {
    for (const l of this.listeners) {
      try {
        await l(e);
      } catch (err) {
        this.logger.warn(`a listener of connector ${e.connectorId} (${e.fromDay}..${e.toDay}) failed: ${(err as Error).message}`);
      }
    }
  }

  async create(orgId: string, principal: Principal, b: CreateConnectorDto): Promise<ConnectorDto> {
    const name = b.name.trim();
    let baseUrl: string | null = null;
    if (b.baseUrl !== undefined) {
      if (!this.config.connectors.allowBaseUrl) {
        throw new InvalidError('Invalid request: baseUrl', [{ field: 'baseUrl', message: 'is not accepted by this deployment (the operator sets CONNECTOR_ALLOW_BASE_URL=true to allow it)' }]);
      }
      const target = await checkTarget(b.baseUrl, this.policy);
      if (!target.ok) throw new InvalidError(`Invalid request: baseUrl`, [{ field: 'baseUrl', message: target.reason.replace(/^url/, 'baseUrl') }]);
      const u = new URL(b.baseUrl);
      if (u.search || u.hash) throw new InvalidError('Invalid request: baseUrl', [{ field: 'baseUrl', message: 'baseUrl must not carry a query or a fragment' }]);
      baseUrl = b.baseUrl.replace(/\/+$/, '');
    }
    const id = randomUUID();
    const { keyId, sealed } = this.sealer.seal(orgId, id, { adminKey: b.credentials.adminKey });
    try {
      const row = await this.repo.create(orgId, { id, provider: b.provider, name, keyId, sealed, baseUrl, createdBy: principal.kind === 'user' ? principal.userId : null });
      return this.view(row);
    } catch (e) {
      if ((e as { code?: string }).code === 'P2002') throw new ConflictError(`A connector named "${name}" already exists`, [{ field: 'name', message: 'is already used by another connector of this org' }]);
      throw e;
    }
  }

  async list(orgId: string, limit = 100, cursor?: string): Promise<Page<ConnectorDto>> {
    const after = decodeCursor<{ at: string; id: string }>(cursor);
    const rows = await this.repo.list(orgId, limit, after);
    const page = toPage(rows, limit, (r) => ({ at: r.createdAt.toISOString(), id: r.id }));
    return { data: page.data.map((r) => this.view(r)), nextCursor: page.nextCursor };
  }

  /** When each of the org's connectors last synced and which days are final: what reconciliation reports beside its figures. */
  syncStatus(orgId: string) {
    return this.repo.syncStatus(orgId);
  }

  async get(orgId: string, id: string): Promise<ConnectorDto> {
    const row = await this.mustFind(orgId, id);
    return { ...this.view(row), stored: await this.repo.stored(orgId, id) };
  }

  async remove(orgId: string, id: string): Promise<void> {
    if (!(await this.repo.delete(orgId, id))) throw new NotFoundError(`Connector ${id} not found`);
  }

  async mustFind(orgId: string, id: string): Promise<ConnectorRow> {
    const row = await this.repo.find(orgId, id);
    if (!row) throw new NotFoundError(`Connector ${id} not found`);
    return row;
  }

  /** Starts a manual sync of [from, to) (UTC days, `to` exclusive): one run, one job. */
  async startSync(orgId: string, connectorId: string, from: string, to: string, now = new Date()): Promise<ConnectorRunDto> {
    const fromMs = Date.parse(`${from}T00:00:00Z`);
    const toMs = Date.parse(`${to}T00:00:00Z`);
    const fields: { field: string; message: string }[] = [];
    if (!Number.isFinite(fromMs) || dayOf(fromMs) !== from) fields.push({ field: 'from', message: 'from is not a calendar day' });
    if (!Number.isFinite(toMs) || dayOf(toMs) !== to) fields.push({ field: 'to', message: 'to is not a calendar day' });
    if (!fields.length) {
      const tomorrow = addDays(dayOf(now.getTime()), 1);
      if (from < EARLIEST_DAY) fields.push({ field: 'from', message: `from must be ${EARLIEST_DAY} or later` });
      if (toMs <= fromMs) fields.push({ field: 'to', message: 'to must be after from (to is exclusive)' });
      else if ((toMs - fromMs) / DAY_MS > MAX_SYNC_DAYS) fields.push({ field: 'to', message: `the range may span at most ${MAX_SYNC_DAYS} days` });
      if (to > tomorrow) fields.push({ field: 'to', message: `to must be ${tomorrow} (tomorrow, so today is included) or earlier` });
    }
    if (fields.length) throw new InvalidError(`Invalid request: ${fields.map((f) => f.field).join(', ')}`, fields);
    await this.mustFind(orgId, connectorId);
    const run = await this.enqueueRun(orgId, connectorId, 'manual', from, to);
    return this.runView(run);
  }

  private async enqueueRun(orgId: string, connectorId: string, trigger: 'manual' | 'daily' | 'hourly', from: string, to: string): Promise<RunRow> {
    const run = await this.repo.createRun(orgId, connectorId, trigger, from, to);
    try {
      await this.queues.enqueue('connectors', 'sync', { orgId, connectorId, runId: run.id }, { jobId: syncJobId(orgId, run.id), attempts: 2 });
    } catch (err) {
      // No job will ever run it: the run says so rather than staying queued; the caller gets the 503 to retry.
      await this.repo.updateRun(orgId, run.id, { status: 'failed', error: 'the job queue was unreachable; start the sync again', finishedAt: new Date() });
      throw err;
    }
    return run;
  }

  async runs(orgId: string, connectorId: string, limit = 100, cursor?: string): Promise<Page<ConnectorRunDto>> {
    await this.mustFind(orgId, connectorId);
    const after = decodeCursor<{ at: string; id: string }>(cursor);
    const rows = await this.repo.listRuns(orgId, connectorId, limit, after);
    const page = toPage(rows, limit, (r) => ({ at: r.createdAt.toISOString(), id: r.id }));
    return { data: page.data.map((r) => this.runView(r)), nextCursor: page.nextCursor };
  }

  async run(orgId: string, connectorId: string, runId: string): Promise<ConnectorRunDto> {
    const r = await this.repo.findRun(orgId, connectorId, runId);
    if (!r) throw new NotFoundError(`Run ${runId} not found`);
    return this.runView(r);
  }

  /**
   * The scheduled fan-out, across orgs (ranges: scheduledRange): `daily` re-reads every connector's last
   * days (1-day buckets), `hourly` the days not yet final through today (1-hour buckets, today partial).
   * A connector whose run of the same kind is still open gets no second one.
   */
  async schedule(mode: 'daily' | 'hourly', now = new Date()): Promise<{ connectors: number; started: number }> {
    const today = dayOf(now.getTime());
    const all = await this.repo.allConnectors();
    let started = 0;
    for (const c of all) {
      try {
        if (await this.repo.hasOpenRun(c.orgId, c.id, mode, new Date(now.getTime() - OPEN_RUN_TTL_MS))) continue;
        const { from, to } = scheduledRange(mode, today, c.finalBefore);
        await this.enqueueRun(c.orgId, c.id, mode, from, to);
        started++;
      } catch (e) {
        this.logger.warn(`scheduled ${mode} sync of connector ${c.id} not started: ${(e as Error).message}`);
      }
    }
    return { connectors: all.length, started };
  }

  view(r: ConnectorRow): ConnectorDto {
    return {
      id: r.id,
      provider: r.provider,
      name: r.name,
      baseUrl: r.baseUrl,
      sealedWithKeyId: r.keyId,
      createdAt: r.createdAt.toISOString(),
      lastSyncedAt: r.lastSyncedAt?.toISOString() ?? null,
      finalBefore: r.finalBefore ? dayOf(r.finalBefore.getTime()) : null,
      lastError: r.lastError,
    };
  }

  runView(r: RunRow): ConnectorRunDto {
    return {
      id: r.id,
      connectorId: r.connectorId,
      trigger: r.trigger,
      from: dayOf(r.fromDay.getTime()),
      to: dayOf(r.toDay.getTime()),
      status: r.status,
      pages: r.pages,
      costLines: r.costLines,
      usageLines: r.usageLines,
      retries: r.retries,
      progress: r.progress as unknown as ConnectorRunDto['progress'],
      error: r.error,
      createdAt: r.createdAt.toISOString(),
      startedAt: r.startedAt?.toISOString() ?? null,
      finishedAt: r.finishedAt?.toISOString() ?? null,
    };
  }

  provider(r: ConnectorRow): ConnectorProvider {
    return r.provider as ConnectorProvider;
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { DAY_MS } from '../domain/time.js';
import { MeteringService } from '../metering/metering.service.js';
import { OrgSettingsService } from '../orgs/org-settings.service.js';
import { RetentionRepository } from './retention.repository.js';

const BATCH = 5_000;

/**
 * Drops raw events older than an org's retention (whole UTC days) while the
 * hourly rollups stay, so reports keep working. Before purging, every dirty
 * hour in the range is rolled up, so nothing is lost; afterwards
 * `retained_from` marks the horizon: those hours are never recomputed, and
 * ingest refuses events before it (they could no longer be counted exactly).
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly repo: RetentionRepository,
    private readonly settings: OrgSettingsService,
    private readonly metering: MeteringService,
  ) {}

  orgsWithRetention(): Promise<{ orgId: string; days: number }[]> {
    return this.repo.orgsWithRetention();
  }

  async get(orgId: string): Promise<{ days: number | null; retainedFrom: string | null }> {
    const [days, from] = await Promise.all([this.settings.retentionDays(orgId), this.settings.retainedFrom(orgId)]);
    return { days, retainedFrom: from?.toISOString() ?? null };
  }

  async put(orgId: string, days: number | null) {
    await this.settings.putRetention(orgId, days);
    return this.get(orgId);
  }

  /** The nightly job for one org: purges by its current setting, if it has one. */
  async purgeBySetting(orgId: string) {
    const days = await this.settings.retentionDays(orgId);
    return days ? this.purge(orgId, days) : { skipped: 'no retention set' };
  }

  async purge(orgId: string, days: number, now = new Date()): Promise<{ cutoff: string; deleted: number }> {
    const cutoff = new Date(Math.floor((now.getTime() - days * DAY_MS) / DAY_MS) * DAY_MS);
    await this.metering.rollUpBefore(orgId, cutoff);
    // The horizon moves first: a rollup of an hour being purged, racing with
    // the delete, then keeps its rows instead of recomputing from half the events.
    await this.settings.advanceRetainedFrom(orgId, cutoff);
    let deleted = 0;
    for (;;) {
      const n = await this.repo.deleteBefore(orgId, cutoff, BATCH);
      deleted += n;
      if (n < BATCH) break;
    }
    if (deleted) this.logger.log(`retention: ${deleted} raw events before ${cutoff.toISOString()} purged for ${orgId}`);
    return { cutoff: cutoff.toISOString(), deleted };
  }
}

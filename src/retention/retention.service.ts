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

  /**
   * Purges raw events before whole UTC day `cutoff`, in an order that loses nothing and counts nothing twice:
   * 1. the horizon moves first, under a row lock that waits for ingest batches in flight (they read the horizon
   *    under a key-share lock), so afterwards no event before the cutoff can still arrive;
   * 2. every dirty hour before the cutoff is rolled up, the hours those last batches marked included;
   * 3. raw events go, in small batches.
   * Other rollups of the org wait for the purge (they could read half-deleted hours).
   */
  async purge(orgId: string, days: number, now = new Date()): Promise<{ cutoff: string; deleted: number }> {
    const cutoff = new Date(Math.floor((now.getTime() - days * DAY_MS) / DAY_MS) * DAY_MS);
    const deleted = await this.metering.whilePurging(orgId, async (rollUpBefore) => {
      await this.settings.advanceRetainedFrom(orgId, cutoff);
      await rollUpBefore(cutoff);
      let n = 0;
      for (;;) {
        const batch = await this.repo.deleteBefore(orgId, cutoff, BATCH);
        n += batch;
        if (batch < BATCH) return n;
      }
    });
    if (deleted) this.logger.log(`retention: ${deleted} raw events before ${cutoff.toISOString()} purged for ${orgId}`);
    return { cutoff: cutoff.toISOString(), deleted };
  }
}

import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { SettingsRepository, type SettingsSection } from './settings.repository.js';
import { SnapshotsRepository } from './snapshots.repository.js';

/**
 * The one home of an org's settings (assumptions, planner, digest schedule,
 * retention and its horizon) and of its stored answers (snapshots). Every
 * feature reads them here; nothing else queries those tables.
 */
@Injectable()
export class OrgSettingsService {
  constructor(
    private readonly settings: SettingsRepository,
    private readonly snapshots: SnapshotsRepository,
  ) {}

  get(orgId: string) {
    return this.settings.get(orgId);
  }

  put(orgId: string, section: SettingsSection, value: Record<string, unknown>): Promise<void> {
    return this.settings.put(orgId, section, value);
  }

  /** Days of raw events kept (null: forever). */
  async retentionDays(orgId: string): Promise<number | null> {
    return (await this.settings.get(orgId)).retentionDays;
  }

  putRetention(orgId: string, days: number | null): Promise<void> {
    return this.settings.putRetention(orgId, days);
  }

  /** The retention horizon: raw events before it were purged (null: nothing purged). */
  retainedFrom(orgId: string): Promise<Date | null> {
    return this.settings.retainedFrom(orgId);
  }

  /** The horizon read inside the caller's transaction. */
  retainedFromWithin(c: PoolClient, orgId: string): Promise<Date | null> {
    return this.settings.retainedFromWithin(c, orgId);
  }

  /** Moves the horizon forward (never back), before raw events are purged. */
  advanceRetainedFrom(orgId: string, cutoff: Date): Promise<void> {
    return this.settings.advanceRetainedFrom(orgId, cutoff);
  }

  snapshot(orgId: string, kind: string, scope: string) {
    return this.snapshots.snapshot(orgId, kind, scope);
  }

  saveSnapshot(orgId: string, kind: string, scope: string, data: unknown) {
    return this.snapshots.saveSnapshot(orgId, kind, scope, data);
  }
}

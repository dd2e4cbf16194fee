import { Injectable, Logger } from '@nestjs/common';
import type { Role } from '../generated/prisma/enums.js';
import { OrgsRepository, type MemberRow } from './orgs.repository.js';
import { ProjectsRepository } from './projects.repository.js';

export interface CreatedOrg {
  id: string;
  name: string;
  timezone: string;
  createdAt: Date;
}

/** Called after an org is created (e.g. digests register its default schedule); a failure is logged, never undoes the signup. */
export type OrgCreatedHook = (org: CreatedOrg) => Promise<void>;

/**
 * Organisations, users, memberships and projects as other features see
 * them. Features that must react to a new org register a hook here instead
 * of being called by whoever creates it (signup does not know digests).
 */
@Injectable()
export class OrgsService {
  private readonly logger = new Logger(OrgsService.name);
  private readonly createdHooks: OrgCreatedHook[] = [];

  constructor(
    private readonly orgs: OrgsRepository,
    private readonly projects: ProjectsRepository,
  ) {}

  onOrgCreated(hook: OrgCreatedHook): void {
    this.createdHooks.push(hook);
  }

  /** Creates an org with its owner in one transaction, then runs the hooks. */
  async createOrgWithOwner(input: Parameters<OrgsRepository['createOrgWithOwner']>[0]) {
    const created = await this.orgs.createOrgWithOwner(input);
    for (const hook of this.createdHooks) {
      await hook(created.org).catch((e) => this.logger.warn(`org-created hook failed for ${created.org.id}: ${(e as Error).message}`));
    }
    return created;
  }

  findUserByEmail(email: string): Promise<{ id: string; passwordHash: string } | null> {
    return this.orgs.findUserByEmail(email);
  }

  membershipsOfUser(userId: string): Promise<{ orgId: string; id: string; role: Role }[]> {
    return this.orgs.membershipsOfUser(userId);
  }

  findMembership(orgId: string, membershipId: string): Promise<MemberRow | null> {
    return this.orgs.findMembership(orgId, membershipId);
  }

  /** The org's IANA time zone (UTC when unset). */
  timezone(orgId: string): Promise<string> {
    return this.orgs.timezone(orgId);
  }

  /** Every org with its time zone and digest settings (schedulers only: crosses tenants). */
  schedules(): Promise<{ orgId: string; timezone: string; digest: Record<string, unknown> }[]> {
    return this.orgs.schedules();
  }

  /** The project's id, created on first use. */
  ensureProject(orgId: string, slug: string): Promise<string> {
    return this.projects.ensureProject(orgId, slug);
  }

  /** The org's display name (null when the org is gone). */
  async orgName(orgId: string): Promise<string | null> {
    return (await this.orgs.findOrg(orgId))?.name ?? null;
  }

  async projectSlug(orgId: string, projectId: string): Promise<string | null> {
    return (await this.projects.findProjectById(orgId, projectId))?.slug ?? null;
  }
}

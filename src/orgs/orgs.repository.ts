import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Role } from '../generated/prisma/enums.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';

export interface MemberRow {
  id: string;
  userId: string;
  email: string;
  role: Role;
  createdAt: Date;
}

/** Organisations, users and memberships. The only code that touches those tables. */
@Injectable()
export class OrgsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates an org with its owner in one transaction; returns the ids. */
  async createOrgWithOwner(input: { orgName: string; email: string; passwordHash: string; timezone?: string }) {
    const orgId = randomUUID();
    const userId = randomUUID();
    return this.prisma.tenant(orgId, async (tx) => {
      const org = await tx.organization.create({ data: { id: orgId, name: input.orgName, timezone: input.timezone ?? 'UTC' } });
      // createMany: no RETURNING, which RLS would refuse before the membership exists.
      await tx.user.createMany({ data: [{ id: userId, email: input.email.toLowerCase(), passwordHash: input.passwordHash }] });
      const membership = await tx.membership.create({ data: { orgId, userId, role: 'owner' } });
      return { org, userId, membershipId: membership.id };
    });
  }

  /** Looks a user up across orgs by email (for login), through the one cross-tenant function. */
  async findUserByEmail(email: string): Promise<{ id: string; passwordHash: string } | null> {
    const rows = await this.prisma.$queryRaw<{ id: string; password_hash: string }[]>`
      SELECT id, password_hash FROM crossover_find_user_by_email(${email.toLowerCase()})`;
    return rows[0] ? { id: rows[0].id, passwordHash: rows[0].password_hash } : null;
  }

  /** The orgs a user belongs to, oldest membership first. */
  async membershipsOfUser(userId: string): Promise<{ orgId: string; id: string; role: Role }[]> {
    const rows = await this.prisma.$queryRaw<{ org_id: string; id: string; role: Role }[]>`
      SELECT org_id, id, role FROM crossover_user_memberships(${userId}::uuid)`;
    return rows.map((r) => ({ orgId: r.org_id, id: r.id, role: r.role }));
  }

  async findOrg(orgId: string) {
    return this.prisma.tenant(orgId, (tx) => tx.organization.findUnique({ where: { id: orgId } }));
  }

  async findMembership(orgId: string, membershipId: string): Promise<MemberRow | null> {
    return this.prisma.tenant(orgId, async (tx) => {
      const m = await tx.membership.findUnique({ where: { orgId_id: { orgId, id: membershipId } }, include: { user: true } });
      return m ? { id: m.id, userId: m.userId, email: m.user.email, role: m.role, createdAt: m.createdAt } : null;
    });
  }

  async listMembers(orgId: string, page: { limit: number; after?: string }): Promise<MemberRow[]> {
    return this.prisma.tenant(orgId, async (tx) => {
      const rows = await tx.membership.findMany({
        where: { orgId, ...(page.after ? { id: { gt: page.after } } : {}) },
        include: { user: true },
        orderBy: { id: 'asc' },
        take: page.limit,
      });
      return rows.map((m) => ({ id: m.id, userId: m.userId, email: m.user.email, role: m.role, createdAt: m.createdAt }));
    });
  }

  /**
   * Adds a member: an existing user (found by email) or a new one with the
   * given password hash. Returns null when the user is already a member.
   */
  async addMember(orgId: string, input: { email: string; role: Role; newPasswordHash: string }): Promise<{ member: MemberRow; created: boolean } | null> {
    const email = input.email.toLowerCase();
    const existing = await this.findUserByEmail(email);
    return this.prisma.tenant(orgId, async (tx) => {
      let userId = existing?.id;
      if (!userId) {
        userId = randomUUID();
        await tx.user.createMany({ data: [{ id: userId, email, passwordHash: input.newPasswordHash }] });
      }
      const already = await tx.membership.findUnique({ where: { orgId_userId: { orgId, userId } } });
      if (already) return null;
      const m = await tx.membership.create({ data: { orgId, userId, role: input.role } });
      return { member: { id: m.id, userId, email, role: m.role, createdAt: m.createdAt }, created: !existing };
    });
  }

  /**
   * Changes a member's role, or removes them (`next` null), unless that would leave the org without an owner.
   * The org's owner rows are locked first (FOR UPDATE, index memberships(org_id, ...)), so two owners demoting
   * each other at once are serialised: the second sees one owner left and is refused.
   */
  async changeMemberKeepingAnOwner(orgId: string, membershipId: string, next: Role | null): Promise<'ok' | 'last-owner' | 'not-found'> {
    return this.prisma.tenant(orgId, async (tx) => {
      const owners = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM memberships WHERE org_id = ${orgId}::uuid AND role = 'owner' FOR UPDATE`;
      const m = await tx.membership.findUnique({ where: { orgId_id: { orgId, id: membershipId } } });
      if (!m) return 'not-found';
      const losesOwner = m.role === 'owner' && next !== 'owner';
      if (losesOwner && owners.filter((o) => o.id !== membershipId).length === 0) return 'last-owner';
      if (next === null) await tx.membership.delete({ where: { orgId_id: { orgId, id: membershipId } } });
      else await tx.membership.update({ where: { orgId_id: { orgId, id: membershipId } }, data: { role: next } });
      return 'ok';
    });
  }

  /** Every org with its time zone and digest settings, through the schedulers' one cross-tenant function. */
  async schedules(): Promise<{ orgId: string; timezone: string; digest: Record<string, unknown> }[]> {
    const r = await this.prisma.pool.query(`SELECT org_id, timezone, digest FROM crossover_digest_schedules()`);
    return r.rows.map((x) => ({ orgId: x.org_id, timezone: x.timezone, digest: x.digest }));
  }

  timezone(orgId: string) {
    return this.prisma.tenant(orgId, async (tx) => (await tx.organization.findUnique({ where: { id: orgId } }))?.timezone ?? 'UTC');
  }
}

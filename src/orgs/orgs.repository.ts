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
  /** When the user last changed their password (tokens issued before are refused); only on single-member reads. */
  passwordChangedAt?: Date | null;
}

export interface InvitationRow {
  id: string;
  email: string;
  role: Role;
  expiresAt: Date;
  createdAt: Date;
}

function invitationRow(i: { id: string; email: string; role: Role; expiresAt: Date; createdAt: Date }): InvitationRow {
  return { id: i.id, email: i.email, role: i.role, expiresAt: i.expiresAt, createdAt: i.createdAt };
}

/** Organisations, users and memberships. The only code that touches those tables. */
@Injectable()
export class OrgsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates an org with its owner in one transaction; returns the ids. */
  /** A new org owned by a new account (`passwordHash`) or by an existing one (`userId`, its password already checked). */
  async createOrgWithOwner(input: { orgName: string; email: string; timezone?: string } & ({ passwordHash: string } | { userId: string })) {
    const orgId = randomUUID();
    const userId = 'userId' in input ? input.userId : randomUUID();
    return this.prisma.tenant(orgId, async (tx) => {
      const org = await tx.organization.create({ data: { id: orgId, name: input.orgName, timezone: input.timezone ?? 'UTC' } });
      // createMany: no RETURNING, which RLS would refuse before the membership exists.
      if ('passwordHash' in input) await tx.user.createMany({ data: [{ id: userId, email: input.email.toLowerCase(), passwordHash: input.passwordHash }] });
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
      // A membership removed between the two reads leaves its user invisible (RLS): gone, as far as callers go.
      return m && m.user ? { id: m.id, userId: m.userId, email: m.user.email, role: m.role, createdAt: m.createdAt, passwordChangedAt: m.user.passwordChangedAt } : null;
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

  /** Stores an invitation (only the token's SHA-256); null when the email already belongs to a member. */
  async createInvitation(orgId: string, input: { email: string; role: Role; tokenHash: Buffer; expiresAt: Date; invitedBy: string | null }): Promise<InvitationRow | null> {
    const email = input.email.toLowerCase();
    return this.prisma.tenant(orgId, async (tx) => {
      const member = await tx.membership.findFirst({ where: { orgId, user: { email } } });
      if (member) return null;
      const i = await tx.invitation.create({ data: { orgId, email, role: input.role, tokenHash: new Uint8Array(input.tokenHash), expiresAt: input.expiresAt, invitedBy: input.invitedBy } });
      return invitationRow(i);
    });
  }

  /** Pending (not accepted) invitations, newest first, strictly after `before` in (createdAt, id) order. */
  async listInvitations(orgId: string, page: { limit: number; before?: { createdAt: Date; id: string } }): Promise<InvitationRow[]> {
    const b = page.before;
    return this.prisma.tenant(orgId, async (tx) =>
      (
        await tx.invitation.findMany({
          where: { orgId, acceptedAt: null, ...(b ? { OR: [{ createdAt: { lt: b.createdAt } }, { createdAt: b.createdAt, id: { lt: b.id } }] } : {}) },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: page.limit,
        })
      ).map(invitationRow),
    );
  }

  /** Deletes a pending invitation; false when there is none with that id. */
  async revokeInvitation(orgId: string, id: string): Promise<boolean> {
    return this.prisma.tenant(orgId, async (tx) => (await tx.invitation.deleteMany({ where: { orgId, id, acceptedAt: null } })).count > 0);
  }

  /** The invitation a token opens, across orgs (before the org is known), through the one definer function. */
  async findInvitationByToken(tokenHash: Buffer): Promise<{ orgId: string; id: string; email: string; role: Role; expiresAt: Date; acceptedAt: Date | null } | null> {
    const rows = await this.prisma.$queryRaw<{ org_id: string; id: string; email: string; role: Role; expires_at: Date; accepted_at: Date | null }[]>`
      SELECT org_id, id, email, role, expires_at, accepted_at FROM crossover_find_invitation(${tokenHash})`;
    const r = rows[0];
    return r ? { orgId: r.org_id, id: r.id, email: r.email, role: r.role, expiresAt: r.expires_at, acceptedAt: r.accepted_at } : null;
  }

  /**
   * Accepts an invitation once: the row is locked, checked (pending, not expired), the user created when
   * `newPasswordHash` is given (the email had no account), the membership added and the invitation closed,
   * all in one transaction. Returns null when it was already used, expired, or the user is already a member.
   */
  async acceptInvitation(orgId: string, invitationId: string, user: { id: string } | { newPasswordHash: string }): Promise<MemberRow | null> {
    return this.prisma.tenant(orgId, async (tx) => {
      const [inv] = await tx.$queryRaw<{ email: string; role: Role; expires_at: Date; accepted_at: Date | null }[]>`
        SELECT email, role, expires_at, accepted_at FROM invitations WHERE org_id = ${orgId}::uuid AND id = ${invitationId}::uuid FOR UPDATE`;
      if (!inv || inv.accepted_at !== null || inv.expires_at.getTime() <= Date.now()) return null;
      let userId: string;
      if ('id' in user) userId = user.id;
      else {
        userId = randomUUID();
        await tx.user.createMany({ data: [{ id: userId, email: inv.email, passwordHash: user.newPasswordHash }] });
      }
      if (await tx.membership.findUnique({ where: { orgId_userId: { orgId, userId } } })) return null;
      const m = await tx.membership.create({ data: { orgId, userId, role: inv.role } });
      await tx.invitation.update({ where: { orgId_id: { orgId, id: invitationId } }, data: { acceptedAt: new Date() } });
      return { id: m.id, userId, email: inv.email, role: m.role, createdAt: m.createdAt };
    });
  }

  /** Replaces a user's password hash and revokes their earlier access tokens (password_changed_at), within an org they belong to. */
  async changePassword(orgId: string, userId: string, passwordHash: string): Promise<Date> {
    const at = new Date();
    await this.prisma.tenant(orgId, (tx) => tx.user.update({ where: { id: userId }, data: { passwordHash, passwordChangedAt: at } }));
    return at;
  }

  /** The user's current password hash, read within an org they belong to. */
  async passwordHashOf(orgId: string, userId: string): Promise<string | null> {
    return this.prisma.tenant(orgId, async (tx) => (await tx.user.findUnique({ where: { id: userId } }))?.passwordHash ?? null);
  }

  /**
   * Adds a member: an existing user (found by email) or a new one with the
   * given password hash. Returns null when the user is already a member.
   * Only signup-time and seed paths use it: people join an org through invitations.
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
  /**
   * Changes a member's role (null: removes them) unless that would leave no owner. A person who leaves or
   * drops below admin loses the admin-scoped API keys attributed to them in the same transaction: an admin
   * key can mint keys and members, so it must not outlive its person's right to do so. Narrower keys (ingest,
   * read) belong to the services using them and keep working; admins see their `createdBy` to rotate them.
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
      if (next !== 'owner' && next !== 'admin') {
        await tx.apiKey.updateMany({ where: { orgId, createdBy: m.userId, revokedAt: null, scopes: { has: 'admin' } }, data: { revokedAt: new Date() } });
      }
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

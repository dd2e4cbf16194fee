import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, UnauthenticatedError } from '../common/errors.js';
import type { Role } from '../generated/prisma/enums.js';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './password.js';
import type { Principal } from '../common/principal.js';
import { OrgsRepository, type InvitationRow, type MemberRow } from './orgs.repository.js';
import { ApiKeyCache } from '../common/api-key-cache.js';
import { decodeCursor, toPage } from '../common/pagination.js';

/** How long an invitation token stays valid (ms): a week. */
export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;
/** Shortest password accepted when an account is created or a password changed (characters). */
export const MIN_PASSWORD_LENGTH = 10;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notACursor = () => new InvalidError('Invalid request: cursor', [{ field: 'cursor', message: 'is not a cursor returned by this API' }]);

const tokenHash = (token: string) => createHash('sha256').update(token).digest();

function invitationView(i: InvitationRow) {
  return { id: i.id, email: i.email, role: i.role, expiresAt: i.expiresAt.toISOString(), createdAt: i.createdAt.toISOString() };
}

function view(m: MemberRow) {
  return { id: m.id, userId: m.userId, email: m.email, role: m.role, createdAt: m.createdAt.toISOString() };
}

/**
 * Membership rules: people join through invitations they accept (an email is
 * never trusted to name an account: nobody verified it), only an owner grants
 * or changes the owner role, and an organisation always keeps at least one owner.
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly orgs: OrgsRepository,
    private readonly keyCache: ApiKeyCache,
  ) {}

  /**
   * Invites an email with a role: a one-time token, shown only in this answer, that the inviter delivers
   * through their own channel. The answer is the same whether or not an account uses that email.
   */
  async invite(p: Principal, input: { email: string; role: Role }) {
    this.assertMayTouchOwners(p, input.role);
    const token = `cxinv_${randomBytes(24).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
    const invitedBy = p.kind === 'user' ? p.userId : null;
    const created = await this.orgs.createInvitation(p.orgId, { email: input.email, role: input.role, tokenHash: tokenHash(token), expiresAt, invitedBy });
    if (!created) throw new ConflictError(`${input.email.toLowerCase()} is already a member`);
    return { invitation: invitationView(created), token, accept: 'POST /v1/invitations/accept {"token", "password"}: the password of the account with this email, or a new one (at least 10 characters) when there is none' };
  }

  /** A page of pending invitations, newest first; `cursor` is a nextCursor of an earlier page (400 otherwise). */
  async invitations(orgId: string, limit: number, cursor?: string) {
    const c = decodeCursor<{ createdAt: string; id: string }>(cursor);
    if (c && (typeof c.createdAt !== 'string' || typeof c.id !== 'string' || !UUID.test(c.id))) throw notACursor();
    const rows = await this.orgs.listInvitations(orgId, { limit: limit + 1, before: c ? { createdAt: new Date(c.createdAt), id: c.id } : undefined });
    const page = toPage(rows, limit, (last) => ({ createdAt: last.createdAt.toISOString(), id: last.id }));
    return { data: page.data.map(invitationView), nextCursor: page.nextCursor };
  }

  async revokeInvitation(orgId: string, id: string) {
    if (!(await this.orgs.revokeInvitation(orgId, id))) throw new NotFoundError(`Invitation ${id} not found`);
  }

  /**
   * Accepts an invitation with its token. When an account already uses the email, its password must be given
   * (whoever registered the email first does not get the org by default); otherwise the account is created with it.
   */
  async accept(token: string, password: string): Promise<{ orgId: string; member: MemberRow }> {
    const inv = typeof token === 'string' && token.startsWith('cxinv_') ? await this.orgs.findInvitationByToken(tokenHash(token)) : null;
    if (!inv || inv.acceptedAt !== null || inv.expiresAt.getTime() <= Date.now()) throw new NotFoundError('Invitation not found, already used or expired');
    const existing = await this.orgs.findUserByEmail(inv.email);
    let member: MemberRow | null;
    if (existing) {
      if (!(await verifyPassword(password, existing.passwordHash))) throw new UnauthenticatedError('An account uses this email: give its password to accept');
      member = await this.orgs.acceptInvitation(inv.orgId, inv.id, { id: existing.id });
    } else {
      this.assertPasswordStrength(password, 'password');
      member = await this.orgs.acceptInvitation(inv.orgId, inv.id, { newPasswordHash: await hashPassword(password) });
    }
    if (!member) throw new NotFoundError('Invitation not found, already used or expired');
    return { orgId: inv.orgId, member };
  }

  /** Changes the caller's password (the current one is checked); access tokens issued before are refused from now on. */
  async changePassword(p: Principal, currentPassword: string, newPassword: string): Promise<Date> {
    if (p.kind !== 'user') throw new ForbiddenError('Only a person signed in with a password can change it');
    const stored = await this.orgs.passwordHashOf(p.orgId, p.userId);
    if (!(await verifyPassword(currentPassword, stored ?? (await DUMMY_HASH_PROMISE)))) throw new UnauthenticatedError('The current password is wrong');
    this.assertPasswordStrength(newPassword, 'newPassword');
    return this.orgs.changePassword(p.orgId, p.userId, await hashPassword(newPassword));
  }

  private assertPasswordStrength(password: string, field: string) {
    if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH || password.length > 200) {
      throw new InvalidError(`Invalid request: ${field}`, [{ field, message: `must be ${MIN_PASSWORD_LENGTH} to 200 characters` }]);
    }
  }

  async list(orgId: string, limit: number, after?: string) {
    if (after !== undefined && !UUID.test(after)) throw notACursor();
    const rows = await this.orgs.listMembers(orgId, { limit: limit + 1, after });
    const data = rows.slice(0, limit).map(view);
    return { data, nextCursor: rows.length > limit ? data[data.length - 1].id : null };
  }

  async updateRole(p: Principal, id: string, role: Role) {
    const m = await this.get(p.orgId, id);
    this.assertMayTouchOwners(p, role, m.role);
    const changed = await this.orgs.changeMemberKeepingAnOwner(p.orgId, id, role);
    // Removing or demoting a person revokes the admin keys descended from them.
    this.keyCache.clear();
    this.assertChanged(changed, id);
    return view({ ...m, role });
  }

  async remove(p: Principal, id: string) {
    const m = await this.get(p.orgId, id);
    this.assertMayTouchOwners(p, m.role);
    const changed = await this.orgs.changeMemberKeepingAnOwner(p.orgId, id, null);
    // Removing or demoting a person revokes the admin keys descended from them.
    this.keyCache.clear();
    this.assertChanged(changed, id);
  }

  private async get(orgId: string, id: string): Promise<MemberRow> {
    const m = await this.orgs.findMembership(orgId, id);
    if (!m) throw new NotFoundError(`Member ${id} not found`);
    return m;
  }

  private assertMayTouchOwners(p: Principal, ...roles: Role[]) {
    const callerIsOwner = p.kind === 'user' && p.role === 'owner';
    if (roles.includes('owner') && !callerIsOwner) throw new ForbiddenError('Only an owner can grant, change or remove the owner role');
  }

  private assertChanged(outcome: 'ok' | 'last-owner' | 'not-found', id: string) {
    if (outcome === 'last-owner') throw new ConflictError('An organisation must keep at least one owner');
    if (outcome === 'not-found') throw new NotFoundError(`Member ${id} not found`);
  }
}

import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../common/errors.js';
import type { Role } from '../generated/prisma/enums.js';
import { hashPassword } from './password.js';
import type { Principal } from '../common/principal.js';
import { OrgsRepository, type MemberRow } from './orgs.repository.js';

function view(m: MemberRow) {
  return { id: m.id, userId: m.userId, email: m.email, role: m.role, createdAt: m.createdAt.toISOString() };
}

/**
 * Membership rules: only an owner grants or changes the owner role, and an
 * organisation always keeps at least one owner.
 */
@Injectable()
export class MembersService {
  constructor(private readonly orgs: OrgsRepository) {}

  async add(p: Principal, input: { email: string; role: Role }) {
    this.assertMayTouchOwners(p, input.role);
    // New users get a one-time password, shown once, since Crossover sends no email.
    const temporaryPassword = randomBytes(12).toString('base64url');
    const added = await this.orgs.addMember(p.orgId, { email: input.email, role: input.role, newPasswordHash: await hashPassword(temporaryPassword) });
    if (!added) throw new ConflictError(`${input.email.toLowerCase()} is already a member`);
    return { ...view(added.member), ...(added.created ? { temporaryPassword } : {}) };
  }

  async list(orgId: string, limit: number, after?: string) {
    if (after !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(after)) {
      throw new InvalidError('Invalid request: cursor', [{ field: 'cursor', message: 'is not a cursor returned by this API' }]);
    }
    const rows = await this.orgs.listMembers(orgId, { limit: limit + 1, after });
    const data = rows.slice(0, limit).map(view);
    return { data, nextCursor: rows.length > limit ? data[data.length - 1].id : null };
  }

  async updateRole(p: Principal, id: string, role: Role) {
    const m = await this.get(p.orgId, id);
    this.assertMayTouchOwners(p, role, m.role);
    this.assertChanged(await this.orgs.changeMemberKeepingAnOwner(p.orgId, id, role), id);
    return view({ ...m, role });
  }

  async remove(p: Principal, id: string) {
    const m = await this.get(p.orgId, id);
    this.assertMayTouchOwners(p, m.role);
    this.assertChanged(await this.orgs.changeMemberKeepingAnOwner(p.orgId, id, null), id);
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

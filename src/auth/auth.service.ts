import { MembersService } from '../orgs/members.service.js';
import type { Principal } from '../common/principal.js';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { InvalidError, QuotaExceededError, UnauthenticatedError } from '../common/errors.js';
import { isValidTimeZone } from '../common/formats.js';
import { ApiKeysService } from '../api-keys/api-keys.service.js';
import { OrgsService } from '../orgs/orgs.service.js';
import { RedisService } from '../infra/redis/redis.service.js';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from '../orgs/password.js';
import type { AccessTokenClaims } from './jwt.strategy.js';

const FAILURE_WINDOW_SECONDS = 15 * 60;

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly orgs: OrgsService,
    private readonly apiKeys: ApiKeysService,
    private readonly jwt: JwtService,
    private readonly redis: RedisService,
    private readonly members: MembersService,
  ) {}

  /**
   * Creates an organisation and its owner. An email that already has an account is not refused with "exists"
   * (that would tell anyone which addresses are registered): the new org goes to that account when the password
   * is its password, and otherwise the answer is a failed sign-in (401), counted and throttled like one.
   */
  async signup(input: { orgName: string; email: string; password: string; timezone?: string }, ip: string) {
    if (input.timezone && !isValidTimeZone(input.timezone)) {
      throw new InvalidError('Invalid request: timezone', [{ field: 'timezone', message: 'must be an IANA time zone such as Europe/Paris' }]);
    }
    const email = input.email.toLowerCase();
    const counters = this.failureCounters(email, ip);
    await this.refuseIfThrottled(counters);
    const existing = await this.orgs.findUserByEmail(email);
    let owner: { passwordHash: string } | { userId: string };
    if (existing) {
      if (!(await verifyPassword(input.password, existing.passwordHash))) {
        await this.countFailure(counters);
        throw new UnauthenticatedError('Invalid email or password');
      }
      owner = { userId: existing.id };
    } else {
      owner = { passwordHash: await hashPassword(input.password) };
    }
    const { org, userId, membershipId } = await this.orgs.createOrgWithOwner({ orgName: input.orgName, email, timezone: input.timezone, ...owner });
    const key = await this.apiKeys.create(org.id, { name: 'First admin key', scopes: ['admin'], createdBy: userId });
    return {
      org: { id: org.id, name: org.name, timezone: org.timezone, createdAt: org.createdAt },
      user: { id: userId, email, role: 'owner' as const },
      accessToken: this.issueToken({ sub: userId, org: org.id, mid: membershipId }),
      tokenType: 'Bearer',
      expiresIn: this.config.auth.jwtTtlSeconds,
      apiKey: key,
    };
  }

  /** The failed-sign-in counters of an email and of an address (login and signup share them). */
  private failureCounters(email: string, ip: string): string[] {
    return [this.redis.key('login-fail', 'email', email), this.redis.key('login-fail', 'ip', ip)];
  }

  /** 401 without saying which part was wrong; too many failures for an email (or from an IP) → 429. */
  async login(input: { email: string; password: string; orgId?: string }, ip: string) {
    const email = input.email.toLowerCase();
    const counters = this.failureCounters(email, ip);
    await this.refuseIfThrottled(counters);
    const user = await this.orgs.findUserByEmail(email);
    // Verify against a dummy hash for unknown emails so the timing is the same.
    const ok = await verifyPassword(input.password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    const memberships = user && ok ? await this.orgs.membershipsOfUser(user.id) : [];
    const membership = input.orgId ? memberships.find((m) => m.orgId === input.orgId) : memberships[0];
    if (!user || !ok || !membership) {
      await this.countFailure(counters);
      throw new UnauthenticatedError('Invalid email or password');
    }
    await this.redis.client.del(counters[0]).catch(() => undefined);
    return {
      accessToken: this.issueToken({ sub: user.id, org: membership.orgId, mid: membership.id }),
      tokenType: 'Bearer',
      expiresIn: this.config.auth.jwtTtlSeconds,
      orgId: membership.orgId,
      role: membership.role,
      organizations: memberships.map((m) => ({ orgId: m.orgId, role: m.role })),
    };
  }

  /** Joins the org an invitation is for, then signs the person in to it (an access token for that membership). */
  async acceptInvitation(input: { token: string; password: string }) {
    const { orgId, member } = await this.members.accept(input.token, input.password);
    return {
      orgId,
      role: member.role,
      accessToken: this.issueToken({ sub: member.userId, org: orgId, mid: member.id }),
      tokenType: 'Bearer',
      expiresIn: this.config.auth.jwtTtlSeconds,
    };
  }

  /** Changes the caller's password; every access token issued before stops working, and a fresh one is returned. */
  async changePassword(p: Principal, input: { currentPassword: string; newPassword: string }) {
    await this.members.changePassword(p, input.currentPassword, input.newPassword);
    if (p.kind !== 'user') throw new Error('unreachable: changePassword refuses keys');
    // Its iat (whole seconds) is not before the change, so the refusal of older tokens spares it.
    return { accessToken: this.issueToken({ sub: p.userId, org: p.orgId, mid: p.membershipId }), tokenType: 'Bearer', expiresIn: this.config.auth.jwtTtlSeconds };
  }

  private issueToken(claims: AccessTokenClaims): string {
    return this.jwt.sign(claims, { expiresIn: this.config.auth.jwtTtlSeconds });
  }

  private async refuseIfThrottled(keys: string[]): Promise<void> {
    try {
      const [emailFails, ipFails] = await this.redis.client.mget(...keys);
      const max = this.config.auth.loginMaxFailures;
      // An IP gets more room than one account: offices share addresses.
      if (Number(emailFails ?? 0) >= max || Number(ipFails ?? 0) >= max * 10) {
        const ttl = await this.redis.client.ttl(Number(emailFails ?? 0) >= max ? keys[0] : keys[1]);
        throw new QuotaExceededError('Too many failed sign-in attempts; try again later', Math.max(1, ttl));
      }
    } catch (err) {
      if (err instanceof QuotaExceededError) throw err;
      // Redis down: sign-in still works, without the failure counter.
    }
  }

  private async countFailure(keys: string[]): Promise<void> {
    try {
      const multi = this.redis.client.multi();
      for (const k of keys) multi.incr(k).expire(k, FAILURE_WINDOW_SECONDS, 'NX');
      await multi.exec();
    } catch {
      /* Redis down: see refuseIfThrottled */
    }
  }
}


import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { OrgsService } from '../orgs/orgs.service.js';
import type { Principal } from '../common/principal.js';

export interface AccessTokenClaims {
  sub: string;
  org: string;
  mid: string;
  /** Issued at (s since epoch), set by the signer. */
  iat?: number;
}

/**
 * `Authorization: Bearer <JWT>` for people. The role is read from the
 * membership on every request, so a demotion or removal applies at once
 * rather than when the token expires.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly orgs: OrgsService,
  ) {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: config.auth.jwtSecret, algorithms: ['HS256'] });
  }

  async validate(claims: AccessTokenClaims): Promise<Principal | false> {
    const m = await this.orgs.findMembership(claims.org, claims.mid);
    if (!m || m.userId !== claims.sub) return false;
    // A password change revokes the tokens issued before it (whole seconds: iat has no finer grain).
    if (m.passwordChangedAt && (claims.iat ?? 0) < Math.floor(m.passwordChangedAt.getTime() / 1000)) return false;
    return { kind: 'user', orgId: claims.org, userId: claims.sub, membershipId: m.id, role: m.role };
  }
}

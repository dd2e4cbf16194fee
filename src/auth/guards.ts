import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ForbiddenError, UnauthenticatedError } from '../common/errors.js';
import { requestContext } from '../common/request-context.js';
import { IS_PUBLIC, REQUIRES } from './decorators.js';
import { allows, principalLabel, type Permission, type Principal } from './principal.js';

/** Global: every route needs a valid API key or JWT unless marked @Public. */
@Injectable()
export class AuthnGuard extends AuthGuard(['api-key', 'jwt']) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    return super.canActivate(context);
  }

  override handleRequest<T = Principal>(err: unknown, user: T | false): T {
    if (err) throw err;
    if (!user) throw new UnauthenticatedError('Missing or invalid credentials: send Authorization: Bearer <API key or access token>');
    const p = user as unknown as Principal;
    const store = requestContext.getStore();
    if (store) {
      store.orgId = p.orgId;
      store.principal = principalLabel(p);
    }
    return user;
  }
}

/** Global, after authentication: the route's @Requires permission against the role (users) or scopes (keys). */
@Injectable()
export class PermissionGuard {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const needed = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRES, targets);
    const principal = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    if (!principal) throw new UnauthenticatedError('Missing credentials');
    if (!needed) throw new ForbiddenError('This route declares no permission and is closed by default');
    if (!allows(principal, needed)) {
      const who = principal.kind === 'user' ? `role "${principal.role}"` : `scopes [${principal.scopes.join(', ')}]`;
      throw new ForbiddenError(`This action needs the "${needed}" permission, which ${who} does not grant`);
    }
    return true;
  }
}

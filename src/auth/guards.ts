import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Passport } from 'passport';
import { ApiKeyStrategy } from './api-key.strategy.js';
import { JwtStrategy } from './jwt.strategy.js';
import { ForbiddenError, UnauthenticatedError } from '../common/errors.js';
import { requestContext } from '../common/request-context.js';
import { verifySignature } from '../common/standard-webhooks.js';
import { IS_PUBLIC, REQUIRES } from '../common/decorators.js';
import { allows, principalLabel, type Permission, type Principal } from '../common/principal.js';

/**
 * Global: every route needs a valid API key or JWT unless marked @Public.
 *
 * The two passport strategies run through a Passport instance of this app's
 * own, not passport's process-wide singleton that @nestjs/passport's
 * AuthGuard uses: with the singleton, a second app in the same process (a
 * test booting two instances) would silently take over the first one's
 * strategies and their database connections.
 */
@Injectable()
export class AuthnGuard {
  private readonly passport = new Passport();

  constructor(
    private readonly reflector: Reflector,
    apiKeys: ApiKeyStrategy,
    jwt: JwtStrategy,
  ) {
    this.passport.use('api-key', apiKeys);
    this.passport.use('jwt', jwt);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<{ user?: Principal; query?: unknown; body?: unknown; headers: Record<string, string | string[] | undefined>; rawBody?: Buffer }>();
    // Credentials travel in the Authorization header only: a key in a URL ends up in logs, proxies and browser history.
    const inQuery = !!req.query && typeof req.query === 'object' && 'access_token' in req.query;
    const inBody = !!req.body && typeof req.body === 'object' && !Array.isArray(req.body) && 'access_token' in req.body;
    if (inQuery || inBody) throw new UnauthenticatedError(`Credentials in the ${inQuery ? 'URL' : 'body'} are refused: send Authorization: Bearer <API key or access token>`);
    const user = await new Promise<Principal | false>((resolve, reject) =>
      this.passport.authenticate(['api-key', 'jwt'], { session: false }, (err: unknown, u: Principal | false) => (err ? reject(err) : resolve(u)))(req, http.getResponse(), reject),
    );
    req.user = this.accept(user);
    // A key that signs its requests signs every one of them, on every route: stolen without its secret it
    // opens nothing. The signature covers the raw body (empty for a request without one).
    if (req.user.kind === 'api_key' && req.user.signingSecret) {
      const problem = verifySignature(req.user.signingSecret, req.headers, req.rawBody ?? Buffer.alloc(0));
      if (problem) throw new UnauthenticatedError(problem);
    }
    return true;
  }

  private accept(user: Principal | false): Principal {
    if (!user) throw new UnauthenticatedError('Missing or invalid credentials: send Authorization: Bearer <API key or access token>');
    const p = user;
    const store = requestContext.getStore();
    if (store) {
      store.orgId = p.orgId;
      store.principal = principalLabel(p);
    }
    return p;
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

import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Permission, Principal } from './principal.js';

export const IS_PUBLIC = 'crossover:public';
export const REQUIRES = 'crossover:requires';
export const NO_RATE_LIMIT = 'crossover:no-rate-limit';
export const DECIDE_RATE_LIMIT = 'crossover:decide-rate-limit';

/** No credentials needed (signup, login, health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Never rate limited: probes an orchestrator sends (a 429 on liveness would restart a healthy pod under load). */
export const NoRateLimit = () => SetMetadata(NO_RATE_LIMIT, true);

/**
 * Limited per key and per IP by RATE_LIMIT_DECIDE_PER_MINUTE, on counters of its own: a gateway asks once per LLM
 * call (the budget decision), far above the general per-key limit, and must not eat the key's or IP's other budget.
 */
export const DecideRateLimit = () => SetMetadata(DECIDE_RATE_LIMIT, true);

/** The permission a route needs. A /v1 route without one is refused: access is deny-by-default. */
export const Requires = (permission: Permission) => SetMetadata(REQUIRES, permission);

/** The authenticated caller, as resolved by the auth guard. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ user: Principal }>().user;
});

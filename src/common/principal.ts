import type { Role } from '../generated/prisma/enums.js';

export const API_KEY_SCOPES = ['ingest', 'read', 'decide', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Who is calling, resolved by the auth guard; controllers pass `orgId` on explicitly. */
export type Principal =
  | { kind: 'user'; orgId: string; userId: string; membershipId: string; role: Role }
  | { kind: 'api_key'; orgId: string; keyId: string; scopes: ApiKeyScope[]; projectId: string | null; signingSecret?: string | null };

/**
 * What a route needs. ingest: post usage. read: read reports and catalog.
 * annotate: describe workloads and record evaluations. finance: budgets and
 * cost assumptions. admin: manage keys, members, prices and settings. decide: ask the budget decision
 * endpoint (a gateway's key, which can read nothing else).
 */
export type Permission = 'ingest' | 'read' | 'annotate' | 'finance' | 'admin' | 'decide';

const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  owner: ['ingest', 'read', 'annotate', 'finance', 'admin', 'decide'],
  admin: ['ingest', 'read', 'annotate', 'finance', 'admin', 'decide'],
  finance: ['read', 'finance', 'decide'],
  engineer: ['ingest', 'read', 'annotate', 'decide'],
  viewer: ['read', 'decide'],
};

// An admin key can do everything; the other scopes are exactly what they say.
const SCOPE_PERMISSIONS: Record<ApiKeyScope, Permission[]> = {
  ingest: ['ingest'],
  read: ['read'],
  decide: ['decide'],
  admin: ['ingest', 'read', 'annotate', 'finance', 'admin', 'decide'],
};

/** True when the principal may do `permission` (role for users, scopes for keys). */
export function allows(principal: Principal, permission: Permission): boolean {
  if (principal.kind === 'user') return ROLE_PERMISSIONS[principal.role].includes(permission);
  return principal.scopes.some((s) => SCOPE_PERMISSIONS[s]?.includes(permission));
}

export function principalLabel(p: Principal): string {
  return p.kind === 'user' ? `user:${p.userId}` : `key:${p.keyId}`;
}

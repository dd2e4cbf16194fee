import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import type { ApiKeyScope } from '../common/principal.js';

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  projectId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: string | null;
}

const PUBLIC_FIELDS = { id: true, name: true, prefix: true, scopes: true, projectId: true, createdAt: true, lastUsedAt: true, revokedAt: true, createdBy: true } as const;

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(orgId: string, input: { name: string; prefix: string; tokenHash: Buffer; scopes: ApiKeyScope[]; projectId: string | null; createdBy: string | null }): Promise<ApiKeyRow> {
    return this.prisma.tenant(orgId, async (tx) => {
      const row = await tx.apiKey.create({ data: { orgId, ...input, tokenHash: new Uint8Array(input.tokenHash) }, select: PUBLIC_FIELDS });
      return row as ApiKeyRow;
    });
  }

  /** Active and revoked keys, newest first, strictly after `before` in (createdAt, id) order; never the hash. */
  async list(orgId: string, page: { limit: number; includeRevoked: boolean; before?: { createdAt: Date; id: string } }): Promise<ApiKeyRow[]> {
    const b = page.before;
    return this.prisma.tenant(orgId, async (tx) => {
      const rows = await tx.apiKey.findMany({
        where: {
          orgId,
          ...(page.includeRevoked ? {} : { revokedAt: null }),
          ...(b ? { OR: [{ createdAt: { lt: b.createdAt } }, { createdAt: b.createdAt, id: { lt: b.id } }] } : {}),
        },
        select: PUBLIC_FIELDS,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: page.limit,
      });
      return rows as ApiKeyRow[];
    });
  }

  async revoke(orgId: string, id: string): Promise<boolean> {
    return this.prisma.tenant(orgId, async (tx) => {
      const res = await tx.apiKey.updateMany({ where: { orgId, id, revokedAt: null }, data: { revokedAt: new Date() } });
      return res.count === 1;
    });
  }

  /** The person a key is attributed to (null: made at signup or before attribution existed). */
  async creatorOf(orgId: string, id: string): Promise<string | null> {
    return this.prisma.tenant(orgId, async (tx) => (await tx.apiKey.findUnique({ where: { orgId_id: { orgId, id } }, select: { createdBy: true } }))?.createdBy ?? null);
  }

  async exists(orgId: string, id: string): Promise<boolean> {
    return this.prisma.tenant(orgId, async (tx) => (await tx.apiKey.count({ where: { orgId, id } })) === 1);
  }

  /** Resolves a key by its hash before the org is known (one unique-index probe through the auth function). */
  async findByHash(hash: Buffer): Promise<{ orgId: string; id: string; scopes: ApiKeyScope[]; projectId: string | null; revokedAt: Date | null; signingSecret: string | null } | null> {
    const rows = await this.prisma.$queryRaw<{ org_id: string; id: string; scopes: ApiKeyScope[]; project_id: string | null; revoked_at: Date | null; signing_secret: string | null }[]>`
      SELECT org_id, id, scopes, project_id, revoked_at, signing_secret FROM crossover_find_api_key(${new Uint8Array(hash)})`;
    const r = rows[0];
    return r ? { orgId: r.org_id, id: r.id, scopes: r.scopes, projectId: r.project_id, revokedAt: r.revoked_at, signingSecret: r.signing_secret } : null;
  }

  /** Sets or clears the key's Standard Webhooks signing secret; false when the key is not the org's. */
  async setSigningSecret(orgId: string, id: string, secret: string | null): Promise<boolean> {
    return this.prisma.tenant(orgId, async (tx) => (await tx.apiKey.updateMany({ where: { orgId, id, revokedAt: null }, data: { signingSecret: secret } })).count === 1);
  }

  /** Records use at most once a minute per key, so a busy key does not write on every request. */
  async touch(orgId: string, id: string): Promise<void> {
    await this.prisma.tenantPg(orgId, (c) =>
      c.query(
        `UPDATE api_keys SET last_used_at = now() WHERE org_id = $1 AND id = $2 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
        [orgId, id],
      ),
    );
  }
}

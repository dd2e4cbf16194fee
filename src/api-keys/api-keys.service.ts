import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { InvalidError, NotFoundError } from '../common/errors.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { OrgsService } from '../orgs/orgs.service.js';
import { ApiKeyCache } from '../common/api-key-cache.js';
import { displayPrefix, generateApiKey, hashApiKey, looksLikeApiKey } from './api-key-secret.js';
import type { ApiKeyScope, Principal } from '../common/principal.js';
import { ApiKeysRepository, type ApiKeyRow } from './api-keys.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notACursor = () => new InvalidError('Invalid request: cursor', [{ field: 'cursor', message: 'is not a cursor returned by this API' }]);

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  projectId: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** The person the key is attributed to: who made it, or who made the admin key that made it. */
  createdBy: string | null;
}

@Injectable()
export class ApiKeysService {
  /** When this process last recorded each key's use (ms). */
  private readonly touched = new Map<string, number>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: ApiKeysRepository,
    private readonly orgs: OrgsService,
    private readonly cache: ApiKeyCache,
  ) {}

  /**
   * The principal of a presented key: one hash, and one index probe a second at most (ApiKeyCache); a revoked key
   * fails on the very next request in the process that revoked it, and within a second everywhere.
   */
  async authenticate(token: string): Promise<Principal | null> {
    if (!looksLikeApiKey(token)) return null;
    const hash = hashApiKey(token);
    const key = await this.cache.get(hash.toString('hex'), () => this.keys.findByHash(hash));
    if (!key || key.revokedAt) return null;
    // last_used_at has minute resolution: one UPDATE per key per minute per process, not one per request.
    const now = Date.now();
    if ((this.touched.get(key.id) ?? 0) < now - 60_000) {
      if (this.touched.size >= 10_000) this.touched.clear();
      this.touched.set(key.id, now);
      void this.keys.touch(key.orgId, key.id).catch(() => undefined);
    }
    return { kind: 'api_key', orgId: key.orgId, keyId: key.id, scopes: key.scopes, projectId: key.projectId, signingSecret: key.signingSecret };
  }

  /**
   * Creates a key; the secret is in this return value only and never stored. A key made with another key is
   * attributed to that key's person, so removing a person revokes the admin keys descended from them too.
   */
  async create(orgId: string, input: { name: string; scopes: ApiKeyScope[]; projectSlug?: string; createdBy?: string | null; createdByKeyId?: string }) {
    const projectId = input.projectSlug ? await this.orgs.ensureProject(orgId, input.projectSlug) : null;
    const createdBy = input.createdByKeyId ? await this.keys.creatorOf(orgId, input.createdByKeyId) : (input.createdBy ?? null);
    const key = generateApiKey(this.config.auth.keyEnv);
    const row = await this.keys.create(orgId, {
      name: input.name,
      prefix: displayPrefix(key),
      tokenHash: hashApiKey(key),
      scopes: [...input.scopes].sort() as ApiKeyScope[],
      projectId,
      createdBy,
    });
    return { ...toView(row), key };
  }

  /** A page of keys, newest first; `cursor` is a nextCursor of an earlier page (400 otherwise). */
  async list(orgId: string, limit: number, includeRevoked: boolean, cursor?: string): Promise<Page<ApiKeyView>> {
    const c = decodeCursor<{ createdAt: string; id: string }>(cursor);
    if (c && (typeof c.createdAt !== 'string' || typeof c.id !== 'string' || !UUID.test(c.id))) throw notACursor();
    const rows = await this.keys.list(orgId, { limit: limit + 1, includeRevoked, before: c ? { createdAt: new Date(c.createdAt), id: c.id } : undefined });
    const page = toPage(rows, limit, (last) => ({ createdAt: last.createdAt.toISOString(), id: last.id }));
    return { data: page.data.map(toView), nextCursor: page.nextCursor };
  }

  /** Generates a Standard Webhooks secret (`whsec_` + 32 random bytes, base64); shown only in this return value. */
  async rotateSigningSecret(orgId: string, id: string): Promise<{ id: string; signingSecret: string }> {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    if (!(await this.keys.setSigningSecret(orgId, id, secret))) throw new NotFoundError(`API key ${id} not found`);
    this.cache.clear();
    return { id, signingSecret: secret };
  }

  async clearSigningSecret(orgId: string, id: string): Promise<void> {
    if (!(await this.keys.setSigningSecret(orgId, id, null))) throw new NotFoundError(`API key ${id} not found`);
    this.cache.clear();
  }

  async revoke(orgId: string, id: string): Promise<void> {
    const revoked = await this.keys.revoke(orgId, id);
    this.cache.clear();
    if (!revoked) {
      // Revoking twice is harmless; an id of another org (or none) is 404.
      if (!(await this.keys.exists(orgId, id))) throw new NotFoundError(`API key ${id} not found`);
    }
  }
}

function toView(r: ApiKeyRow): ApiKeyView {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes,
    projectId: r.projectId,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
    createdBy: r.createdBy,
  };
}

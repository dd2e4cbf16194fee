import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { ApiKeysRepository } from '../api-keys/api-keys.repository.js';
import { hashApiKey, looksLikeApiKey } from './api-key-secret.js';
import type { Principal } from './principal.js';

/** `Authorization: Bearer cx_...`: one hash, one index probe; revoked keys fail on the very next request. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(BearerStrategy, 'api-key') {
  constructor(private readonly keys: ApiKeysRepository) {
    super();
  }

  async validate(token: string): Promise<Principal | false> {
    if (!looksLikeApiKey(token)) return false;
    const key = await this.keys.findByHash(hashApiKey(token));
    if (!key || key.revokedAt) return false;
    void this.keys.touch(key.orgId, key.id).catch(() => undefined);
    return { kind: 'api_key', orgId: key.orgId, keyId: key.id, scopes: key.scopes, projectId: key.projectId, signingSecret: key.signingSecret };
  }
}

import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { ApiKeysService } from '../api-keys/api-keys.service.js';
import type { Principal } from '../common/principal.js';

/** `Authorization: Bearer cx_...`: the key's principal, or false for anything else (the JWT strategy then tries). */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(BearerStrategy, 'api-key') {
  constructor(private readonly keys: ApiKeysService) {
    super();
  }

  async validate(token: string): Promise<Principal | false> {
    return (await this.keys.authenticate(token)) ?? false;
  }
}

import { Module } from '@nestjs/common';
import { OrgsModule } from '../orgs/orgs.module.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { ApiKeysService } from './api-keys.service.js';

/** API keys: creation (secret shown once), listing, signing secrets, revocation, and look-up by hash for authentication. */
@Module({ imports: [OrgsModule], providers: [ApiKeysRepository, ApiKeysService], exports: [ApiKeysService] })
export class ApiKeysModule {}

@Module({ imports: [ApiKeysModule], controllers: [ApiKeysController] })
export class ApiKeysApiModule {}

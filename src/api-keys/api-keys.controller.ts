import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../common/api-contract.js';
import { Idempotent } from '../infra/http/conventions.js';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Page } from '../common/pagination.js';
import type { Principal } from '../common/principal.js';
import { CreateApiKeyDto, ListApiKeysQueryDto } from './api-keys.dto.js';
import { ApiKeyDto, CreatedApiKeyDto, SigningSecretDto } from './api-keys.responses.js';
import { ApiKeysService } from './api-keys.service.js';
import { uuid404 } from '../common/formats.js';

@ApiTags('access')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Requires('admin')
  @Idempotent()
  @ApiOperation({ summary: 'Create an API key; the secret `key` is returned only in this response' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.keys.create(p.orgId, { ...body, ...(p.kind === 'user' ? { createdBy: p.userId } : { createdByKeyId: p.keyId }) });
  }

  @Get()
  @Requires('admin')
  @ApiOperation({ summary: 'List API keys (never their secrets), newest first, with last-used time' })
  @ApiPageResponse(ApiKeyDto)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListApiKeysQueryDto): Promise<Page<ApiKeyDto>> {
    return this.keys.list(p.orgId, q.limit ?? 100, q.includeRevoked ?? false, q.cursor);
  }

  @Put(':id/signing-secret')
  @Requires('admin')
  @ApiOperation({
    summary: 'Require Standard Webhooks signatures on requests made with this key',
    description: 'Returns a new secret `whsec_...` (shown once). From then on, requests with this key need `webhook-id`, `webhook-timestamp` (within 5 minutes) and `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">`.',
  })
  @ApiOkResponse({ type: SigningSecretDto })
  rotateSigningSecret(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string): Promise<SigningSecretDto> {
    return this.keys.rotateSigningSecret(p.orgId, id);
  }

  @Delete(':id/signing-secret')
  @HttpCode(204)
  @Requires('admin')
  @ApiOperation({ summary: 'Stop requiring signatures for this key' })
  @ApiNoContentResponse({ description: 'Signatures are no longer required' })
  async clearSigningSecret(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string): Promise<void> {
    await this.keys.clearSigningSecret(p.orgId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Requires('admin')
  @ApiOperation({ summary: 'Revoke an API key; it is refused from the very next request' })
  @ApiNoContentResponse({ description: 'Revoked (revoking twice is harmless)' })
  async revoke(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string): Promise<void> {
    await this.keys.revoke(p.orgId, id);
  }
}

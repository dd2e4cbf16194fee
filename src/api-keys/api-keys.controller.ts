import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';
import { CreateApiKeyDto, ListApiKeysQueryDto } from './api-keys.dto.js';
import { ApiKeysService } from './api-keys.service.js';
import { uuid404 } from '../common/formats.js';

@ApiTags('access')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Requires('admin')
  @ApiOperation({ summary: 'Create an API key; the secret `key` is returned only in this response' })
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateApiKeyDto) {
    return this.keys.create(p.orgId, { ...body, ...(p.kind === 'user' ? { createdBy: p.userId } : { createdByKeyId: p.keyId }) });
  }

  @Get()
  @Requires('admin')
  @ApiOperation({ summary: 'List API keys (never their secrets), newest first, with last-used time' })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListApiKeysQueryDto) {
    return this.keys.list(p.orgId, q.limit ?? 100, q.includeRevoked ?? false);
  }

  @Put(':id/signing-secret')
  @Requires('admin')
  @ApiOperation({
    summary: 'Require Standard Webhooks signatures on requests made with this key',
    description: 'Returns a new secret `whsec_...` (shown once). From then on, requests with this key need `webhook-id`, `webhook-timestamp` (within 5 minutes) and `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">`.',
  })
  rotateSigningSecret(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string) {
    return this.keys.rotateSigningSecret(p.orgId, id);
  }

  @Delete(':id/signing-secret')
  @HttpCode(204)
  @Requires('admin')
  @ApiOperation({ summary: 'Stop requiring signatures for this key' })
  async clearSigningSecret(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string) {
    await this.keys.clearSigningSecret(p.orgId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Requires('admin')
  @ApiOperation({ summary: 'Revoke an API key; it is refused from the very next request' })
  async revoke(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string) {
    await this.keys.revoke(p.orgId, id);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { CreateApiKeyDto, ListApiKeysQueryDto } from './api-keys.dto.js';
import { ApiKeysService } from './api-keys.service.js';

@ApiTags('access')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Requires('admin')
  @ApiOperation({ summary: 'Create an API key; the secret `key` is returned only in this response' })
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateApiKeyDto) {
    return this.keys.create(p.orgId, { ...body, createdBy: p.kind === 'user' ? p.userId : null });
  }

  @Get()
  @Requires('admin')
  @ApiOperation({ summary: 'List API keys (never their secrets), newest first, with last-used time' })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListApiKeysQueryDto) {
    return this.keys.list(p.orgId, q.limit ?? 100, q.includeRevoked ?? false);
  }

  @Delete(':id')
  @HttpCode(204)
  @Requires('admin')
  @ApiOperation({ summary: 'Revoke an API key; it is refused from the very next request' })
  async revoke(@CurrentPrincipal() p: Principal, @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string) {
    await this.keys.revoke(p.orgId, id);
  }
}

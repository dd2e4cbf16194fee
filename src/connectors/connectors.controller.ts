import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import { uuid404 } from '../common/formats.js';
import { ApiPageResponse } from '../common/api-contract.js';
import { Idempotent } from '../infra/http/conventions.js';
import { PageQueryDto, type Page } from '../common/pagination.js';
import type { Principal } from '../common/principal.js';
import { ConnectorDto, ConnectorRunDto, ConnectorSyncDto, CreateConnectorDto, SyncConnectorDto } from './connectors.dto.js';
import { ConnectorsService } from './connectors.service.js';

@ApiTags('connectors')
@ApiBearerAuth()
@Controller('v1/connectors')
export class ConnectorsController {
  constructor(private readonly connectors: ConnectorsService) {}

  @Post()
  @Requires('admin')
  @ApiOperation({ summary: 'Connect a provider account (OpenAI or Anthropic admin key) to read what it bills and counts; the key is sealed (AES-256-GCM) and never returned' })
  @Idempotent()
  @ApiCreatedResponse({ type: ConnectorDto })
  create(@CurrentPrincipal() p: Principal, @Body() b: CreateConnectorDto): Promise<ConnectorDto> {
    return this.connectors.create(p.orgId, p, b);
  }

  @Get()
  @Requires('read')
  @ApiOperation({ summary: 'List connectors, newest first (without credentials)' })
  @ApiPageResponse(ConnectorDto)
  list(@CurrentPrincipal() p: Principal, @Query() q: PageQueryDto): Promise<Page<ConnectorDto>> {
    return this.connectors.list(p.orgId, q.limit ?? 100, q.cursor);
  }

  @Get(':id')
  @Requires('read')
  @ApiOperation({ summary: 'One connector, with what is stored from it (line counts, billed USD, days covered)' })
  @ApiOkResponse({ type: ConnectorDto })
  get(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string): Promise<ConnectorDto> {
    return this.connectors.get(p.orgId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Requires('admin')
  @ApiOperation({ summary: 'Remove a connector with its runs and every provider line read from it' })
  @ApiNoContentResponse({ description: 'Removed' })
  async remove(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string): Promise<void> {
    await this.connectors.remove(p.orgId, id);
  }

  @Post(':id/sync')
  @HttpCode(202)
  @Requires('admin')
  @ApiOperation({ summary: 'Sync [from, to) (UTC days, to exclusive, at most 93 days): replaces the stored provider lines of those days; poll the run for progress' })
  @Idempotent()
  @ApiAcceptedResponse({ type: ConnectorSyncDto })
  async sync(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string, @Body() b: SyncConnectorDto): Promise<ConnectorSyncDto> {
    const run = await this.connectors.startSync(p.orgId, id, b.from, b.to);
    return { runId: run.id, ...run };
  }

  @Get(':id/runs')
  @Requires('read')
  @ApiOperation({ summary: 'Sync runs of a connector, newest first' })
  @ApiPageResponse(ConnectorRunDto)
  runs(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string, @Query() q: PageQueryDto): Promise<Page<ConnectorRunDto>> {
    return this.connectors.runs(p.orgId, id, q.limit ?? 100, q.cursor);
  }

  @Get(':id/runs/:runId')
  @Requires('read')
  @ApiOperation({ summary: 'One sync run: status, progress, pages, lines, retries and error' })
  @ApiOkResponse({ type: ConnectorRunDto })
  run(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string, @Param('runId', uuid404) runId: string): Promise<ConnectorRunDto> {
    return this.connectors.run(p.orgId, id, runId);
  }
}

import { Body, Controller, Get, Headers, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiCsvAlternative, ApiPageResponse } from '../common/api-contract.js';
import { ETagged } from '../infra/http/conventions.js';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import { InvalidError } from '../common/errors.js';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import type { Principal } from '../common/principal.js';
import { AlertsQueryDto, ReconciliationQueryDto, ReconciliationSettingsDto } from './reconciliation.dto.js';
import { DriftAlertDto, ReconciliationReportDto, ReconciliationSettingsViewDto } from './reconciliation.responses.js';
import { ReconciliationService } from './reconciliation.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('reconciliation')
@ApiBearerAuth()
@Controller('v1/reconciliation')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Get()
  @Requires('read')
  @ETagged()
  @ApiCsvAlternative()
  @ApiOperation({
    summary: 'Metered vs billed spend, every delta explained',
    description:
      'Per provider, model, day and project (groupBy), with coverage and every delta explained (unpriced_model, service_tier, cache_write_ttl, not_instrumented, timing, price_mismatch) and the unexplained rest; CSV (one column per cause) with Accept: text/csv or format=csv',
  })
  @ApiOkResponse({ type: ReconciliationReportDto })
  async report(@CurrentPrincipal() p: Principal, @Query() q: ReconciliationQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<ReconciliationReportDto | string> {
    const csv = q.format === 'csv' || (q.format !== 'json' && !!accept && accept.includes('text/csv'));
    if (!csv) return this.reconciliation.report(p.orgId, q);
    const body = await this.reconciliation.reportCsv(p.orgId, q);
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="reconciliation.csv"');
    return body;
  }

  @Get('settings')
  @Requires('read')
  @ApiOperation({ summary: 'Drift alert thresholds (driftPercent, driftMinUsd, minCoverage) and their defaults' })
  @ApiOkResponse({ type: ReconciliationSettingsViewDto })
  settings(@CurrentPrincipal() p: Principal): Promise<ReconciliationSettingsViewDto> {
    return this.reconciliation.settingsView(p.orgId);
  }

  @Put('settings')
  @Requires('admin')
  @ApiOperation({ summary: 'Replace the drift alert thresholds (admin, owner); a field left out goes back to its default' })
  @ApiOkResponse({ type: ReconciliationSettingsViewDto })
  async putSettings(@CurrentPrincipal() p: Principal, @Body() b: ReconciliationSettingsDto): Promise<ReconciliationSettingsViewDto> {
    await this.reconciliation.putThresholds(p.orgId, b);
    return this.reconciliation.settingsView(p.orgId);
  }

  @Get('alerts')
  @Requires('read')
  @ApiOperation({ summary: 'Drift alerts, newest first', description: 'At most one per provider-day; cursor-paginated' })
  @ApiPageResponse(DriftAlertDto)
  async alerts(@CurrentPrincipal() p: Principal, @Query() q: AlertsQueryDto): Promise<{ data: DriftAlertDto[]; nextCursor: string | null }> {
    const after = decodeCursor<{ at: string; id: string }>(q.cursor);
    if (after && (typeof after.id !== 'string' || !UUID.test(after.id) || typeof after.at !== 'string')) {
      throw new InvalidError('Invalid request: cursor', [{ field: 'cursor', message: 'is not a cursor returned by this API' }]);
    }
    const page = await this.reconciliation.alerts(p.orgId, q.limit ?? 100, after);
    return { data: page.data, nextCursor: page.next ? encodeCursor(page.next) : null };
  }
}

import { Body, Controller, Get, Headers, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import { InvalidError } from '../common/errors.js';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import type { Principal } from '../common/principal.js';
import { AlertsQueryDto, ReconciliationQueryDto, ReconciliationSettingsDto, ReconciliationSettingsView } from './reconciliation.dto.js';
import { ReconciliationService } from './reconciliation.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('reconciliation')
@ApiBearerAuth()
@Controller('v1/reconciliation')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Get()
  @Requires('read')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary:
      'Metered vs billed per provider, model, day and project (groupBy), with coverage and every delta explained (unpriced_model, service_tier, cache_write_ttl, not_instrumented, timing, price_mismatch) and the unexplained rest; CSV with Accept: text/csv or format=csv',
  })
  @ApiOkResponse({ description: '{ currency, from, to, groupBy, rows[], totals, dataFreshness, connectors[] }; money as decimal strings' })
  async report(@CurrentPrincipal() p: Principal, @Query() q: ReconciliationQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const csv = q.format === 'csv' || (q.format !== 'json' && !!accept && accept.includes('text/csv'));
    if (!csv) return this.reconciliation.report(p.orgId, q);
    const body = await this.reconciliation.reportCsv(p.orgId, q);
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="reconciliation.csv"');
    return body;
  }

  @Get('settings')
  @Requires('read')
  @ApiOperation({ summary: 'Drift alert thresholds (driftPercent, driftMinUsd, minCoverage) and their defaults' })
  @ApiOkResponse({ type: ReconciliationSettingsView })
  settings(@CurrentPrincipal() p: Principal) {
    return this.reconciliation.settingsView(p.orgId);
  }

  @Put('settings')
  @Requires('admin')
  @ApiOperation({ summary: 'Replace the drift alert thresholds (admin, owner); a field left out goes back to its default' })
  @ApiOkResponse({ type: ReconciliationSettingsView })
  async putSettings(@CurrentPrincipal() p: Principal, @Body() b: ReconciliationSettingsDto) {
    await this.reconciliation.putThresholds(p.orgId, b);
    return this.reconciliation.settingsView(p.orgId);
  }

  @Get('alerts')
  @Requires('read')
  @ApiOperation({ summary: 'Drift alerts, newest first (at most one per provider-day), paginated (nextCursor)' })
  @ApiOkResponse({ description: '{ data: [{ id, provider, day, meteredCostUsd, billedCostUsd, deltaUsd, deltaPercent, coverage, reasons, createdAt, notifiedAt }], nextCursor }' })
  async alerts(@CurrentPrincipal() p: Principal, @Query() q: AlertsQueryDto) {
    const after = decodeCursor<{ at: string; id: string }>(q.cursor);
    if (after && (typeof after.id !== 'string' || !UUID.test(after.id) || typeof after.at !== 'string')) {
      throw new InvalidError('Invalid request: cursor', [{ field: 'cursor', message: 'is not a cursor returned by this API' }]);
    }
    const page = await this.reconciliation.alerts(p.orgId, q.limit ?? 100, after);
    return { data: page.data, nextCursor: page.next ? encodeCursor(page.next) : null };
  }
}

import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FocusExportDto } from './exports.responses.js';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';
import { FocusExportQueryDto } from './exports.dto.js';
import { ExportsService } from './exports.service.js';

@ApiTags('exports')
@ApiBearerAuth()
@Controller('v1/exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('focus')
  @Requires('read')
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({ type: FocusExportDto, description: 'FOCUS 1.2 rows: CSV (default, every row, streamed) or JSON (one page of rollup rows)' })
  @ApiOperation({
    summary: 'FOCUS 1.2 cost and usage export',
    description:
      'From the daily rollups: one row per UTC day x project x workload x environment x provider x model x service tier x token class. CSV by default (streamed; one export per org and two per server at a time, else 429 + Retry-After); JSON with Accept: application/json or format=json (paginated by rollup rows)',
  })
  async focus(@CurrentPrincipal() p: Principal, @Query() q: FocusExportQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const json = q.format === 'json' || (q.format !== 'csv' && !!accept && accept.includes('application/json') && !accept.includes('text/csv'));
    if (json) return this.exports.page(p.orgId, q);
    const body = await this.exports.csv(p.orgId, q);
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="focus.csv"');
    return body;
  }
}

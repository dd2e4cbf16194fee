import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';
import { ReportWindowDto, SpendReportQueryDto, SummaryQueryDto } from './reports.dto.js';
import { ReportsService } from './reports.service.js';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('spend')
  @Requires('read')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'Spend over time, grouped and filtered; rows ordered by period then cost; paginated (nextCursor); CSV with Accept: text/csv or format=csv (all rows, streamed; one export per org and two per server at a time, else 429 + Retry-After)',
  })
  async spend(@CurrentPrincipal() p: Principal, @Query() q: SpendReportQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const csv = q.format === 'csv' || (q.format !== 'json' && !!accept && accept.includes('text/csv'));
    if (!csv) return this.reports.spend(p.orgId, q);
    const body = this.reports.spendCsv(p.orgId, q);
    reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="spend.csv"')
      .header('x-cost-basis', q.costBasis ?? 'computed');
    return body;
  }

  @Get('summary')
  @Requires('read')
  @ApiOperation({ summary: 'Month to date vs the same period last month, top workloads and models, provider shares, unpriced usage, unit economics' })
  summary(@CurrentPrincipal() p: Principal, @Query() q: SummaryQueryDto) {
    return this.reports.summary(p.orgId, q.month);
  }

  @Get('latency')
  @Requires('read')
  @ApiOperation({ summary: 'p50/p95 latency and error rate per workload x model, merged from the rollup histograms' })
  latency(@CurrentPrincipal() p: Principal, @Query() q: ReportWindowDto) {
    return this.reports.latency(p.orgId, q);
  }
}

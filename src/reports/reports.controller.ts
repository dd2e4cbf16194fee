import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiCsvAlternative } from '../common/api-contract.js';
import { ETagged } from '../infra/http/conventions.js';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';
import { CustomersReportQueryDto, LatencyQueryDto, SpendReportQueryDto, SummaryQueryDto, UnitEconomicsQueryDto } from './reports.dto.js';
import { ReportsService } from './reports.service.js';
import { CustomersReportDto, LatencyReportDto, SpendReportDto, SpendSummaryDto, UnitEconomicsReportDto } from './reports.responses.js';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('spend')
  @Requires('read')
  @ETagged()
  @ApiCsvAlternative()
  @ApiOkResponse({ type: SpendReportDto, description: 'JSON: one page of rows and the totals of the whole window. CSV: every row, streamed, the cost basis in the X-Cost-Basis header' })
  @ApiOperation({
    summary: 'Spend over time, grouped and filtered',
    description:
      'Rows ordered by period then cost; paginated (nextCursor); CSV with Accept: text/csv or format=csv (all rows, streamed; one export per org and two per server at a time, else 429 + Retry-After). groupBy or filter by customer, endUser or tag (key=value; one of the three per report) to read the attribution rollups: they keep project, workload and provider (environment, model or serviceTier is then a 400), the metrics costUsd, requests, inputTokens and outputTokens (the response lists them), and at most `attribution.cap` values per organisation, hour and day, the rest summed into `attribution.otherValue`.',
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
  @ETagged()
  @ApiOkResponse({ type: SpendSummaryDto })
  @ApiOperation({ summary: 'Month to date vs the same period last month', description: 'Top workloads and models, provider shares, unpriced usage and unit economics of the month (UTC)' })
  summary(@CurrentPrincipal() p: Principal, @Query() q: SummaryQueryDto) {
    return this.reports.summary(p.orgId, q.month);
  }

  @Get('customers')
  @Requires('read')
  @ETagged()
  @ApiCsvAlternative()
  @ApiOkResponse({ type: CustomersReportDto, description: 'JSON: one page of customers; CSV: every customer of the month' })
  @ApiOperation({
    summary: "A month's customers ranked by cost",
    description: "A month's customers ranked by cost: requests, cost per 1k requests, change vs the month before, share; totals with the top-10 share and the share of spend that named a customer; paginated; CSV (every row) with Accept: text/csv or format=csv",
  })
  async customers(@CurrentPrincipal() p: Principal, @Query() q: CustomersReportQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<CustomersReportDto | string> {
    const csv = q.format === 'csv' || (q.format !== 'json' && !!accept && accept.includes('text/csv'));
    if (!csv) return this.reports.customers(p.orgId, q);
    const body = await this.reports.customersCsv(p.orgId, q);
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="customers.csv"');
    return body;
  }

  @Get('unit-economics')
  @Requires('read')
  @ETagged()
  @ApiOkResponse({ type: UnitEconomicsReportDto })
  @ApiOperation({ summary: 'Unit economics per UTC period and workload', description: 'Cost, requests, tokens, cost per request, per 1k tokens and per active customer (distinct customers seen); paginated (nextCursor)' })
  unitEconomics(@CurrentPrincipal() p: Principal, @Query() q: UnitEconomicsQueryDto): Promise<UnitEconomicsReportDto> {
    return this.reports.unitEconomics(p.orgId, q);
  }

  @Get('latency')
  @Requires('read')
  @ETagged()
  @ApiOkResponse({ type: LatencyReportDto })
  @ApiOperation({ summary: 'Latency and error rate per workload x model', description: 'p50/p95 merged from the rollup histograms (the upper edge of the bucket holding them), mean latency and error rate' })
  latency(@CurrentPrincipal() p: Principal, @Query() q: LatencyQueryDto): Promise<LatencyReportDto> {
    return this.reports.latency(p.orgId, q);
  }
}

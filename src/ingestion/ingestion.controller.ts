import { MAX_EVENTS_PER_BATCH } from './event-validator.js';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiErrors, ApiPageResponse } from '../common/api-contract.js';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';
import { InvalidError, NotFoundError } from '../common/errors.js';
import { decodeCursor, PageQueryDto, toPage, type Page } from '../common/pagination.js';
import { usageFromOtelAttributes } from '../domain/pricing/usage.js';
import { IngestBatchDoc, ListEventsQueryDto, UsageEventDoc } from './ingestion.dto.js';
import { IngestResultDto, OtlpExportResultDto, ServiceTierPricingDto, UnpricedModelDto, UsageEventDto } from './ingestion.responses.js';
import { IngestionService, type EventView, type IngestScope } from './ingestion.service.js';
import { spansToEvents, type OtlpTracesRequest } from './otlp.js';

function view(e: EventView) {
  return {
    id: e.eventId,
    timestamp: e.ts.toISOString(),
    receivedAt: e.receivedAt.toISOString(),
    provider: e.provider,
    model: e.model,
    modelId: e.modelId,
    workload: e.workload,
    project: e.project,
    environment: e.environment,
    requests: e.requests,
    usage: {
      inputTokens: Number(e.inputTokens),
      outputTokens: Number(e.outputTokens),
      cachedInputTokens: Number(e.cachedInputTokens),
      cacheWriteTokens: Number(e.cacheWriteTokens),
      reasoningTokens: Number(e.reasoningTokens),
      cacheWrite1hTokens: Number(e.cacheWrite1hTokens),
      audioInputTokens: Number(e.audioInputTokens),
      imageInputTokens: Number(e.imageInputTokens),
      videoInputTokens: Number(e.videoInputTokens),
      cachedAudioInputTokens: Number(e.cachedAudioInputTokens),
      audioOutputTokens: Number(e.audioOutputTokens),
    },
    usageFormat: e.usageFormat,
    serviceTier: e.serviceTier,
    latencyMs: e.latencyMs,
    status: e.status,
    tags: e.tags,
    customer: e.customer,
    endUser: e.endUser,
    costUsd: e.costUsd,
    unpriced: e.unpriced,
    priceVersionId: e.priceVersionId,
    serviceTierPricing:
      e.tierPricing === null
        ? null
        : {
            priced: e.tierPricing.priced,
            discountFraction: e.tierPricing.discountFraction.toFixed(),
            cachedInputDiscounted: e.tierPricing.cachedInputDiscounted,
            source: e.tierPricing.source,
            reason: e.tierPricing.reason,
          },
    providerCostUsd: e.clientCostUsd,
    providerCostSource: e.providerCostSource,
    /** Deprecated alias of providerCostUsd. */
    clientCostUsd: e.clientCostUsd,
  };
}

@ApiTags('ingestion')
@ApiBearerAuth()
// ServiceTierPricingDto: referenced from UsageEventDto's nullable branch, which registers no model itself.
@ApiExtraModels(UsageEventDoc, IngestBatchDoc, ServiceTierPricingDto)
@Controller('v1')
export class IngestionController {
  constructor(private readonly ingestion: IngestionService) {}

  @Post('events')
  @HttpCode(200)
  @Requires('ingest')
  @ApiOperation({
    summary: 'Post usage events (1 to 1,000 per request, body at most 2 MB)',
    description:
      'Each event is stored once per id: the same id with the same content is a `duplicate`, with other content a `conflict` (the first stays). One bad event never sinks the others; each rejected event lists its bad fields. A malformed envelope is 400 with nothing stored.',
  })
  @ApiBody({ schema: { oneOf: [{ $ref: getSchemaPath(IngestBatchDoc) }, { $ref: getSchemaPath(UsageEventDoc) }] } })
  @ApiOkResponse({ type: IngestResultDto, description: 'Every event has its outcome in `results`, in request order; rejected ones list their bad fields' })
  async post(@CurrentPrincipal() p: Principal, @Body() body: unknown): Promise<IngestResultDto> {
    const scope = await this.authorise(p);
    const { list } = this.ingestion.envelope(body);
    return this.ingestion.ingest(scope, list);
  }

  @Post('otlp/v1/traces')
  @HttpCode(200)
  @Requires('ingest')
  @ApiOperation({
    summary: 'OpenTelemetry OTLP/HTTP JSON trace export; GenAI spans become usage events',
    description:
      'Spans with gen_ai.provider.name (or gen_ai.system) become events: id = spanId, workload = crossover.workload (span, then resource) or service.name, usage from gen_ai.usage.*. Answers an OTLP ExportTraceServiceResponse with partialSuccess, plus Crossover counts. OTLP/HTTP JSON only: set the exporter to http/json (http/protobuf is refused with 415, the answer is always JSON).',
  })
  @ApiBody({
    description: 'An OTLP ExportTraceServiceRequest (JSON encoding)',
    schema: { type: 'object', required: ['resourceSpans'], properties: { resourceSpans: { type: 'array', items: { type: 'object', additionalProperties: true } } } },
  })
  @ApiOkResponse({ type: OtlpExportResultDto })
  async otlp(@CurrentPrincipal() p: Principal, @Body() body: unknown, @Headers('content-type') contentType?: string): Promise<OtlpExportResultDto> {
    if (contentType && !contentType.startsWith('application/json')) {
      throw new InvalidError('Only OTLP/HTTP JSON is accepted (set the exporter to http/json)', [{ field: 'content-type', message: 'must be application/json' }]);
    }
    const scope = await this.authorise(p);
    if (!body || typeof body !== 'object' || !Array.isArray((body as OtlpTracesRequest).resourceSpans)) {
      throw new InvalidError('Invalid request: resourceSpans', [{ field: 'resourceSpans', message: 'must be an array (OTLP ExportTraceServiceRequest)' }]);
    }
    const { events, totalSpans } = spansToEvents(body as OtlpTracesRequest);
    if (events.length > MAX_EVENTS_PER_BATCH) {
      // The same cap as POST /v1/events; the SDK's BatchSpanProcessor exports 512 spans at most by default.
      throw new InvalidError('Invalid request: resourceSpans', [
        { field: 'resourceSpans', message: `must hold at most ${MAX_EVENTS_PER_BATCH} GenAI spans per export (got ${events.length}); lower the exporter's maxExportBatchSize` },
      ]);
    }
    const list = events.map(({ event, attributes }) => {
      const usage = usageFromOtelAttributes(attributes);
      return { ...event, usage: usage.ok ? usage.usage : {} };
    });
    const result = list.length ? await this.ingestion.ingest(scope, list, (i) => `spans[${i}]`) : { accepted: 0, duplicates: 0, conflicts: 0, rejected: 0, results: [] };
    return {
      partialSuccess: result.rejected
        ? { rejectedSpans: result.rejected, errorMessage: `${result.rejected} GenAI span(s) rejected; see results` }
        : {},
      genAiSpans: list.length,
      otherSpans: totalSpans - list.length,
      ...result,
    };
  }

  @Get('events/:id')
  @Requires('read')
  @ApiOperation({ summary: 'One stored event with its cost (decimal string, or null when unpriced) and normalised usage' })
  @ApiOkResponse({ type: UsageEventDto })
  async get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    const e = await this.ingestion.findEvent(p.orgId, id);
    if (!e) throw new NotFoundError(`Event ${id} not found`);
    return view(e);
  }

  @Get('events')
  @Requires('read')
  @ApiOperation({ summary: 'Stored events, newest first, filtered and paginated (nextCursor)' })
  @ApiPageResponse(UsageEventDto)
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListEventsQueryDto) {
    const limit = q.limit ?? 100;
    const c = decodeCursor<{ ts: string; id: string }>(q.cursor);
    const rows = await this.ingestion.listEvents(p.orgId, {
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      workload: q.workload,
      model: q.model,
      customer: q.customer,
      endUser: q.endUser,
      before: c ? { ts: new Date(c.ts), eventId: c.id } : undefined,
      limit: limit + 1,
    });
    const page = toPage(rows, limit, (last) => ({ ts: last.ts.toISOString(), id: last.eventId }));
    return { data: page.data.map(view), nextCursor: page.nextCursor };
  }

  @Get('catalog/unpriced')
  @ApiTags('catalog')
  @Requires('read')
  @ApiOperation({ summary: 'Models seen in your events without a price (never counted as $0), most events first; add a custom price to fix them' })
  @ApiPageResponse(UnpricedModelDto)
  unpriced(@CurrentPrincipal() p: Principal, @Query() q: PageQueryDto): Promise<Page<UnpricedModelDto>> {
    return this.ingestion.unpricedModels(p.orgId, q.limit ?? 100, q.cursor);
  }

  private authorise(p: Principal): Promise<IngestScope> {
    return this.ingestion.scopeFor(p);
  }
}

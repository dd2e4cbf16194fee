import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../common/api-contract.js';
import { Idempotent } from '../infra/http/conventions.js';
import { PageQueryDto, type Page } from '../common/pagination.js';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';
import { NotFoundError } from '../common/errors.js';
import { selectInForce, type PriceVersion } from '../domain/pricing/price.js';
import type { ModelPrice, PriceOverride } from '../generated/prisma/client.js';
import { CatalogService } from './catalog.service.js';
import { CatalogModelsQueryDto, CreateOverrideDto } from './catalog.dto.js';
import { CatalogModelDto, ModelPricesDto, OpenModelDto, PriceOverrideDto, PriceSourceDecisionDto, PriceVersionDto, QualityScoreFactDto, type ModelPriceVersionDto } from './catalog.responses.js';
import { memoryPage } from './memory-page.js';
import { GpuCatalogDto, GpuTierPriceDto } from './gpu-catalog.dto.js';
import { gpuCatalogView, type GpuCatalogView } from './gpu-catalog.js';
import { canonicalProvider, REFERENCE } from './reference-data.js';
import { uuid404 } from '../common/formats.js';

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
/** A rate the schema requires (never null in the catalog). */
const rate = (v: unknown) => String(v);

function priceView(p: PriceVersion): PriceVersionDto {
  return {
    id: p.id,
    provider: p.provider,
    modelId: p.modelId,
    inputPerMTok: rate(p.inputPerMTok),
    outputPerMTok: rate(p.outputPerMTok),
    cachedInputPerMTok: str(p.cachedInputPerMTok),
    cacheWritePerMTok: str(p.cacheWritePerMTok),
    reasoningPerMTok: str(p.reasoningPerMTok),
    tiers: p.tiers as unknown as PriceVersionDto['tiers'],
    effectiveFrom: p.effectiveFrom.toISOString(),
    effectiveTo: p.effectiveTo?.toISOString() ?? null,
    source: p.source,
  };
}

/** One stored price version with every class rate, its source and the note saying which source won (decimal strings, USD per 1M tokens). */
function rowView(r: ModelPrice): ModelPriceVersionDto {
  return {
    id: r.id,
    provider: r.provider,
    modelId: r.modelId,
    inputPerMTok: rate(r.inputPerMTok),
    outputPerMTok: rate(r.outputPerMTok),
    cachedInputPerMTok: str(r.cachedInputPerMTok),
    cacheWritePerMTok: str(r.cacheWritePerMTok),
    cacheWrite1hPerMTok: str(r.cacheWrite1hPerMTok),
    reasoningPerMTok: str(r.reasoningPerMTok),
    inputAudioPerMTok: str(r.inputAudioPerMTok),
    cachedInputAudioPerMTok: str(r.cachedInputAudioPerMTok),
    outputAudioPerMTok: str(r.outputAudioPerMTok),
    inputImagePerMTok: str(r.inputImagePerMTok),
    inputVideoPerMTok: str(r.inputVideoPerMTok),
    tiers: (r.tiers ?? []) as unknown as ModelPriceVersionDto['tiers'],
    effectiveFrom: r.effectiveFrom.toISOString(),
    effectiveTo: r.effectiveTo?.toISOString() ?? null,
    source: r.source,
    note: r.note,
  };
}

@ApiTags('catalog')
@ApiBearerAuth()
// Referenced only through anyOf (nullable) or additionalProperties, which the scanner does not follow.
@ApiExtraModels(QualityScoreFactDto, PriceSourceDecisionDto, GpuTierPriceDto)
@Controller('v1/catalog')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('models')
  @Requires('read')
  @ApiOperation({
    summary: 'Priced models (closed and managed open APIs) with the price in force now, every price version, its source id and effective dates; USD per 1M tokens as decimal strings',
    description:
      'priceSource says which source the prices come from (genai-prices@<version> or the reference file) and, where both price the model, which won and why; each version carries the class rates (cache writes 1h, audio, image, video) and its note.',
  })
  @ApiPageResponse(CatalogModelDto, { description: 'Bounded by the catalog: the whole list unless limit or cursor is given (then pages of limit models)' })
  models(@Query() q: CatalogModelsQueryDto): Page<CatalogModelDto> {
    const { provider, kind } = q;
    const now = new Date();
    const rows = this.catalog.allRows().filter((r) => (!provider || r.provider === canonicalProvider(provider)) && (!kind || r.kind === kind));
    const byModel = new Map<string, ModelPrice[]>();
    for (const r of rows) {
      const k = `${r.provider}\u0000${r.modelId}`;
      byModel.set(k, [...(byModel.get(k) ?? []), r]);
    }
    const data = [...byModel.values()].map((versions): CatalogModelDto => {
      versions.sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
      const { provider: prov, modelId, kind: k, contextTokens } = versions[versions.length - 1];
      const current = selectInForce(versions, now);
      const decision = this.catalog.sourceDecision(prov, modelId);
      return {
        id: modelId,
        provider: prov,
        kind: k,
        contextTokens,
        versions: versions.length,
        priceSource: decision === null ? null : { winner: decision.winner, sources: decision.sources, reason: decision.reason },
        currentPrice: current ? rowView(current) : null,
        priceVersions: versions.map(rowView),
      };
    });
    return memoryPage(data, q);
  }

  @Get('models/:id/prices')
  @Requires('read')
  @ApiOperation({ summary: 'Every price version of one model (URL-encode ids that contain a slash)', description: 'A model has a handful of versions: without limit or cursor they are answered whole (nextCursor null).' })
  @ApiOkResponse({ type: ModelPricesDto })
  prices(@Param('id') id: string, @Query() q: PageQueryDto): ModelPricesDto {
    const versions = this.catalog.versionsOf(id);
    if (!versions.length) throw new NotFoundError(`No prices for model ${id}`);
    return { modelId: id, ...memoryPage(versions.map(priceView), q) };
  }

  @Get('overrides')
  @Requires('read')
  @ApiOperation({ summary: "Your organisation's discounts and custom prices, oldest effectiveFrom first" })
  @ApiPageResponse(PriceOverrideDto)
  async overrides(@CurrentPrincipal() p: Principal, @Query() q: PageQueryDto): Promise<Page<PriceOverrideDto>> {
    const page = await this.catalog.overridesPage(p.orgId, q.limit ?? 100, q.cursor);
    return { data: page.data.map(overrideView), nextCursor: page.nextCursor };
  }

  @Post('overrides')
  @Requires('admin')
  @ApiOperation({
    summary: 'Add a discount per provider or a custom price per model, effective-dated',
    description: 'Applies to events ingested from now on; run POST /v1/catalog/reprice for past events.',
  })
  @Idempotent()
  @ApiCreatedResponse({ type: PriceOverrideDto })
  async addOverride(@CurrentPrincipal() p: Principal, @Body() b: CreateOverrideDto): Promise<PriceOverrideDto> {
    const row = await this.catalog.createOverride(p.orgId, {
      kind: b.kind,
      provider: canonicalProvider(b.provider),
      modelId: b.kind === 'custom' ? b.modelId!.trim().toLowerCase() : null,
      percent: b.kind === 'discount' ? b.percent : null,
      inputPerMTok: b.kind === 'custom' ? b.inputPerMTok : null,
      outputPerMTok: b.kind === 'custom' ? b.outputPerMTok : null,
      cachedInputPerMTok: b.cachedInputPerMTok ?? null,
      cacheWritePerMTok: b.cacheWritePerMTok ?? null,
      reasoningPerMTok: b.reasoningPerMTok ?? null,
      effectiveFrom: new Date(b.effectiveFrom),
      effectiveTo: b.effectiveTo ? new Date(b.effectiveTo) : null,
      note: b.note ?? null,
    });
    return overrideView(row);
  }

  @Delete('overrides/:id')
  @HttpCode(204)
  @Requires('admin')
  @ApiOperation({ summary: 'Remove an override', description: 'Applies to events ingested from now on; past events keep their cost until repriced.' })
  @ApiNoContentResponse({ description: 'Removed' })
  async deleteOverride(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string): Promise<void> {
    if (!(await this.catalog.deleteOverride(p.orgId, id))) throw new NotFoundError(`Override ${id} not found`);
  }

  @Get('gpus')
  @Requires('read')
  @ApiOperation({
    summary: 'GPUs: memory, bandwidth, bf16/fp8 TFLOPS, interconnect, fp8 support, price per tier (USD per GPU-hour, decimal strings) and every normalised offer, each with its source',
    description:
      'Tiers: marketOnDemand (default; median of dated on-demand offers of the 18 months before asOf), hyperscalerOnDemand, committed1y, spot. A tier with no sourced support is null and priceGaps says why. Bounded by the reference data: the whole list unless limit or cursor is given.',
  })
  @ApiOkResponse({ type: GpuCatalogDto })
  gpus(@Query() q: PageQueryDto): GpuCatalogDto {
    const { data, ...rest } = gpuCatalog();
    return { ...rest, ...memoryPage(data, q) } as GpuCatalogDto;
  }

  @Get('open-models')
  @Requires('read')
  @ApiOperation({
    summary: 'Open models (current and older seed models) with size, architecture, licence and quality scores with sources',
    description: 'Bounded by the reference data: the whole list unless limit or cursor is given.',
  })
  @ApiPageResponse(OpenModelDto)
  async openModels(@Query() q: PageQueryDto): Promise<Page<OpenModelDto>> {
    return memoryPage((await this.catalog.facts('open_model')).map((f) => ({ ...(f.data as object), source: f.source }) as OpenModelDto), q);
  }
}

let gpuCatalogCache: GpuCatalogView | null = null;
/** The reference data is fixed for the life of the process, so the view is built once. */
function gpuCatalog(): GpuCatalogView {
  gpuCatalogCache ??= gpuCatalogView(REFERENCE);
  return gpuCatalogCache;
}

function overrideView(r: PriceOverride): PriceOverrideDto {
  return {
    id: r.id,
    kind: r.kind,
    provider: r.provider,
    modelId: r.modelId,
    percent: str(r.percent),
    inputPerMTok: str(r.inputPerMTok),
    outputPerMTok: str(r.outputPerMTok),
    cachedInputPerMTok: str(r.cachedInputPerMTok),
    cacheWritePerMTok: str(r.cacheWritePerMTok),
    reasoningPerMTok: str(r.reasoningPerMTok),
    effectiveFrom: r.effectiveFrom.toISOString(),
    effectiveTo: r.effectiveTo?.toISOString() ?? null,
    note: r.note,
  };
}

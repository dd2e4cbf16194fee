import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';
import { NotFoundError } from '../common/errors.js';
import { selectPrice, type PriceVersion } from '../domain/pricing/price.js';
import type { PriceOverride } from '../generated/prisma/client.js';
import { CatalogService } from './catalog.service.js';
import { CreateOverrideDto } from './catalog.dto.js';
import { GpuCatalogDto } from './gpu-catalog.dto.js';
import { gpuCatalogView, type GpuCatalogView } from './gpu-catalog.js';
import { canonicalProvider, REFERENCE } from './reference-data.js';
import { uuid404 } from '../common/formats.js';

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

function priceView(p: PriceVersion) {
  return {
    id: p.id,
    provider: p.provider,
    modelId: p.modelId,
    inputPerMTok: str(p.inputPerMTok),
    outputPerMTok: str(p.outputPerMTok),
    cachedInputPerMTok: str(p.cachedInputPerMTok),
    cacheWritePerMTok: str(p.cacheWritePerMTok),
    reasoningPerMTok: str(p.reasoningPerMTok),
    tiers: p.tiers,
    effectiveFrom: p.effectiveFrom.toISOString(),
    effectiveTo: p.effectiveTo?.toISOString() ?? null,
    source: p.source,
  };
}

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('v1/catalog')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('models')
  @Requires('read')
  @ApiOperation({ summary: 'Priced models (closed and managed open APIs) with the price in force now; USD per 1M tokens as decimal strings' })
  @ApiQuery({ name: 'provider', required: false })
  @ApiQuery({ name: 'kind', required: false, enum: ['closed', 'managed_open'] })
  models(@Query('provider') provider?: string, @Query('kind') kind?: string) {
    const now = new Date();
    const rows = this.catalog.allRows().filter((r) => (!provider || r.provider === canonicalProvider(provider)) && (!kind || r.kind === kind));
    const ids = [...new Set(rows.map((r) => `${r.provider}\u0000${r.modelId}`))];
    const data = ids.map((key) => {
      const [prov, modelId] = key.split('\u0000');
      const versions = this.catalog.versionsOf(modelId).filter((v) => v.provider === prov);
      const current = selectPrice(versions, now);
      const row = rows.find((r) => r.provider === prov && r.modelId === modelId)!;
      return { id: modelId, provider: prov, kind: row.kind, contextTokens: row.contextTokens, versions: versions.length, currentPrice: current ? priceView(current) : null };
    });
    return { data };
  }

  @Get('models/:id/prices')
  @Requires('read')
  @ApiOperation({ summary: 'Every price version of one model (URL-encode ids that contain a slash)' })
  prices(@Param('id') id: string) {
    const versions = this.catalog.versionsOf(id);
    if (!versions.length) throw new NotFoundError(`No prices for model ${id}`);
    return { modelId: id, data: versions.map(priceView) };
  }

  @Get('overrides')
  @Requires('read')
  @ApiOperation({ summary: "Your organisation's discounts and custom prices" })
  async overrides(@CurrentPrincipal() p: Principal) {
    return { data: (await this.catalog.overrides(p.orgId)).map(overrideView) };
  }

  @Post('overrides')
  @Requires('admin')
  @ApiOperation({
    summary: 'Add a discount per provider or a custom price per model, effective-dated',
    description: 'Applies to events ingested from now on; run POST /v1/catalog/reprice for past events.',
  })
  async addOverride(@CurrentPrincipal() p: Principal, @Body() b: CreateOverrideDto) {
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
  @ApiOperation({ summary: 'Remove an override' })
  async deleteOverride(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string) {
    if (!(await this.catalog.deleteOverride(p.orgId, id))) throw new NotFoundError(`Override ${id} not found`);
  }

  @Get('gpus')
  @Requires('read')
  @ApiOperation({
    summary: 'GPUs: memory, bandwidth, bf16/fp8 TFLOPS, interconnect, fp8 support, price per tier (USD per GPU-hour, decimal strings) and every normalised offer, each with its source',
    description:
      'Tiers: marketOnDemand (default; median of dated on-demand offers of the 18 months before asOf), hyperscalerOnDemand, committed1y, spot. A tier with no sourced support is null and priceGaps says why.',
  })
  @ApiOkResponse({ type: GpuCatalogDto })
  gpus(): GpuCatalogView {
    return gpuCatalog();
  }

  @Get('open-models')
  @Requires('read')
  @ApiOperation({ summary: 'Open models (current and older seed models) with size, architecture, licence and quality scores with sources' })
  async openModels() {
    return { data: (await this.catalog.facts('open_model')).map((f) => ({ ...(f.data as object), source: f.source })) };
  }
}

let gpuCatalogCache: GpuCatalogView | null = null;
/** The reference data is fixed for the life of the process, so the view is built once. */
function gpuCatalog(): GpuCatalogView {
  gpuCatalogCache ??= gpuCatalogView(REFERENCE);
  return gpuCatalogCache;
}

function overrideView(r: PriceOverride) {
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

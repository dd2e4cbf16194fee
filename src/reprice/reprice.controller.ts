import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Idempotent } from '../infra/http/conventions.js';
import { RepriceDryRunDto, RepriceRunDto } from './reprice.responses.js';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import { uuid404 } from '../common/formats.js';
import type { Principal } from '../common/principal.js';
import { RepriceDto } from './reprice.dto.js';
import { RepriceService } from './reprice.service.js';

/** Re-pricing past events after a price or override change; the routes sit under the catalog they follow. */
@ApiTags('catalog')
@ApiBearerAuth()
@Controller('v1/catalog')
export class RepriceController {
  constructor(private readonly reprice: RepriceService) {}

  @Post('reprice')
  @HttpCode(200)
  @Requires('admin')
  @Idempotent()
  @ApiExtraModels(RepriceDryRunDto, RepriceRunDto)
  @ApiOkResponse({
    description: 'dryRun true (default): the per-model difference (RepriceDryRunDto); dryRun false: the run started (RepriceRunDto; follow it with GET /v1/catalog/reprice/{id})',
    schema: { oneOf: [{ $ref: getSchemaPath(RepriceDryRunDto) }, { $ref: getSchemaPath(RepriceRunDto) }] },
  })
  @ApiOperation({
    summary: 'Recompute the costs of past events',
    description: 'dryRun (default) returns the per-model difference without writing; dryRun=false starts a background run and answers its status with progress',
  })
  async startReprice(@CurrentPrincipal() p: Principal, @Body() b: RepriceDto): Promise<RepriceDryRunDto | RepriceRunDto> {
    const model = b.model?.trim().toLowerCase() || null;
    return b.dryRun === false ? this.reprice.start(p.orgId, b.from, b.to, model) : this.reprice.dryRun(p.orgId, b.from, b.to, model);
  }

  @Get('reprice/:id')
  @Requires('read')
  @ApiOkResponse({ type: RepriceRunDto })
  @ApiParam({ name: 'id', format: 'uuid', example: '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a' })
  @ApiOperation({ summary: 'Progress of a re-pricing run' })
  repriceStatus(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string): Promise<RepriceRunDto> {
    return this.reprice.status(p.orgId, id);
  }
}

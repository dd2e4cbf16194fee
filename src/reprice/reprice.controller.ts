import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ summary: 'Recompute costs of past events: dryRun (default) returns the per-model difference; dryRun=false starts a background run (202-style status with progress)' })
  async startReprice(@CurrentPrincipal() p: Principal, @Body() b: RepriceDto) {
    const model = b.model?.trim().toLowerCase() || null;
    return b.dryRun === false ? this.reprice.start(p.orgId, b.from, b.to, model) : this.reprice.dryRun(p.orgId, b.from, b.to, model);
  }

  @Get('reprice/:id')
  @Requires('read')
  @ApiOperation({ summary: 'Progress of a re-pricing run' })
  repriceStatus(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string) {
    return this.reprice.status(p.orgId, id);
  }
}

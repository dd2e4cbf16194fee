import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { RetentionSettingsDto } from './retention.responses.js';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';
import { RetentionService } from './retention.service.js';

export class RetentionDto {
  @ApiProperty({ type: 'integer', nullable: true, example: 395, description: 'Days of raw events to keep (30 to 3650); null keeps them forever. Rollups are always kept.' })
  @ValidateIf((o) => o.days !== null) @IsInt() @Min(30) @Max(3650) days: number | null;
}

@ApiTags('operations')
@ApiBearerAuth()
@Controller('v1/settings/retention')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Get()
  @Requires('read')
  @ApiOkResponse({ type: RetentionSettingsDto })
  @ApiOperation({ summary: 'How long raw events are kept, and the horizon of the last purge' })
  async get(@CurrentPrincipal() p: Principal): Promise<RetentionSettingsDto> {
    return this.retention.get(p.orgId);
  }

  @Put()
  @Requires('admin')
  @ApiOkResponse({ type: RetentionSettingsDto })
  @ApiOperation({ summary: 'Set how long raw events are kept', description: 'A nightly job drops older raw events while the hourly rollups (and so reports) stay' })
  async put(@CurrentPrincipal() p: Principal, @Body() b: RetentionDto): Promise<RetentionSettingsDto> {
    return this.retention.put(p.orgId, b.days);
  }
}

import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';
import { CurrentPrincipal, Requires } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { SettingsRepository } from '../economics/settings.repository.js';

export class RetentionDto {
  @ApiProperty({ nullable: true, example: 395, description: 'Days of raw events to keep (30 to 3650); null keeps them forever. Rollups are always kept.' })
  @ValidateIf((o) => o.days !== null) @IsInt() @Min(30) @Max(3650) days: number | null;
}

@ApiTags('operations')
@ApiBearerAuth()
@Controller('v1/settings/retention')
export class RetentionController {
  constructor(private readonly settings: SettingsRepository) {}

  @Get()
  @Requires('read')
  async get(@CurrentPrincipal() p: Principal) {
    const s = await this.settings.get(p.orgId);
    const from = await this.settings.retainedFrom(p.orgId);
    return { days: s.retentionDays, retainedFrom: from?.toISOString() ?? null };
  }

  @Put()
  @Requires('admin')
  @ApiOperation({ summary: 'How long raw events are kept; a nightly job drops older ones while hourly rollups (and so reports) stay' })
  async put(@CurrentPrincipal() p: Principal, @Body() b: RetentionDto) {
    await this.settings.putRetention(p.orgId, b.days);
    return this.get(p);
  }
}

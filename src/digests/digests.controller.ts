import { ConflictError } from '../common/errors.js';
import { Body, Controller, Get, Headers, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { isValidTimeZone, uuid404 } from '../common/formats.js';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';
import { InvalidError } from '../common/errors.js';
import { PageQueryDto } from '../common/pagination.js';
import { MANUAL_PERIOD_PREFIX } from '../domain/digest/index.js';
import { DIGEST_FORMATS, DigestsService, type DigestFormat } from './digests.service.js';

export class DigestScheduleDto {
  @ApiProperty({ example: '0 8 * * 1', description: 'Cron (minute hour day month weekday), in `timezone`; at most one digest an hour (DIGEST_MIN_INTERVAL_SECONDS)' })
  @IsString() @Matches(/^(\S+\s+){4,5}\S+$/, { message: 'cron must have five fields (minute hour day month weekday), or six with seconds first' }) cron: string;
  @ApiProperty({ example: 'Europe/Paris' }) @IsString() @MaxLength(64) timezone: string;
  @ApiProperty() @IsBoolean() enabled: boolean;
}

export class DigestFormatQueryDto {
  @ApiPropertyOptional({ enum: DIGEST_FORMATS, description: 'json (default; Accept: text/markdown also gives markdown), markdown, or slack (the incoming-webhook message: { text, blocks })' })
  @IsOptional() @IsIn(DIGEST_FORMATS as unknown as string[], { message: `format must be one of: ${DIGEST_FORMATS.join(', ')}` })
  format?: DigestFormat;
}

@ApiTags('digests')
@ApiBearerAuth()
@Controller('v1/digests')
export class DigestsController {
  constructor(private readonly digests: DigestsService) {}

  @Get('schedule')
  @Requires('read')
  @ApiOperation({ summary: 'When digests are built: cron, time zone, enabled' })
  schedule(@CurrentPrincipal() p: Principal) {
    return this.digests.schedule(p.orgId);
  }

  @Put('schedule')
  @Requires('admin')
  @ApiOperation({ summary: 'When digests are built (default: Mondays 08:00 in the org time zone)' })
  async setSchedule(@CurrentPrincipal() p: Principal, @Body() b: DigestScheduleDto) {
    if (!isValidTimeZone(b.timezone)) throw new InvalidError('Invalid request: timezone', [{ field: 'timezone', message: 'must be an IANA time zone' }]);
    return this.digests.setSchedule(p.orgId, b);
  }

  @Post()
  @Requires('admin')
  @ApiOperation({ summary: 'Build a digest now (stored and delivered like a scheduled one)' })
  async buildNow(@CurrentPrincipal() p: Principal) {
    const created = await this.digests.build(p.orgId, `${MANUAL_PERIOD_PREFIX}${new Date().toISOString()}`);
    // Another request of this org took the same millisecond's period.
    if (!created) throw new ConflictError('A digest was requested at the same instant; retry');
    return this.digests.render(p.orgId, created.id, 'json');
  }

  @Get()
  @Requires('read')
  @ApiOperation({ summary: 'Digests, newest first: id, period (the schedule slot or manual-<instant>), human title' })
  async list(@CurrentPrincipal() p: Principal, @Query() q: PageQueryDto) {
    return { data: (await this.digests.list(p.orgId, q.limit ?? 50)).map((d) => ({ id: d.id, period: d.period, title: d.title ?? d.period, createdAt: d.createdAt.toISOString() })) };
  }

  @Get(':id')
  @Requires('read')
  @ApiProduces('application/json', 'text/markdown')
  @ApiOperation({ summary: 'One digest as JSON, Markdown (?format=markdown or Accept: text/markdown) or a Slack message (?format=slack)' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid404) id: string,
    @Query() q: DigestFormatQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const format: DigestFormat = q.format ?? (accept?.includes('text/markdown') ? 'markdown' : 'json');
    const body = await this.digests.render(p.orgId, id, format);
    if (format === 'markdown') reply.header('content-type', 'text/markdown; charset=utf-8');
    return body;
  }
}

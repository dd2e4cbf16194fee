import { ConflictError } from '../common/errors.js';
import { Body, Controller, Get, Headers, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiMarkdownAlternative, ApiPageResponse } from '../common/api-contract.js';
import { Idempotent } from '../infra/http/conventions.js';
import { DigestDto, DigestScheduleViewDto, DigestSummaryDto, SlackMessageDto, VerdictChangeDto } from './digests.responses.js';
import { PendingEvaluationDto, PlanCandidateDto } from '../workloads/workloads.responses.js';
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
  @ApiProperty({ example: true }) @IsBoolean() enabled: boolean;
}

export class DigestFormatQueryDto {
  @ApiPropertyOptional({ enum: DIGEST_FORMATS, enumName: 'DigestFormat', example: 'markdown', description: 'json (default; Accept: text/markdown also gives markdown), markdown, or slack (the incoming-webhook message: { text, blocks })' })
  @IsOptional() @IsIn(DIGEST_FORMATS as unknown as string[], { message: `format must be one of: ${DIGEST_FORMATS.join(', ')}` })
  format?: DigestFormat;
}

@ApiTags('digests')
// Referenced only where they may be null (ApiNullableRef), so registered by name.
@ApiExtraModels(VerdictChangeDto, PlanCandidateDto, PendingEvaluationDto)
@ApiBearerAuth()
@Controller('v1/digests')
export class DigestsController {
  constructor(private readonly digests: DigestsService) {}

  @Get('schedule')
  @Requires('read')
  @ApiOkResponse({ type: DigestScheduleViewDto })
  @ApiOperation({ summary: 'When digests are built: cron, time zone, enabled' })
  schedule(@CurrentPrincipal() p: Principal): Promise<DigestScheduleViewDto> {
    return this.digests.schedule(p.orgId);
  }

  @Put('schedule')
  @Requires('admin')
  @ApiOkResponse({ type: DigestScheduleViewDto })
  @ApiOperation({ summary: 'Set when digests are built', description: 'Default: Mondays 08:00 in the org time zone; at most one digest an hour' })
  async setSchedule(@CurrentPrincipal() p: Principal, @Body() b: DigestScheduleDto): Promise<DigestScheduleViewDto> {
    if (!isValidTimeZone(b.timezone)) throw new InvalidError('Invalid request: timezone', [{ field: 'timezone', message: 'must be an IANA time zone' }]);
    return this.digests.setSchedule(p.orgId, b);
  }

  @Post()
  @Requires('admin')
  @Idempotent()
  @ApiCreatedResponse({ type: DigestDto })
  @ApiOperation({ summary: 'Build a digest now', description: 'Stored and delivered to the webhooks like a scheduled one; 409 when another request of the org took the same instant' })
  async buildNow(@CurrentPrincipal() p: Principal) {
    const created = await this.digests.build(p.orgId, `${MANUAL_PERIOD_PREFIX}${new Date().toISOString()}`);
    // Another request of this org took the same millisecond's period.
    if (!created) throw new ConflictError('A digest was requested at the same instant; retry');
    return this.digests.render(p.orgId, created.id, 'json');
  }

  @Get()
  @Requires('read')
  @ApiPageResponse(DigestSummaryDto)
  @ApiOperation({ summary: 'Digests, newest first', description: 'id, period (the schedule slot or manual-<instant>) and human title; cursor-paginated' })
  list(@CurrentPrincipal() p: Principal, @Query() q: PageQueryDto): Promise<{ data: DigestSummaryDto[]; nextCursor: string | null }> {
    return this.digests.list(p.orgId, q.limit ?? 50, q.cursor);
  }

  @Get(':id')
  @Requires('read')
  @ApiMarkdownAlternative()
  @ApiParam({ name: 'id', format: 'uuid', example: '7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918' })
  @ApiExtraModels(DigestDto, SlackMessageDto)
  @ApiOkResponse({
    description: 'format=json (default): the digest (DigestDto); format=slack: the Slack message (SlackMessageDto); format=markdown or Accept: text/markdown: Markdown',
    schema: { oneOf: [{ $ref: getSchemaPath(DigestDto) }, { $ref: getSchemaPath(SlackMessageDto) }] },
  })
  @ApiOperation({ summary: 'One digest as JSON, Markdown or a Slack message', description: 'Markdown with ?format=markdown or Accept: text/markdown; the Slack incoming-webhook message with ?format=slack' })
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

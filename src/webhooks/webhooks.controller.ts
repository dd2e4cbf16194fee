import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../common/api-contract.js';
import { Idempotent } from '../infra/http/conventions.js';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsUrl } from 'class-validator';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';
import { PageQueryDto, type Page } from '../common/pagination.js';
import { CreatedWebhookDto, WebhookDeliveryDto, WebhookDto } from './webhooks.responses.js';
import { WEBHOOK_EVENTS, WEBHOOK_FORMATS, WebhooksService, type WebhookEvent, type WebhookFormat } from './webhooks.service.js';
import { uuid404 } from '../common/formats.js';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://hooks.wingtip-group.com/crossover' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  url: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, enumName: 'WebhookEvent', isArray: true, example: ['budget.threshold_crossed', 'spend.anomaly'] })
  @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(WEBHOOK_EVENTS as unknown as string[], { each: true })
  events: WebhookEvent[];
  @ApiPropertyOptional({
    enum: WEBHOOK_FORMATS,
    enumName: 'WebhookFormat',
    default: 'standard',
    example: 'standard',
    description: 'standard: signed Standard Webhooks JSON; slack: a Slack incoming-webhook message ({ text, blocks }), unsigned (the URL is the secret)',
  })
  @IsOptional() @IsIn(WEBHOOK_FORMATS as unknown as string[], { message: `format must be one of: ${WEBHOOK_FORMATS.join(', ')}` })
  format?: WebhookFormat;
}


@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Requires('admin')
  @Idempotent()
  @ApiOperation({
    summary: 'Register an endpoint; the signing secret is returned only here',
    description:
      'Standard deliveries carry Standard Webhooks headers; Slack ones are incoming-webhook messages. A URL that resolves to a private, loopback or metadata address is refused (400).',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  create(@CurrentPrincipal() p: Principal, @Body() b: CreateWebhookDto): Promise<CreatedWebhookDto> {
    return this.webhooks.create(p.orgId, b.url, b.events, b.format ?? 'standard');
  }

  @Get()
  @Requires('admin')
  @ApiOperation({ summary: 'List webhook endpoints (without secrets), newest first' })
  @ApiPageResponse(WebhookDto)
  list(@CurrentPrincipal() p: Principal, @Query() q: PageQueryDto): Promise<Page<WebhookDto>> {
    return this.webhooks.list(p.orgId, q.limit ?? 100, q.cursor);
  }

  @Delete(':id')
  @HttpCode(204)
  @Requires('admin')
  @ApiOperation({ summary: 'Remove an endpoint; pending deliveries to it are dropped' })
  @ApiNoContentResponse({ description: 'Removed' })
  async remove(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string): Promise<void> {
    await this.webhooks.remove(p.orgId, id);
  }

  @Get(':id/deliveries')
  @Requires('admin')
  @ApiOperation({ summary: 'Delivery log: status, attempts, last HTTP status or error, newest first' })
  @ApiPageResponse(WebhookDeliveryDto)
  deliveries(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string, @Query() q: PageQueryDto): Promise<Page<WebhookDeliveryDto>> {
    return this.webhooks.deliveries(p.orgId, id, q.limit ?? 100, q.cursor);
  }
}

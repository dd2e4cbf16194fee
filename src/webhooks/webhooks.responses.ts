// Response bodies of /v1/webhooks, as the OpenAPI document describes them (README "API conventions").
import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_STATUSES, WEBHOOK_EVENTS, WEBHOOK_FORMATS, type DeliveryStatus, type WebhookEvent, type WebhookFormat } from './webhooks.service.js';

export class WebhookDto {
  @ApiProperty({ format: 'uuid', example: '5e8a1c3f-7b2d-4e9a-a6c4-2f1d8b7e0c95' }) id: string;
  @ApiProperty({ example: 'https://hooks.wingtip-group.com/crossover' }) url: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, enumName: 'WebhookEvent', isArray: true, example: ['budget.threshold_crossed', 'spend.anomaly'] }) events: WebhookEvent[];
  @ApiProperty({ enum: WEBHOOK_FORMATS, enumName: 'WebhookFormat', example: 'standard' }) format: WebhookFormat;
  @ApiProperty({ format: 'date-time', example: '2026-11-02T09:15:00.000Z' }) createdAt: string;
}

/** The answer of POST /v1/webhooks: the only time the signing secret is shown. */
export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    type: 'string',
    nullable: true,
    example: 'whsec_MfKQ9r8GKYqrTkRaVVEnMjUNo7ImQGGNJqpMz9e3bHk=',
    description: 'Standard Webhooks signing secret (shown only here); null for slack webhooks, which are unsigned',
  })
  secret: string | null;
}

/** What a delivery sends (standard format) and the log keeps: `data` depends on `type`. */
export class WebhookPayloadDto {
  @ApiProperty({ enum: WEBHOOK_EVENTS, enumName: 'WebhookEvent', example: 'budget.threshold_crossed' }) type: WebhookEvent;
  @ApiProperty({ format: 'date-time', example: '2026-11-30T14:00:00.000Z' }) timestamp: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The event: an alert, an anomaly, a digest or a reconciliation drift (see the webhooks guide)',
    example: { alertId: '1f6d3b8a-4c2e-4a7f-9b5d-8e0c2a6f4d17', budget: { id: '4a2f8c1e-6d3b-4e7a-9c5f-1b8d0e2a7c64', name: 'OpenAI monthly' }, period: '2026-11', threshold: 80, spendUsd: '1735.95', limitUsd: '2000' },
  })
  data: Record<string, unknown>;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid', example: '8b3e6d2a-1f4c-4a9e-b7d5-3c0a9f2e6b18' }) id: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, enumName: 'WebhookEvent', example: 'budget.threshold_crossed' }) eventType: WebhookEvent;
  @ApiProperty({ example: 'alert-1f6d3b8a-4c2e-4a7f-9b5d-8e0c2a6f4d17', description: 'The `webhook-id` header: the same on every attempt, for the receiver to dedupe' }) messageId: string;
  @ApiProperty({ enum: DELIVERY_STATUSES, enumName: 'WebhookDeliveryStatus', example: 'delivered' }) status: DeliveryStatus;
  @ApiProperty({ type: 'integer', example: 1, description: 'HTTP attempts so far' }) attempts: number;
  @ApiProperty({ type: 'integer', nullable: true, example: 200, description: 'HTTP status of the last attempt; null when none answered' }) lastStatusCode: number | null;
  @ApiProperty({ type: 'string', nullable: true, example: null, description: 'Why the last attempt failed; null when it succeeded or none ran yet' }) lastError: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-30T14:00:00.000Z' }) createdAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-11-30T14:00:01.250Z', description: 'null until delivered' }) deliveredAt: string | null;
  @ApiProperty({ type: WebhookPayloadDto }) payload: WebhookPayloadDto;
}

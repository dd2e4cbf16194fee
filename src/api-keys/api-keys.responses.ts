// Response bodies of /v1/api-keys, as the OpenAPI document describes them (README "API conventions").
import { ApiProperty } from '@nestjs/swagger';
import { API_KEY_SCOPES, type ApiKeyScope } from '../common/principal.js';

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid', example: '6f1c2a9e-3b4d-4e8f-9a01-7c2d5e8f1b34' }) id: string;
  @ApiProperty({ example: 'support-chat ingest' }) name: string;
  @ApiProperty({ example: 'cx_live_4fQ2zR', description: 'The first characters of the key: enough to tell keys apart, not to use one' }) prefix: string;
  @ApiProperty({ enum: API_KEY_SCOPES, enumName: 'ApiKeyScope', isArray: true, example: ['ingest'] }) scopes: ApiKeyScope[];
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: '2b7e4c1d-9f3a-4d6b-8e2c-5a1f7d9c3e60', description: 'The one project the key posts to; null: any' })
  projectId: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-02T09:15:00.000Z' }) createdAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-11-30T14:02:00.000Z', description: 'Minute resolution; null: never used' })
  lastUsedAt: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null, description: 'null while the key works' }) revokedAt: string | null;
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    example: '9d4b1e7a-2c3f-4a8d-b6e5-1f0c7a2d8e93',
    description: 'The user the key is attributed to: who made it, or who made the admin key that made it',
  })
  createdBy: string | null;
}

/** The answer of POST /v1/api-keys: the only time the secret is shown. */
export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ example: 'cx_live_4fQ2zR8kLm3nP7vX1bC9dE5gH2jK6tY0', description: 'The secret key: shown only here, never stored' }) key: string;
}

export class SigningSecretDto {
  @ApiProperty({ format: 'uuid', example: '6f1c2a9e-3b4d-4e8f-9a01-7c2d5e8f1b34' }) id: string;
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTkRaVVEnMjUNo7ImQGGNJqpMz9e3bHk=', description: 'Standard Webhooks secret: shown only here' }) signingSecret: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsObject, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ApiMoney } from '../common/api-contract.js';
import { CONNECTOR_PROVIDERS, type ConnectorProvider } from '../domain/connectors/provider-lines.js';

export class ConnectorCredentialsDto {
  @ApiProperty({ description: 'The provider admin key (OpenAI: an Admin key, sk-admin-…; Anthropic: an Admin API key, sk-ant-admin…). Sealed at rest, never returned.', example: 'sk-admin-REPLACE-ME' })
  @IsString()
  // Printable ASCII without spaces: it travels in an HTTP header. The message never repeats the value.
  @Matches(/^[\x21-\x7e]{8,512}$/, { message: 'adminKey must be 8 to 512 printable ASCII characters without spaces' })
  adminKey: string;
}

export class CreateConnectorDto {
  @ApiProperty({ enum: CONNECTOR_PROVIDERS, enumName: 'ConnectorProvider', example: 'openai' })
  @IsIn(CONNECTOR_PROVIDERS as unknown as string[])
  provider: ConnectorProvider;

  @ApiProperty({ example: 'OpenAI production org', description: '1 to 100 characters, unique in the org' })
  @IsString()
  @Length(1, 100)
  // eslint-disable-next-line no-control-regex
  @Matches(/^[^\u0000-\u001f\u007f]*\S[^\u0000-\u001f\u007f]*$/, { message: 'name must have a visible character and no control characters' })
  name: string;

  @ApiProperty({ type: ConnectorCredentialsDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ConnectorCredentialsDto)
  credentials: ConnectorCredentialsDto;

  @ApiPropertyOptional({ description: 'Another base URL for the provider API (a corporate proxy). Refused unless the deployment sets CONNECTOR_ALLOW_BASE_URL=true; private addresses are refused like webhook URLs.', example: 'https://llm-proxy.example.com' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  baseUrl?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class SyncConnectorDto {
  @ApiProperty({ example: '2026-03-01', description: 'First UTC day (inclusive), YYYY-MM-DD' })
  @IsString()
  @Matches(DAY, { message: 'from must be a UTC day, YYYY-MM-DD' })
  from: string;

  @ApiProperty({ example: '2026-03-08', description: 'Last UTC day, EXCLUSIVE (YYYY-MM-DD); at most 93 days after from and at most tomorrow' })
  @IsString()
  @Matches(DAY, { message: 'to must be a UTC day, YYYY-MM-DD' })
  to: string;
}

export const RUN_TRIGGERS = ['manual', 'daily', 'hourly'] as const;
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export const RUN_PHASES = ['queued', 'costs', 'usage', 'storing', 'done'] as const;

const TS = '2026-11-30T00:00:00.000Z';

export class ConnectorStoredDto {
  @ApiProperty({ example: 412 }) costLines: number;
  @ApiProperty({ example: 1280 }) usageLines: number;
  @ApiMoney({ example: '1735.95', description: 'USD billed by the provider over the stored days, decimal string' }) billedUsd: string;
  @ApiProperty({ nullable: true, type: String, example: '2026-11-01', description: 'First stored UTC day' }) firstDay: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-11-30', description: 'Last stored UTC day' }) lastDay: string | null;
}

export class ConnectorDto {
  @ApiProperty({ format: 'uuid', example: '8d1f6a2e-4b3c-4e5d-9f7a-1b2c3d4e5f60' }) id: string;
  @ApiProperty({ enum: CONNECTOR_PROVIDERS, enumName: 'ConnectorProvider', example: 'openai' }) provider: string;
  @ApiProperty({ example: 'OpenAI production org' }) name: string;
  @ApiProperty({ nullable: true, type: String, example: null, description: 'A corporate proxy in front of the provider API; null: the provider itself' }) baseUrl: string | null;
  @ApiProperty({ example: 'k2026', description: 'Id of the CONNECTOR_ENCRYPTION_KEY entry the credentials are sealed with (not a secret; see key rotation in the README)' }) sealedWithKeyId: string;
  @ApiProperty({ format: 'date-time', example: TS }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: '2026-12-01T06:00:00.000Z' }) lastSyncedAt: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-11-29', description: 'Days before this one are final at the provider' }) finalBefore: string | null;
  @ApiProperty({ nullable: true, type: String, example: null, description: 'Why the last sync failed' }) lastError: string | null;
  @ApiPropertyOptional({ type: ConnectorStoredDto, description: 'GET /v1/connectors/{id} only: what is stored from this connector' }) stored?: ConnectorStoredDto;
}

export class RunProgressDto {
  @ApiProperty({ enum: RUN_PHASES, enumName: 'ConnectorRunPhase', example: 'done' }) phase: string;
  @ApiProperty({ example: 3, description: 'Cost report pages read' }) costPages: number;
  @ApiProperty({ example: 5, description: 'Usage report pages read' }) usagePages: number;
  @ApiProperty({ example: 0, description: 'Provider rows that could not be read' }) skippedRows: number;
  @ApiProperty({ type: [String], example: [], description: 'Why (at most 10, credentials scrubbed)' }) skippedReasons: string[];
  @ApiProperty({ example: 1, description: 'Retries after a 429' }) rateLimited: number;
  @ApiProperty({ example: 0, description: 'Retries after a 5xx' }) serverErrors: number;
  @ApiProperty({ example: 0, description: 'Retries after a connection failure' }) networkErrors: number;
}

export class ConnectorRunDto {
  @ApiProperty({ format: 'uuid', example: '5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170' }) id: string;
  @ApiProperty({ format: 'uuid', example: '8d1f6a2e-4b3c-4e5d-9f7a-1b2c3d4e5f60' }) connectorId: string;
  @ApiProperty({ enum: RUN_TRIGGERS, enumName: 'ConnectorRunTrigger', example: 'manual' }) trigger: string;
  @ApiProperty({ example: '2026-11-01', description: 'First UTC day' }) from: string;
  @ApiProperty({ example: '2026-12-01', description: 'Last UTC day, exclusive' }) to: string;
  @ApiProperty({ enum: RUN_STATUSES, enumName: 'ConnectorRunStatus', example: 'succeeded' }) status: string;
  @ApiProperty({ example: 8, description: 'Provider pages read' }) pages: number;
  @ApiProperty({ example: 412 }) costLines: number;
  @ApiProperty({ example: 1280 }) usageLines: number;
  @ApiProperty({ example: 1, description: 'Provider calls retried (429s waited out, 5xx and connection failures)' }) retries: number;
  @ApiProperty({ type: RunProgressDto, description: 'Phase, pages per report, skipped rows and why, retries by kind' }) progress: RunProgressDto;
  @ApiProperty({ nullable: true, type: String, example: null, description: 'Why the run failed (provider text scrubbed of credentials)' }) error: string | null;
  @ApiProperty({ format: 'date-time', example: TS }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: '2026-11-30T00:00:01.000Z' }) startedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: '2026-11-30T00:00:09.000Z' }) finishedAt: string | null;
}

/** The answer to POST /v1/connectors/{id}/sync: the queued run, its id also as runId. */
export class ConnectorSyncDto extends ConnectorRunDto {
  @ApiProperty({ format: 'uuid', example: '5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170', description: 'Same as id: poll GET /v1/connectors/{id}/runs/{runId}' }) runId: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsObject, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { CONNECTOR_PROVIDERS, type ConnectorProvider } from '../domain/connectors/provider-lines.js';

export class ConnectorCredentialsDto {
  @ApiProperty({ description: 'The provider admin key (OpenAI: an Admin key, sk-admin-…; Anthropic: an Admin API key, sk-ant-admin…). Sealed at rest, never returned.', example: 'sk-admin-REPLACE-ME' })
  @IsString()
  // Printable ASCII without spaces: it travels in an HTTP header. The message never repeats the value.
  @Matches(/^[\x21-\x7e]{8,512}$/, { message: 'adminKey must be 8 to 512 printable ASCII characters without spaces' })
  adminKey: string;
}

export class CreateConnectorDto {
  @ApiProperty({ enum: CONNECTOR_PROVIDERS })
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

export class ConnectorStoredView {
  @ApiProperty() costLines: number;
  @ApiProperty() usageLines: number;
  @ApiProperty({ description: 'USD, decimal string' }) billedUsd: string;
  @ApiProperty({ nullable: true, type: String }) firstDay: string | null;
  @ApiProperty({ nullable: true, type: String }) lastDay: string | null;
}

export class ConnectorView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: CONNECTOR_PROVIDERS }) provider: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) baseUrl: string | null;
  @ApiProperty({ description: 'Id of the CONNECTOR_ENCRYPTION_KEY entry the credentials are sealed with (not a secret; see key rotation in the README)' }) sealedWithKeyId: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) lastSyncedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Days before this one are final at the provider' }) finalBefore: string | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiPropertyOptional({ type: ConnectorStoredView, description: 'GET /v1/connectors/{id} only: what is stored from this connector' }) stored?: ConnectorStoredView;
}

export class ConnectorPageView {
  @ApiProperty({ type: [ConnectorView] }) data: ConnectorView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class ConnectorRunView {
  @ApiProperty() id: string;
  @ApiProperty() connectorId: string;
  @ApiProperty({ enum: ['manual', 'daily', 'hourly'] }) trigger: string;
  @ApiProperty({ description: 'First UTC day' }) from: string;
  @ApiProperty({ description: 'Last UTC day, exclusive' }) to: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] }) status: string;
  @ApiProperty({ description: 'Provider pages read' }) pages: number;
  @ApiProperty() costLines: number;
  @ApiProperty() usageLines: number;
  @ApiProperty({ description: 'Provider calls retried (429s waited out, 5xx and connection failures)' }) retries: number;
  @ApiProperty({ description: 'phase (queued, costs, usage, storing, done), pages per report, skipped rows and why, retries by kind' }) progress: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, description: 'Why the run failed (provider text scrubbed of credentials)' }) error: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) startedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) finishedAt: string | null;
}

export class ConnectorRunPageView {
  @ApiProperty({ type: [ConnectorRunView] }) data: ConnectorRunView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

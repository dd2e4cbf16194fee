// The answer of GET and PUT /v1/settings/retention.
import { ApiProperty } from '@nestjs/swagger';

export class RetentionSettingsDto {
  @ApiProperty({ type: 'integer', nullable: true, example: 395, description: 'Days of raw events kept (30 to 3650); null keeps them forever' }) days: number | null;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    example: '2025-11-01T00:00:00.000Z',
    description: 'Raw events before this were purged (their hourly rollups stay); events older than it are refused at ingest. null until a purge ran',
  })
  retainedFrom: string | null;
}

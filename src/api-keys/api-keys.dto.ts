import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { API_KEY_SCOPES, type ApiKeyScope } from '../common/principal.js';
import { SLUG_MESSAGE, SLUG_PATTERN } from '../common/formats.js';
import { PageQueryDto } from '../common/pagination.js';


export class CreateApiKeyDto {
  @ApiProperty({ example: 'support-chat ingest' }) @IsString() @Length(1, 200) name: string;
  @ApiProperty({ enum: API_KEY_SCOPES, enumName: 'ApiKeyScope', isArray: true, example: ['ingest'] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(3) @ArrayUnique() @IsIn(API_KEY_SCOPES as unknown as string[], { each: true })
  scopes: ApiKeyScope[];
  @ApiPropertyOptional({ example: 'support-chat', description: 'Restrict the key to one project (created if new): its events are filed under it' })
  @IsOptional() @Matches(SLUG_PATTERN, { message: `projectSlug ${SLUG_MESSAGE}` }) projectSlug?: string;
}

export class ListApiKeysQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ default: false, example: false, description: 'Include revoked keys' })
  @IsOptional() @Transform(({ value }) => value === 'true' || value === true) @IsBoolean() includeRevoked?: boolean;
}

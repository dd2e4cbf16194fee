import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';

export class RepriceDto {
  @ApiProperty({ example: '2026-11-01T00:00:00Z' }) @IsISO8601({ strict: true }) from: string;
  @ApiProperty({ example: '2026-12-01T00:00:00Z', description: 'Exclusive' }) @IsISO8601({ strict: true }) to: string;
  @ApiPropertyOptional({ default: true, example: true, description: 'true: return the per-model difference without writing; false: run in the background' })
  @IsOptional() @IsBoolean() dryRun?: boolean;
  @ApiPropertyOptional({ example: 'gpt-4o', description: 'Only events of this model (catalog id or the name as sent), e.g. after changing one price' })
  @IsOptional() @IsString() @MaxLength(200) model?: string;
}


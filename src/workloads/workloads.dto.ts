import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export const TASK_CATEGORIES = ['classification', 'extraction', 'summarisation', 'chat', 'code', 'reasoning', 'embedding', 'other'];
export const QUALITY_REQUIREMENTS = ['best-available', 'high', 'good-enough'];
export const SENSITIVITIES = ['public', 'internal', 'confidential', 'regulated'];

export class AnnotateWorkloadDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional({ enum: TASK_CATEGORIES }) @IsOptional() @IsIn(TASK_CATEGORIES) taskCategory?: string;
  @ApiPropertyOptional({ enum: QUALITY_REQUIREMENTS }) @IsOptional() @IsIn(QUALITY_REQUIREMENTS) qualityRequirement?: string;
  @ApiPropertyOptional({ description: 'p95 latency target (ms)' }) @IsOptional() @IsInt() @Min(1) @Max(600_000) latencyTargetP95Ms?: number;
  @ApiPropertyOptional({ enum: ['interactive', 'batch'], description: 'batch: nobody waits on each answer (results within hours are fine), so batch and flex API tiers are priced' })
  @IsOptional() @IsIn(['interactive', 'batch']) latencyTolerance?: 'interactive' | 'batch';
  @ApiPropertyOptional({ enum: SENSITIVITIES }) @IsOptional() @IsIn(SENSITIVITIES) dataSensitivity?: string;
  @ApiPropertyOptional({ example: 'eu', description: "Where the data must be processed: 'eu', 'us', a narrower region code such as 'eu-west', or 'any'. API providers without sourced processing there are excluded" })
  @IsOptional() @IsString() @Matches(/^(any|[a-z]{2,10}(-[a-z0-9]{1,10})?)$/, { message: "dataResidency must be 'any' or a region code such as eu, us or eu-west" }) dataResidency?: string;
  @ApiPropertyOptional({ example: ['eu'], description: 'Older form of dataResidency (regions the data must stay in); read when dataResidency is absent' })
  @IsOptional() @ArrayMaxSize(10) @Matches(/^[a-z]{2,10}(-[a-z0-9]{1,10})?$/, { each: true, message: 'residency entries must be region codes such as eu or us-east' }) residency?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() needsCustomisation?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) ownerTeam?: string;
}

class MetricsDto {
  @ApiProperty({ example: { accuracy: 0.93, fluency: 0.9 } }) @IsObject() candidate: Record<string, number>;
  @ApiProperty({ example: { accuracy: 0.94, fluency: 0.92 } }) @IsObject() baseline: Record<string, number>;
}

export class CreateEvaluationDto {
  @ApiProperty({ example: 'llama-3.1-8b-instruct' }) @IsString() @Length(1, 200) candidateModel: string;
  @ApiProperty({ example: 'gpt-4o-mini' }) @IsString() @Length(1, 200) baselineModel: string;
  @ApiProperty({ example: 500 }) @IsInt() @Min(1) @Max(100_000_000) sampleSize: number;
  @ApiProperty({ type: MetricsDto, description: 'Scores in 0..1 per metric (accuracy, fluency, factuality, safety, or your own)' })
  @IsDefined() @IsObject() @ValidateNested() @Type(() => MetricsDto) metrics: MetricsDto;
}

export class PlanQueryDto {
  @ApiPropertyOptional({ description: 'Recompute now instead of serving the last snapshot' }) @IsOptional() @IsIn(['true', 'false']) refresh?: string;
}

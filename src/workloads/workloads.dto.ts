import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export const TASK_CATEGORIES = ['classification', 'extraction', 'summarisation', 'chat', 'code', 'reasoning', 'embedding', 'other'];
export const QUALITY_REQUIREMENTS = ['best-available', 'high', 'good-enough'];
export const SENSITIVITIES = ['public', 'internal', 'confidential', 'regulated'];

export class AnnotateWorkloadDto {
  @ApiPropertyOptional({ example: 'Code assistant' }) @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ example: 'IDE completions and chat for the engineering team' }) @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional({ enum: TASK_CATEGORIES, enumName: 'TaskCategory', example: 'code' }) @IsOptional() @IsIn(TASK_CATEGORIES) taskCategory?: string;
  @ApiPropertyOptional({ enum: QUALITY_REQUIREMENTS, enumName: 'QualityRequirement', example: 'high' }) @IsOptional() @IsIn(QUALITY_REQUIREMENTS) qualityRequirement?: string;
  @ApiPropertyOptional({ example: 4000, description: 'p95 latency target (ms)' }) @IsOptional() @IsInt() @Min(1) @Max(600_000) latencyTargetP95Ms?: number;
  @ApiPropertyOptional({ enum: ['interactive', 'batch'], enumName: 'LatencyTolerance', example: 'interactive', description: 'batch: nobody waits on each answer (results within hours are fine), so batch and flex API tiers are priced' })
  @IsOptional() @IsIn(['interactive', 'batch']) latencyTolerance?: 'interactive' | 'batch';
  @ApiPropertyOptional({ enum: SENSITIVITIES, enumName: 'DataSensitivity', example: 'confidential' }) @IsOptional() @IsIn(SENSITIVITIES) dataSensitivity?: string;
  @ApiPropertyOptional({ example: 'eu', description: "Where the data must be processed: 'eu', 'us', a narrower region code such as 'eu-west', or 'any'. API providers without sourced processing there are excluded" })
  @IsOptional() @IsString() @Matches(/^(any|[a-z]{2,10}(-[a-z0-9]{1,10})?)$/, { message: "dataResidency must be 'any' or a region code such as eu, us or eu-west" }) dataResidency?: string;
  @ApiPropertyOptional({ example: ['eu'], description: 'Older form of dataResidency (regions the data must stay in); read when dataResidency is absent' })
  @IsOptional() @ArrayMaxSize(10) @Matches(/^[a-z]{2,10}(-[a-z0-9]{1,10})?$/, { each: true, message: 'residency entries must be region codes such as eu or us-east' }) residency?: string[];
  @ApiPropertyOptional({ example: false }) @IsOptional() @IsBoolean() needsCustomisation?: boolean;
  @ApiPropertyOptional({ example: 'developer-productivity' }) @IsOptional() @IsString() @Length(1, 100) ownerTeam?: string;
}

class EvaluationMetricsInputDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { accuracy: 0.95, faithfulness: 0.91 } }) @IsObject() candidate: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { accuracy: 0.96, faithfulness: 0.93 } }) @IsObject() baseline: Record<string, number>;
}

export class CreateEvaluationDto {
  @ApiProperty({ example: 'llama-3.3-70b-instruct' }) @IsString() @Length(1, 200) candidateModel: string;
  @ApiProperty({ example: 'gpt-4o' }) @IsString() @Length(1, 200) baselineModel: string;
  @ApiProperty({ example: 500 }) @IsInt() @Min(1) @Max(100_000_000) sampleSize: number;
  @ApiProperty({ type: EvaluationMetricsInputDto, description: 'Scores in 0..1 per metric (accuracy, fluency, factuality, safety, or your own)' })
  @IsDefined() @IsObject() @ValidateNested() @Type(() => EvaluationMetricsInputDto) metrics: EvaluationMetricsInputDto;
}

export class PlanQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], example: 'false', description: 'Recompute now instead of serving the last snapshot' }) @IsOptional() @IsIn(['true', 'false']) refresh?: string;
}

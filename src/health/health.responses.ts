// Response bodies of the probes, as the OpenAPI document describes them.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'], enumName: 'LivenessStatus', example: 'ok' }) status: 'ok';
}

/** One dependency's state, as readiness reports it (never its error text: hosts, users, versions). */
export class HealthIndicatorDto {
  @ApiProperty({ enum: ['up', 'down'], enumName: 'HealthIndicatorStatus', example: 'up' }) status: 'up' | 'down';
  @ApiPropertyOptional({ example: 'unreachable', description: 'down only' }) message?: string;
}

const INDICATORS = {
  type: 'object',
  additionalProperties: { $ref: '#/components/schemas/HealthIndicatorDto' },
  description: 'Per dependency (postgres, redis)',
} as const;

/** The answer of a ready instance (terminus' health check result). */
export class ReadinessDto {
  @ApiProperty({ enum: ['ok'], enumName: 'ReadinessStatus', example: 'ok' }) status: 'ok';
  @ApiProperty({ ...INDICATORS, example: { postgres: { status: 'up' }, redis: { status: 'up' } }, description: 'Dependencies that are up' }) info: Record<string, HealthIndicatorDto>;
  @ApiProperty({ ...INDICATORS, example: {}, description: 'Dependencies that are down (empty when ready)' }) error: Record<string, HealthIndicatorDto>;
  @ApiProperty({ ...INDICATORS, example: { postgres: { status: 'up' }, redis: { status: 'up' } }, description: 'Every dependency' }) details: Record<string, HealthIndicatorDto>;
}

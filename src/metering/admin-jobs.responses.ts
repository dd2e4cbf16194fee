// The answer of GET /v1/admin/jobs, and the data-freshness note that answers computed from the rollups
// (forecast, digests) carry.
import { ApiProperty } from '@nestjs/swagger';
import { QUEUE_JOBS } from '../infra/queue/contracts.js';

const QUEUE_NAMES = Object.keys(QUEUE_JOBS);
const JOB_NAMES = [...new Set(Object.values(QUEUE_JOBS).flat())];

/** Whether every hour an answer reads was rolled up when it was computed. */
export class DataFreshnessDto {
  @ApiProperty({ example: 0, description: 'Hours with events still waiting for their rollup (0: complete)' }) pendingRollupHours: number;
  @ApiProperty({ example: true }) complete: boolean;
  @ApiProperty({ type: 'string', format: 'date-time', example: '2026-11-30T14:00:00.000Z', description: 'Data is complete up to here: the oldest hour still waiting, or the request time' }) dataAsOf: string;
}

export class FailedJobDto {
  @ApiProperty({ enum: QUEUE_NAMES, enumName: 'QueueName', example: 'digests' }) queue: string;
  @ApiProperty({ example: 'repeat:digest-6f1c2b3a:1764576000000', description: 'BullMQ job id' }) id: string;
  @ApiProperty({ enum: JOB_NAMES, enumName: 'JobName', example: 'build' }) name: string;
  @ApiProperty({ example: 8, description: 'Attempts made before it was given up' }) attempts: number;
  @ApiProperty({ example: 'connect ECONNREFUSED 10.0.0.12:443' }) failedReason: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-11-30T08:00:04.000Z' }) finishedAt: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { orgId: '6f1c2b3a-9d4e-4f5a-8b6c-7d8e9f0a1b2c' },
    description: "The job's payload: its queue's contract (src/infra/queue/contracts.ts), always with orgId",
  })
  data: Record<string, unknown>;
}

export class RollupBacklogDto {
  @ApiProperty({ example: 2, description: 'Hours with events waiting for their rollup' }) dirtyHours: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-11-30T13:58:10.000Z', description: 'When the oldest waiting hour was marked; null when none waits' })
  oldestMarkedAt: string | null;
  @ApiProperty({ example: 110, description: 'Age of that mark (seconds); 0 when none waits' }) lagSeconds: number;
}

export class AdminJobsDto {
  @ApiProperty({ type: [FailedJobDto], description: 'Jobs that failed after their retries (the last 500 failures of each queue are scanned, so the list is bounded)' })
  failed: FailedJobDto[];
  @ApiProperty({ type: RollupBacklogDto }) rollupBacklog: RollupBacklogDto;
}

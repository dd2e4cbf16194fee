import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { SystemProcessor } from './system.processor.js';
import { WorkerService } from './worker.service.js';

/** The worker role's consumer: discovers every @QueueProcessor of the modules loaded beside it. */
@Module({ imports: [DiscoveryModule], providers: [WorkerService, SystemProcessor] })
export class QueueWorkerModule {}

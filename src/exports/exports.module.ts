import { Module } from '@nestjs/common';

/** FOCUS export (skeleton). */
@Module({})
export class ExportsApiModule {}

import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller.js';

/** The static dashboard at /app (it reads only the public API). */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}

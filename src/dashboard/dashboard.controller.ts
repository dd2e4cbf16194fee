import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/decorators.js';

/** The dashboard at /app (static page that uses the public API). */
@ApiExcludeController()
@Public()
@Controller('app')
export class DashboardController {
  @Get()
  index() {
    return 'dashboard';
  }
}

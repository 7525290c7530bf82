import { Controller, Get } from '@nestjs/common';

/** Answers once the application has started. */
@Controller('health')
export class HealthController {
  @Get()
  health() {
    return { status: 'ok' };
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult } from '@nestjs/terminus';
import { ProteanHealth } from 'nestjs-protean/observability';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: ProteanHealth) {}

  /**
   * Everything: accepting work (down once shutdown starts), database, event store, brokers and
   * the outbox backlog (`degraded`, still 200, above its limits). For monitoring.
   */
  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check('full');
  }

  /** Readiness: accepting work and every dependency answers (no backlog). For load balancers. */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check('ready');
  }

  /** Liveness: the process runs (no dependency is checked). */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check('live');
  }
}

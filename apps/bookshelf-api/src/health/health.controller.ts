import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { ProteanHealthIndicator } from '#protean';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly protean: ProteanHealthIndicator,
  ) {}

  /** Readiness: the process accepts work and everything it depends on answers. */
  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.protean.checkAccepting(),
      () => this.protean.checkDatabase(),
      () => this.protean.checkEventStore(),
    ]);
  }

  /** Liveness: the process runs (no dependency is checked). */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }
}

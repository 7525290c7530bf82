import { Inject, Injectable } from '@nestjs/common';
import {
  HealthCheckService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import type { ProteanConfig } from '../../core/config/config.schema.js';
import { PROTEAN_CONFIG } from '../../core/protean.tokens.js';
import { DependencyProbe } from '../../runtime/server/dependency-probe.js';
import { ProteanEngine } from '../../runtime/server/protean-engine.js';
import { ProteanHealthIndicator } from './protean-health.indicator.js';

/** Which checks run: liveness (none), readiness (dependencies), or everything (plus the outbox). */
export type HealthScope = 'live' | 'ready' | 'full';

/**
 * The health checks of an application, with terminus: answers a `HealthCheckResult`, or throws
 * terminus's `ServiceUnavailableException` (503) carrying it. The engine is checked where it
 * runs in this process, the outbox where it is enabled.
 */
@Injectable()
export class ProteanHealth {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: ProteanHealthIndicator,
    private readonly probe: DependencyProbe,
    private readonly engine: ProteanEngine,
    @Inject(PROTEAN_CONFIG) private readonly config: ProteanConfig,
  ) {}

  check(scope: HealthScope): Promise<HealthCheckResult> {
    return this.health.check(this.indicators(scope));
  }

  private indicators(scope: HealthScope): HealthIndicatorFunction[] {
    if (scope === 'live') return [];
    const checks: HealthIndicatorFunction[] = [
      () => this.indicator.checkAccepting(),
      () => this.indicator.checkDatabase(),
      () => this.indicator.checkEventStore(),
      ...this.probe
        .brokerNames()
        .map((name) => () => this.indicator.checkBroker(name, this.needsBrokers())),
    ];
    if (this.engine.state !== 'idle') checks.push(() => this.indicator.checkEngine());
    if (scope === 'full' && this.config.enable_outbox)
      checks.push(() => this.indicator.checkOutbox());
    return checks;
  }

  /**
   * Whether this process needs its brokers to do its work: it runs the engine, or publishes
   * directly (async processing without the outbox). An API writing to the outbox does not.
   */
  private needsBrokers(): boolean {
    const async =
      this.config.command_processing === 'async' || this.config.event_processing === 'async';
    return this.engine.state !== 'idle' || (async && !this.config.enable_outbox);
  }
}

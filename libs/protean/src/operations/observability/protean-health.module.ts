import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ProteanHealth } from './protean-health.js';
import { ProteanHealthIndicator } from './protean-health.indicator.js';
import { WorkerHealthEndpoint } from './worker-health.endpoint.js';

/**
 * Terminus plus Protean's health indicators: `ProteanHealth.check('live' | 'ready' | 'full')`
 * for an application's health controller, and `/health` on a worker's probe port.
 */
@Module({
  imports: [TerminusModule],
  providers: [ProteanHealthIndicator, ProteanHealth, WorkerHealthEndpoint],
  exports: [TerminusModule, ProteanHealthIndicator, ProteanHealth],
})
export class ProteanHealthModule {}

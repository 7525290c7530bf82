import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ProteanHealthIndicator } from './protean-health.indicator.js';

/** Terminus plus Protean's health indicators, for an application's health controller. */
@Module({
  imports: [TerminusModule],
  providers: [ProteanHealthIndicator],
  exports: [TerminusModule, ProteanHealthIndicator],
})
export class ProteanHealthModule {}

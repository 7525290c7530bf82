import { Module } from '@nestjs/common';
import { ProteanStatusModule } from '../status/protean-status.module.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsWiring } from './metrics-wiring.js';
import { ProteanMetrics } from './protean-metrics.js';

/**
 * Prometheus metrics (`ProteanMetrics`): `GET /metrics` on an HTTP application, `/metrics` on
 * a worker's probe port, fed by the engine of the process and by the broker, the database and
 * the outbox at scrape time. Import it once per application, beside `ProteanModule.forRoot()`.
 */
@Module({
  imports: [ProteanStatusModule],
  controllers: [MetricsController],
  providers: [ProteanMetrics, MetricsWiring],
  exports: [ProteanMetrics],
})
export class ProteanMetricsModule {}

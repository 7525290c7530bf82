import { Module, type DynamicModule } from '@nestjs/common';
import { resolveLogSettings, type LogSettings } from './logging/log-settings.js';
import { ProteanLoggerModule } from './logging/protean-logger.module.js';
import { ProteanMetricsModule } from './metrics/protean-metrics.module.js';
import { ProteanHealthModule } from './protean-health.module.js';

/**
 * Everything to operate an application, in one import: pino logs with correlation ids
 * (`ProteanLoggerModule`), Prometheus metrics (`ProteanMetricsModule`) and terminus health
 * checks (`ProteanHealthModule`). Workers started with `runWorker` get it already.
 */
@Module({})
export class ProteanObservabilityModule {
  /** `logging` defaults to `LOG_LEVEL` / `LOG_FORMAT` / `NODE_ENV` of this process. */
  static forRoot(options: { logging?: LogSettings } = {}): DynamicModule {
    const modules = [
      ProteanLoggerModule.forRoot(options.logging ?? resolveLogSettings()),
      ProteanMetricsModule,
      ProteanHealthModule,
    ];
    return { module: ProteanObservabilityModule, imports: modules, exports: modules };
  }
}

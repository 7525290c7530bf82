import { Module, type DynamicModule, type INestMicroservice } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { ProteanConfig } from '../../core/config/config.schema.js';
import { configurationSummary } from '../../core/config/configuration-summary.js';
import { ConfigurationError } from '../../core/config/configuration.error.js';
import { UndeliverableSubscriptionsError } from '../../core/config/undeliverable-subscriptions.error.js';
import { awaitStartupDependenciesOrExit } from '../../runtime/lifecycle/await-startup-dependencies.js';
import { EXIT_CONFIG, EXIT_UNAVAILABLE } from '../../core/exit-codes.js';
import { closeOnSignals } from '../../runtime/lifecycle/close-on-signals.js';
import {
  debugLogLevel,
  logSettingsOrExit,
  type LogSettings,
} from '../observability/logging/log-settings.js';
import { ProteanObservabilityModule } from '../observability/protean-observability.module.js';
import { ProteanWorkerModule } from '../../runtime/protean-worker.module.js';
import { createProteanWorker } from '../../runtime/server/create-protean-worker.js';
import { tuneWorkerHeap } from './worker-heap.js';

/**
 * Runs the server engine until SIGTERM / SIGINT: the worker microservice with its probes on
 * `server.health.port` (`/healthz`, `/readyz`, `/health`, `/metrics`), logging through pino
 * (`LOG_LEVEL`, `LOG_FORMAT`; `debug = true` in the configuration: `debug` unless `LOG_LEVEL` is set), closed gracefully on a signal (exit 0). `protean server` and the
 * worker app both start here. It imports {@link ProteanWorkerModule} beside `module`: the outbox
 * relay and the delivery check. First its databases and brokers are checked
 * ({@link awaitStartupDependenciesOrExit}): a missing or outdated schema is migrated (unless
 * `databases.default.auto_migrate = false`: then it exits 78), a missing database exits 78, a database
 * still unreachable after `databases.default.startup_timeout_seconds` or a broker refusing its
 * URI exits 69. A subscription that could never receive a message in a process apart from the
 * API — `event_store` on a `memory` event store, `stream` on an `inline` broker — exits 78 with
 * one line naming the keys (`workerDeliveryProblem`). When the engine then cannot start, the reason is logged as one line and the
 * process exits 69 (EX_UNAVAILABLE), with no stack trace. The process's heap is kept near its
 * live set unless it was started with heap flags of its own ({@link tuneWorkerHeap}).
 */
export async function runWorker(
  module: DynamicModule,
  config: ProteanConfig,
  options: { logging?: LogSettings } = {},
): Promise<INestMicroservice> {
  tuneWorkerHeap();
  const logging =
    options.logging ?? logSettingsOrExit({ name: 'protean-worker', ...debugLogLevel(config) });
  await awaitStartupDependenciesOrExit(config);
  const app = await createProteanWorker(
    {
      module: WorkerRootModule,
      imports: [module, ProteanWorkerModule, ProteanObservabilityModule.forRoot({ logging })],
    },
    { abortOnError: false, bufferLogs: true, healthPort: config.server.health.port },
  );
  const logger = app.get(Logger);
  app.useLogger(logger);
  logger.log(configurationSummary(config), 'ProteanWorker');
  closeOnSignals(app, (config.server.shutdown_grace_seconds + 5) * 1000);
  try {
    await app.listen();
  } catch (error) {
    await app.close().catch(() => undefined);
    if (error instanceof UndeliverableSubscriptionsError || error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    // ProteanServer logged why, naming the broker or database; a stack would add nothing.
    process.exit(EXIT_UNAVAILABLE);
  }
  return app;
}

/** The root of a worker: the application's module, `ProteanWorkerModule` and observability. */
@Module({})
class WorkerRootModule {}

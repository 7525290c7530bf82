import type { DynamicModule, INestMicroservice } from '@nestjs/common';
import type { ProteanConfig } from '../config/config.schema.js';
import { closeOnSignals } from '../lifecycle/close-on-signals.js';
import { createProteanWorker } from './create-protean-worker.js';

/**
 * Runs the server engine until SIGTERM / SIGINT: the worker microservice with its probes on
 * `server.health.port`, closed gracefully on a signal (exit 0). `protean server` and the
 * worker app both start here.
 */
export async function runWorker(
  module: DynamicModule,
  config: ProteanConfig,
): Promise<INestMicroservice> {
  const app = await createProteanWorker(module, {
    abortOnError: false,
    healthPort: config.server.health.port,
  });
  closeOnSignals(app, (config.server.shutdown_grace_seconds + 5) * 1000);
  await app.listen();
  return app;
}

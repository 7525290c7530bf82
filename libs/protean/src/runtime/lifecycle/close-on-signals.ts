import { Logger } from '@nestjs/common';
import { ShutdownState } from './shutdown-state.js';

interface Closable {
  close(): Promise<void>;
}

/**
 * Graceful shutdown for an application's `main.ts`: on SIGTERM or SIGINT, close the app (Nest
 * runs `onModuleDestroy`, `beforeApplicationShutdown`, `onApplicationShutdown` — the same hooks
 * `enableShutdownHooks()` runs) and exit 0. Unlike `enableShutdownHooks()`, which re-raises the
 * signal and so ends the process with 143, a clean stop here is exit code 0. Closing longer
 * than `graceMs`, or a second signal, exits 1 at once.
 */
export function closeOnSignals(app: Closable, graceMs = 30_000): void {
  const logger = new Logger('Shutdown');
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    closing = true;
    ShutdownState.begin();
    logger.log(`${signal} received: closing`);
    const timer = setTimeout(() => {
      logger.error(`Shutdown took longer than ${graceMs} ms: exiting`);
      process.exit(1);
    }, graceMs);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`Shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

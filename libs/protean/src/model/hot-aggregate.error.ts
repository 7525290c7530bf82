import { ProteanError } from '../core/errors/protean.error.js';

/**
 * Thrown when an attempt that holds no lock is about to load a hot aggregate: it ends the
 * attempt early (its transaction has written nothing that matters yet), and the conflict retry
 * runs it again holding that aggregate's lock. It never leaves the retry.
 */
export class HotAggregateError extends ProteanError {
  constructor(readonly key: string) {
    super(`${key.replace('\u0000', ' ')} is busy in this process; waiting for its turn`);
  }
}

import { ProteanError } from './protean.error.js';

/**
 * The aggregate (or read-model document) was changed by someone else since it was loaded:
 * the normal price of a busy aggregate, not a failure of the message. `expectedVersion` is the
 * version the write was based on, `foundVersion` what is stored now (a version number, a digest
 * for a document, `undefined` when unknown): while the found version keeps moving, others are
 * making progress and a retry will read their state and succeed.
 */
export class ConcurrencyError extends ProteanError {
  constructor(
    readonly category: string,
    readonly id: string,
    readonly expectedVersion?: number | string,
    readonly foundVersion?: number | string,
  ) {
    super(
      `${category} ${id} was modified concurrently` +
        (expectedVersion === undefined
          ? ''
          : ` (expected version ${expectedVersion}, found ${foundVersion ?? 'unknown'})`) +
        '; retry the operation',
    );
  }
}

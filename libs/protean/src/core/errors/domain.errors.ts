import { PermanentError } from './permanent.error.js';
import { ProteanError } from './protean.error.js';

/** A domain rule refused an operation; the message says which rule. Permanent. */
export class DomainRuleError extends PermanentError {}

/** Raised when a command or an input fails validation; `problems` name the fields. Permanent. */
export class ValidationError extends PermanentError {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(`${message}: ${problems.join('; ')}`);
  }
}

/** An aggregate or read model does not exist. Permanent: a retry would not create it. */
export class NotFoundError extends PermanentError {
  constructor(
    readonly kind: string,
    readonly id: string,
  ) {
    super(`${kind} ${id} not found`);
  }
}

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

/**
 * Two deliveries of one message raced and the other committed first: this one's effects were
 * rolled back, and the message counts as processed.
 */
export class AlreadyProcessedError extends ProteanError {
  constructor(
    readonly handler: string,
    readonly messageId: string,
  ) {
    super(`${handler} already processed message ${messageId}`);
  }
}

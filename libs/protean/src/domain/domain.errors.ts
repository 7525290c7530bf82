import { ProteanError } from '../errors/protean.error.js';

/** A domain rule refused an operation; the message says which rule. */
export class DomainRuleError extends ProteanError {}

/** Raised when a command or an input fails validation; `problems` name the fields. */
export class ValidationError extends ProteanError {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(`${message}: ${problems.join('; ')}`);
  }
}

/** An aggregate or read model does not exist. */
export class NotFoundError extends ProteanError {
  constructor(
    readonly kind: string,
    readonly id: string,
  ) {
    super(`${kind} ${id} not found`);
  }
}

/** The aggregate was changed by someone else since it was loaded; retrying usually succeeds. */
export class ConcurrencyError extends ProteanError {
  constructor(
    readonly category: string,
    readonly id: string,
  ) {
    super(`${category} ${id} was modified concurrently; retry the operation`);
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

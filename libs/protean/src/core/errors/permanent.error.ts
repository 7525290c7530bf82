import { ProteanError } from './protean.error.js';

/**
 * Marks an error as the message's own fault, which no retry can fix. Shared through the global
 * symbol registry, so the mark holds across two copies of this package in one process.
 */
const PERMANENT = Symbol.for('nestjs-protean.permanent');

/**
 * A failure that is the message's fault, not the world's: the server engine dead-letters the
 * message at once (attempts 1) instead of retrying it, and the circuit breaker ignores it. Throw
 * it from a handler — as BullMQ's `UnrecoverableError` — when retrying cannot help (an order
 * naming a book that does not exist, a payload no code can use). Protean's own validation,
 * domain-rule, not-found and invalid-message errors are permanent by extending it.
 */
export class PermanentError extends ProteanError {
  declare readonly [PERMANENT]: true;
}
Object.defineProperty(PermanentError.prototype, PERMANENT, { value: true });

/** Whether `error` carries the permanent mark (a {@link PermanentError} of any copy of Protean). */
export function isPermanentError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && PERMANENT in error;
}

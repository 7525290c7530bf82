import { BrokerClosedError } from '../../ports/broker/broker-closed.error.js';
import { BrokerConnectionError } from '../../ports/broker/broker-connection.error.js';
import { isPermanentError } from '../../core/errors/permanent.error.js';
import { DatabaseUnavailableError } from '../../adapters/postgresql/database-unavailable.error.js';

/** Node's codes for a peer that cannot be reached or went away. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/**
 * SQLSTATEs of a database that cannot serve anyone right now: connection exceptions (class
 * 08), shutting down or not yet accepting (57P01–57P03), out of resources (class 53: too many
 * connections, disk full), a statement cancelled by a timeout (57014).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3]$|57014$)/;
const TIMEOUT_TEXT = /timed? ?out|Connection terminated/i;
/** How deep to follow `cause` when looking for the world behind a wrapped error. */
const MAX_CAUSES = 5;

/**
 * Failures that are the message's own fault (a {@link PermanentError}: invalid, undeserializable,
 * of an unknown type, refused by a domain rule or validation, naming what does not exist, or
 * marked so by a handler): no retry can fix them, so the message is dead-lettered at once.
 */
export function isPermanentFailure(error: unknown): boolean {
  return isPermanentError(error);
}

/**
 * Failures of the world, not of the message: the database or the broker unavailable, a
 * connection refused or reset, a timeout — what every message would meet now. Only these count
 * for a subscription's circuit breaker; a message's own failure (permanent, or a handler error
 * that is that message's problem) never pauses the healthy traffic behind it.
 */
export function isWorldFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSES && typeof current === 'object' && current; depth++) {
    if (
      current instanceof DatabaseUnavailableError ||
      current instanceof BrokerConnectionError ||
      current instanceof BrokerClosedError
    )
      return true;
    const { code, name, message } = current as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
    };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)))
      return true;
    if (name === 'TimeoutError') return true;
    if (typeof message === 'string' && TIMEOUT_TEXT.test(message) && !isPermanentError(current))
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

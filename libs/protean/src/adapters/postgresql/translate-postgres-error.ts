import { DatabaseMissingError } from './database-missing.error.js';
import { DatabaseUnavailableError } from './database-unavailable.error.js';
import { SchemaMissingError } from './schema/schema-missing.error.js';

/** SQLSTATE classes and codes that mean "cannot talk to this database". */
const UNAVAILABLE_CODES = new Set(['3D000', '28P01', '28000', '57P01', '57P02', '57P03']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE']);
/** Failures that end when the server is back: the network, a server starting or shutting down. */
const OUTAGE_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const OUTAGE_MESSAGE =
  /Connection terminated|connect ECONNREFUSED|timeout expired|timeout exceeded when trying to connect/i;

/**
 * Turns the driver's errors that users must act on into typed errors naming what to do; other
 * errors pass through unchanged. Query parameters are never copied into the message.
 */
export function translatePostgresError(error: unknown, target: string): unknown {
  // Duck-typed: network errors come from Node's own realm, where `instanceof Error` can fail.
  if (typeof error !== 'object' || error === null || !('message' in error)) return error;
  if (error instanceof DatabaseUnavailableError || error instanceof SchemaMissingError)
    return error;
  const { code, message } = error as { code?: unknown; message: string };
  if (code === '42P01') return new SchemaMissingError(target, message, { cause: error });
  if (code === '3D000') return new DatabaseMissingError(target, message, { cause: error });
  const unavailable =
    (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) ||
    (typeof code === 'string' && NETWORK_CODES.has(code)) ||
    OUTAGE_MESSAGE.test(message);
  return unavailable ? new DatabaseUnavailableError(target, message, { cause: error }) : error;
}

/**
 * Whether `error` (translated or not) is an outage that may end by itself — the server down,
 * unreachable, starting up or out of connections — rather than a refusal (a wrong password, a
 * missing database) that only a change of configuration cures.
 */
export function isPostgresOutage(error: unknown): boolean {
  const failure = error instanceof DatabaseUnavailableError ? error.cause : error;
  if (typeof failure !== 'object' || failure === null) return false;
  const { code, message } = failure as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || OUTAGE_CODES.has(code) || code.startsWith('08')) return true;
  }
  return typeof message === 'string' && OUTAGE_MESSAGE.test(message);
}

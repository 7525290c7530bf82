import { DatabaseUnavailableError } from './database-unavailable.error.js';
import { SchemaMissingError } from './schema-missing.error.js';

/** SQLSTATE classes and codes that mean "cannot talk to this database". */
const UNAVAILABLE_CODES = new Set(['3D000', '28P01', '28000', '57P01', '57P02', '57P03']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE']);

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
  const unavailable =
    (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) ||
    (typeof code === 'string' && NETWORK_CODES.has(code)) ||
    /Connection terminated|connect ECONNREFUSED|timeout expired|timeout exceeded when trying to connect/i.test(
      message,
    );
  return unavailable ? new DatabaseUnavailableError(target, message, { cause: error }) : error;
}

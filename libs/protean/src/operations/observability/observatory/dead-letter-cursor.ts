import { isStreamId } from '../../../ports/broker/stream-id.js';

/** Where a listing of dead letters goes on: after this letter of this broker. */
export interface DeadLetterCursor {
  readonly broker: string;
  readonly stream: string;
  readonly id: string;
}

/** Longest cursor text accepted: a broker name, a stream name and an id, encoded. */
export const MAX_CURSOR_LENGTH = 2048;

/** A cursor as the page carries it: opaque text, safe in a URL. */
export function encodeCursor(cursor: DeadLetterCursor): string {
  return Buffer.from(JSON.stringify([cursor.broker, cursor.stream, cursor.id])).toString(
    'base64url',
  );
}

/** The cursor `text` encodes, or `undefined` when it is not one this API gave out. */
export function decodeCursor(text: string): DeadLetterCursor | undefined {
  if (text.length > MAX_CURSOR_LENGTH) return undefined;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parts) || parts.length !== 3) return undefined;
  const [broker, stream, id] = parts as unknown[];
  if (typeof broker !== 'string' || typeof stream !== 'string' || typeof id !== 'string')
    return undefined;
  if (broker.length === 0 || !isStreamId(id)) return undefined;
  return { broker, stream, id };
}

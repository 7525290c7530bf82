import type { ReceivedMessage } from '../../ports/broker/broker.port.js';
import type { ConflictRetryOptions } from '../../application/retry-on-conflict.js';

/** A message ready to run: its ordering key and the work of handling it. */
export interface DecodedMessage {
  /** Messages with the same key (one aggregate) are never handled at once, and keep their order. */
  readonly key: string | undefined;
  /** The message's type (`bookshelf.OrderPlaced.v1`), for the `debug` profile's lines. */
  readonly type?: string;
  /** The envelope's id (`messaging.message.id` of its spans); none for a raw message. */
  readonly messageId?: string;
  /** The envelope's headers: the trace context it carries on. None for a raw message. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Handles the message; resolves (to nothing of use) once its effects are committed (or were
   * already).
   * Concurrency conflicts are retried in place as `conflicts` allows.
   */
  run(conflicts: ConflictRetryOptions): Promise<unknown>;
}

/**
 * Turns broker entries into handler calls for one handler (one consumer group) on one stream.
 * `decode` throws a permanent error (undeserializable, invalid, unknown type) for a message to
 * dead-letter at once, and returns `undefined` for a message this handler does not handle.
 */
export interface MessageProcessor {
  /** The consumer group: the handler's name. */
  readonly group: string;
  readonly stream: string;
  decode(message: ReceivedMessage): DecodedMessage | undefined;
}

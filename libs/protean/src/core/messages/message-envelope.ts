/** Whether a message asks for something to happen or says that something happened. */
export type MessageKind = 'EVENT' | 'COMMAND';

/** Where a message comes from and what caused it; carried unchanged through every hop. */
export interface MessageMetadata {
  /** Shared by every message that one outside request set off (the HTTP request's id). */
  readonly correlationId: string;
  /** The id of the message (or request) that directly caused this one. */
  readonly causationId: string;
  /** ISO-8601 time the message was created. */
  readonly time: string;
  /** Schema version of the message type. */
  readonly version: number;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The wire form of every command and event. `stream` is the aggregate instance's
 * stream, `<domain>::<category>-<aggregateId>` for events and
 * `<domain>::<category>:command-<aggregateId>` for commands; the broker stream is its category.
 */
export interface MessageEnvelope<P extends object = Record<string, unknown>> {
  readonly id: string;
  readonly type: string;
  readonly stream: string;
  readonly kind: MessageKind;
  readonly payload: P;
  readonly metadata: MessageMetadata;
}

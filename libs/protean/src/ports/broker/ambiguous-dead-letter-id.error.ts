import { BrokerError } from './broker.error.js';

/**
 * A dead-letter id was given without its stream, and several DLQs hold an entry with that id
 * (Redis mints ids per stream, so two DLQs written in the same millisecond share one).
 */
export class AmbiguousDeadLetterIdError extends BrokerError {
  constructor(
    brokerName: string,
    readonly id: string,
    readonly streams: readonly string[],
  ) {
    super(
      brokerName,
      `Dead letter ${id} exists in several DLQs (${streams.map((s) => `"${s}"`).join(', ')}); ` +
        `name the stream (--stream) to choose one`,
    );
  }
}

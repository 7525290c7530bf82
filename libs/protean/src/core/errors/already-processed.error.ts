import { ProteanError } from './protean.error.js';

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

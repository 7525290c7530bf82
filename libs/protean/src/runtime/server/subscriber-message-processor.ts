import type { ReceivedMessage } from '../../ports/broker/broker.port.js';
import type { HandlerRunner } from '../../application/handler-runner.js';
import type { RegisteredSubscriber } from '../../model/handler-registry.js';
import { parseUntrustedJson } from '../../core/messages/safe-json.js';
import type { DecodedMessage, MessageProcessor } from './message-processor.js';

/**
 * Delivers the bare JSON payloads of an external stream to a `@Subscriber`. The entry id is
 * the message's identity, so a redelivered entry is processed once in effect.
 */
export class SubscriberMessageProcessor implements MessageProcessor {
  readonly group: string;
  readonly stream: string;

  constructor(
    private readonly subscriber: RegisteredSubscriber,
    private readonly runner: HandlerRunner,
    /** The stream read: the subscriber's, or one partition of it. */
    stream: string = subscriber.options.stream,
  ) {
    this.group = subscriber.name;
    this.stream = stream;
  }

  decode(message: ReceivedMessage): DecodedMessage {
    const payload = parseUntrustedJson(message.data);
    const messageId = `${this.stream}/${message.id}`;
    return {
      key: undefined,
      type: `${this.stream} payload`,
      run: async (conflicts) => {
        const ids = { correlationId: messageId, causationId: messageId };
        const handle = () => this.subscriber.invoke(payload);
        await this.runner.runOnce(this.group, messageId, ids, handle, conflicts);
      },
    };
  }
}

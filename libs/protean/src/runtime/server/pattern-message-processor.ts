import type { MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { ReceivedMessage } from '../../ports/broker/broker.port.js';
import type { HandlerRunner } from '../../application/handler-runner.js';
import { parseUntrustedJson } from '../../core/messages/safe-json.js';
import type { DecodedMessage, MessageProcessor } from './message-processor.js';
import { ProteanContext } from './protean-context.js';

/**
 * Delivers a stream to a Nest `@EventPattern('<stream>')` handler: the parsed JSON of each
 * entry (an envelope on domain streams, a bare payload on external ones) and a `ProteanContext`.
 * The consumer group is `@EventPattern(stream, { group })`, else `EventPattern:<stream>`.
 */
export class PatternMessageProcessor implements MessageProcessor {
  readonly group: string;

  constructor(
    readonly stream: string,
    private readonly handler: MessageHandler,
    private readonly runner: HandlerRunner,
  ) {
    this.group = eventPatternGroup(stream, handler);
  }

  decode(message: ReceivedMessage): DecodedMessage {
    const data = parseUntrustedJson(message.data);
    const messageId = `${this.stream}/${message.id}`;
    const context = new ProteanContext([this.stream, message.id, message.deliveryCount]);
    return {
      key: undefined,
      type: `${this.stream} message`,
      run: async (conflicts) => {
        const ids = { correlationId: messageId, causationId: messageId };
        const handle = async () => {
          const result: unknown = await this.handler(data, context);
          if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
        };
        await this.runner.runOnce(this.group, messageId, ids, handle, conflicts);
      },
    };
  }
}

/** The consumer group of an `@EventPattern(stream)` handler: its `group` extra, else `EventPattern:<stream>`. */
export function eventPatternGroup(stream: string, handler: MessageHandler): string {
  const group = (handler.extras as { group?: unknown } | undefined)?.group;
  return typeof group === 'string' && group !== '' ? group : `EventPattern:${stream}`;
}

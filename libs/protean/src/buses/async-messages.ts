import type { ProteanConfig } from '../config/config.schema.js';
import type { MessageEnvelope } from '../messages/message-envelope.js';

/**
 * The outgoing messages of a unit of work that travel through the broker: every queued
 * command (only async commands are queued) and, with `event_processing = "async"`, every event.
 */
export function asyncMessagesOf(
  config: ProteanConfig,
  messages: readonly MessageEnvelope[],
): MessageEnvelope[] {
  const asyncEvents = config.event_processing === 'async';
  return messages.filter((message) => message.kind === 'COMMAND' || asyncEvents);
}

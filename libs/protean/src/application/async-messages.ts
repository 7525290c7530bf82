import type { ProteanConfig } from '../core/config/config.schema.js';
import type { MessageKind } from '../core/messages/message-envelope.js';

/**
 * The kinds of message that travel asynchronously — through the outbox or the broker to the
 * server engine — under the processing modes: commands with `command_processing = "async"`,
 * events with `event_processing = "async"`. The one statement of "what goes async": the
 * delivery policy routes by it and the engine's `event_store` subscriptions read by it.
 */
export function asyncKindsOf(config: ProteanConfig): ReadonlySet<MessageKind> {
  const kinds = new Set<MessageKind>();
  if (config.command_processing === 'async') kinds.add('COMMAND');
  if (config.event_processing === 'async') kinds.add('EVENT');
  return kinds;
}

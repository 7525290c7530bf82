import { CorrelationContext } from '../../../core/context/correlation-context.js';

/**
 * The fields pino adds to every line (its `mixin`): the correlation id of the work in
 * progress, and while a message is handled, the message's id and the handler's name — so
 * every line a handler writes can be traced back to the HTTP request that started it.
 */
export function correlationLogFields(): Record<string, string> {
  const ids = CorrelationContext.current();
  if (!ids) return {};
  const fields: Record<string, string> = { correlationId: ids.correlationId };
  if (ids.messageId) fields.messageId = ids.messageId;
  if (ids.handler) fields.handler = ids.handler;
  return fields;
}

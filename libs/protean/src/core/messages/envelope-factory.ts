import { randomUUID } from 'node:crypto';
import { ValidationError } from '../errors/validation.error.js';
import { CorrelationContext } from '../context/correlation-context.js';
import { messageMetadataOf, messageTypeName } from './message-catalog.js';
import type { MessageEnvelope, MessageKind } from './message-envelope.js';
import { payloadOf } from './message-validation.js';
import { traceHeaders } from '../tracing/trace-context.js';
import { commandCategory, eventCategory, instanceStream } from './stream-names.js';

/**
 * Wraps commands and events in envelopes carrying the current correlation context, and the
 * active trace context (if any) in their headers.
 */
export class EnvelopeFactory {
  constructor(readonly domain: string) {}

  /**
   * The envelope of a command, addressed to the aggregate named by its `identifiedBy` field, or
   * to `target` when given (a command of another framework, which names its aggregate otherwise).
   */
  command(command: object, target?: string): MessageEnvelope {
    const metadata = messageMetadataOf(command.constructor as new () => object);
    const field = metadata.identifiedBy ?? 'id';
    const aggregateId = target ?? (command as Record<string, unknown>)[field];
    if (typeof aggregateId !== 'string' || aggregateId === '') {
      throw new ValidationError(`${metadata.name} has no target`, [
        `${field}: must be a non-empty string`,
      ]);
    }
    return this.wrap(
      command,
      'COMMAND',
      instanceStream(commandCategory(this.domain, metadata.category), aggregateId),
    );
  }

  /** The envelope of an event raised by the aggregate `aggregateId` of its category. */
  event(event: object, aggregateId: string): MessageEnvelope {
    const metadata = messageMetadataOf(event.constructor as new () => object);
    return this.wrap(
      event,
      'EVENT',
      instanceStream(eventCategory(this.domain, metadata.category), aggregateId),
    );
  }

  private wrap(message: object, kind: MessageKind, stream: string): MessageEnvelope {
    const type = message.constructor as new () => object;
    const id = randomUUID();
    const context = CorrelationContext.current();
    return {
      id,
      type: messageTypeName(this.domain, type),
      stream,
      kind,
      payload: payloadOf(message),
      metadata: {
        correlationId: context?.correlationId ?? id,
        causationId: context?.causationId ?? id,
        time: new Date().toISOString(),
        version: messageMetadataOf(type).version,
        headers: traceHeaders(),
      },
    };
  }
}

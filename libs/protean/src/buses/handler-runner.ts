import { Injectable } from '@nestjs/common';
import type { RegisteredHandler } from '../domain/handler-registry.js';
import { UnitOfWorkManager } from '../domain/unit-of-work-manager.js';
import type { MessageEnvelope } from '../messages/message-envelope.js';
import { CorrelationContext } from '../observability/correlation-context.js';
import { retryOnConflict } from './retry-on-conflict.js';

/**
 * Runs one handler on one message: in its own unit of work, inside the message's correlation
 * context (so what it raises is caused by this message), retried on concurrency conflicts.
 */
@Injectable()
export class HandlerRunner {
  constructor(private readonly units: UnitOfWorkManager) {}

  run(handler: RegisteredHandler, envelope: MessageEnvelope, message: object): Promise<unknown> {
    const route = handler.routes.get(envelope.type);
    if (!route) return Promise.resolve(undefined);
    const ids = { correlationId: envelope.metadata.correlationId, causationId: envelope.id };
    return CorrelationContext.run(ids, () =>
      retryOnConflict(() => this.units.run(() => route.invoke(message))),
    );
  }
}

import { Injectable } from '@nestjs/common';
import { AlreadyProcessedError } from '../domain/domain.errors.js';
import type { RegisteredHandler } from '../domain/handler-registry.js';
import { UnitOfWorkManager } from '../domain/unit-of-work-manager.js';
import type { MessageEnvelope } from '../messages/message-envelope.js';
import { CorrelationContext, type CorrelationIds } from '../observability/correlation-context.js';
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
    const ids = {
      correlationId: envelope.metadata.correlationId,
      causationId: envelope.id,
      messageId: envelope.id,
      handler: handler.name,
    };
    return CorrelationContext.run(ids, () =>
      retryOnConflict(() => this.units.run(() => route.invoke(message))),
    );
  }

  /**
   * Runs `work` at most once per (`handler`, `messageId`): the record that it ran commits in
   * the same transaction as its effects, so a redelivered message changes nothing twice.
   * Resolves to `false` when the message had already been processed.
   */
  runOnce(
    handler: string,
    messageId: string,
    ids: CorrelationIds,
    work: () => Promise<unknown>,
  ): Promise<boolean> {
    return CorrelationContext.run({ ...ids, messageId, handler }, async () => {
      try {
        return await retryOnConflict(() =>
          this.units.run(async () => {
            const session = this.units.current()!.session;
            if (!(await session.markProcessed(handler, messageId))) return false;
            await work();
            return true;
          }),
        );
      } catch (error) {
        if (error instanceof AlreadyProcessedError) return false;
        throw error;
      }
    });
  }
}

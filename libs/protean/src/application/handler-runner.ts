import { Injectable } from '@nestjs/common';
import { AggregateLocks } from '../model/aggregate-locks.js';
import { AlreadyProcessedError } from '../core/errors/already-processed.error.js';
import type { RegisteredHandler } from '../model/handler-registry.js';
import { UnitOfWorkManager } from '../model/unit-of-work-manager.js';
import type { MessageEnvelope } from '../core/messages/message-envelope.js';
import { CorrelationContext, type CorrelationIds } from '../core/context/correlation-context.js';
import { retryOnConflict, type ConflictRetryOptions } from './retry-on-conflict.js';

/**
 * Conflict budget of a handler run in the caller (sync processing): a caller is waiting, so
 * a busy aggregate is given seconds, not the minutes a server-engine subscription allows.
 */
export const SYNC_CONFLICT_BUDGET_MS = 5_000;

/** One message's work for {@link HandlerRunner.runBatchOnce}. */
export interface OnceWork {
  readonly messageId: string;
  readonly ids: CorrelationIds;
  readonly work: () => Promise<unknown>;
}

/**
 * A message of a batch raised events: stamped at commit, they would carry the last message's
 * causation, so the batch is refused and its messages run one unit of work each.
 */
export class RaisedInBatchError extends Error {
  constructor(readonly messageId: string) {
    super(`${messageId} raised events: a batch runs only handlers that raise none`);
  }
}

/**
 * Runs one handler on one message: in its own unit of work, inside the message's correlation
 * context (so what it raises is caused by this message), retried on concurrency conflicts for
 * as long as others make progress (see {@link retryOnConflict}).
 */
@Injectable()
export class HandlerRunner {
  /** One per process: the retries of one busy aggregate take turns across every handler. */
  private readonly locks = new AggregateLocks();

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
      retryOnConflict(
        (attempt) => this.units.run(() => route.invoke(message), { attempt }),
        this.locks,
        { budgetMs: SYNC_CONFLICT_BUDGET_MS },
      ),
    );
  }

  /**
   * Runs `work` at most once per (`handler`, `messageId`): the record that it ran commits in
   * the same transaction as its effects, so a redelivered message changes nothing twice.
   * Resolves to `false` when the message had already been processed. `conflicts` bounds the
   * retries of concurrency conflicts (a subscription's `max_conflict_retry_seconds`) and ends
   * them at shutdown.
   */
  runOnce(
    handler: string,
    messageId: string,
    ids: CorrelationIds,
    work: () => Promise<unknown>,
    conflicts: ConflictRetryOptions,
  ): Promise<boolean> {
    const once = async (): Promise<boolean> => {
      const session = this.units.current()!.session;
      if (!(await session.markProcessed(handler, messageId))) return false;
      await work();
      return true;
    };
    return CorrelationContext.run({ ...ids, messageId, handler }, () =>
      retryOnConflict((attempt) => this.units.run(once, { attempt }), this.locks, conflicts),
    ).catch((error: unknown) => {
      if (error instanceof AlreadyProcessedError) return false;
      throw error;
    });
  }

  /**
   * Runs several messages of one handler in one unit of work, one transaction: each in turn,
   * in its own correlation context, at most once as {@link runOnce} runs it. Resolves to
   * whether each ran (`false`: processed before). All commit or none: any failure rejects the
   * whole — a conflict, a handler's error, or a message that raised events
   * ({@link RaisedInBatchError}) — and retries nothing; the caller then runs the messages one
   * by one, where each meets its own retries and dead letter.
   */
  runBatchOnce(handler: string, items: readonly OnceWork[]): Promise<boolean[]> {
    const all = async (): Promise<boolean[]> => {
      const unit = this.units.current()!;
      const messageIds = items.map(({ messageId }) => messageId);
      const fresh = await unit.session.markEachProcessed(handler, messageIds);
      for (const [index, { messageId, ids, work }] of items.entries()) {
        if (!fresh[index]) continue;
        await CorrelationContext.run({ ...ids, messageId, handler }, work);
        if (unit.raisedAny) throw new RaisedInBatchError(messageId);
      }
      return fresh;
    };
    return this.units.run(all, { attempt: { locks: this.locks, holding: undefined } });
  }
}

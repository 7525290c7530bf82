import { Inject, Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Database, DatabaseSession } from '../ports/database/database.port.js';
import type { EnvelopeFactory } from '../core/messages/envelope-factory.js';
import type { MessageEnvelope } from '../core/messages/message-envelope.js';
import { DATABASE, ENVELOPE_FACTORY } from '../core/protean.tokens.js';
import { ScopedValue } from '../core/context/scoped-value.js';
import { HopObservers } from './hop-observers.js';
import { UnitOfWork } from './unit-of-work.js';
import type { Attempt } from './aggregate-locks.js';
import { CommitSpan } from './commit-span.js';

/**
 * Runs inside the transaction, after the aggregates are saved, with the outgoing messages (the
 * events raised, then the commands queued): writes that must commit with them. A unit of work
 * without outgoing messages runs none of these hooks.
 */
export type BeforeCommitHook = (
  session: DatabaseSession,
  messages: readonly MessageEnvelope[],
) => Promise<void>;
/** Runs after the transaction committed, with its outgoing messages (when it has any). */
export type AfterCommitHook = (messages: readonly MessageEnvelope[]) => Promise<void>;

/** How {@link UnitOfWorkManager.run} runs a unit of work. */
export interface UnitOfWorkOptions {
  /**
   * Run in the application's own TypeORM transaction (the `EntityManager` its
   * `dataSource.transaction(…)` gives, on the DataSource ProteanModule uses) instead of one of
   * the unit of work's own: its entity writes and the outbox rows commit together when the
   * application commits. The events are dispatched after that commit, never after a rollback.
   */
  readonly manager?: EntityManager;
  /** The conflict-retry attempt it is (`retryOnConflict` gives it): see `AggregateLocks`. */
  readonly attempt?: Attempt;
}

const units = new ScopedValue<UnitOfWork>('unit of work');

/**
 * Opens units of work. The messages of one (events raised, commands queued) reach the outside
 * world only through its hooks: `beforeCommit` (the outbox, a database event store) inside the
 * transaction, `afterCommit` (in-process dispatch, direct publishing) once it has committed —
 * never before, never after a rollback. Each list runs in the order registered; Protean's own
 * hooks are registered by `DeliveryPolicy`, which states that order.
 */
@Injectable()
export class UnitOfWorkManager {
  private readonly beforeCommitHooks: BeforeCommitHook[] = [];
  private readonly afterCommitHooks: AfterCommitHook[] = [];

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(ENVELOPE_FACTORY) private readonly envelopes: EnvelopeFactory,
    /** Told each transaction's time (hop `transaction`); nobody when absent. */
    @Optional() private readonly hops: HopObservers = new HopObservers(),
  ) {}

  /** The unit of work of the calling code, if any. */
  current(): UnitOfWork | undefined {
    return units.get();
  }

  beforeCommit(hook: BeforeCommitHook): void {
    this.beforeCommitHooks.push(hook);
  }

  afterCommit(hook: AfterCommitHook): void {
    this.afterCommitHooks.push(hook);
  }

  /**
   * Runs `work` in a unit of work and commits it. Called inside another unit of work, `work`
   * joins it instead (one transaction, events published when the outer one commits). With
   * `options.manager`, it runs in the application's transaction and resolves before that
   * commits; see {@link UnitOfWorkOptions}. Its own transaction's time, from opening it to the
   * commit acknowledged, is reported as the hop `transaction` and traced as the span `commit`.
   */
  run<T>(work: () => Promise<T>, options: UnitOfWorkOptions = {}): Promise<T> {
    // Not an async function: it hands the transaction's promise on, one promise fewer a message.
    if (units.get()) return joined(work);
    let committed: MessageEnvelope[] = [];
    const opened = performance.now();
    const span = CommitSpan.open();
    const transaction = this.database.transaction(
      async (session) => {
        const unit = new UnitOfWork(session, options.attempt);
        const value = await units.run(unit, work);
        const raised = unit.tracksAny ? await unit.flush() : [];
        const queued = unit.queued();
        if (raised.length > 0 || queued.length > 0) {
          const outgoing = () => [
            ...raised.map(({ event, aggregateId }) => this.envelopes.event(event, aggregateId)),
            ...queued,
          ];
          committed = span ? span.stamp(outgoing) : outgoing();
          for (const hook of this.beforeCommitHooks) await hook(session, committed);
        }
        return value;
      },
      {
        join: options.manager,
        afterCommit: () => {
          // A joined transaction commits when the application says so: not ours to time.
          if (!options.manager) this.hops.hop('transaction', performance.now() - opened);
          span?.committed();
          return committed.length === 0 ? undefined : this.runAfterCommitHooks(committed);
        },
      },
    );
    return span ? span.settle(transaction) : transaction;
  }

  private async runAfterCommitHooks(committed: readonly MessageEnvelope[]): Promise<void> {
    for (const hook of this.afterCommitHooks) await hook(committed);
  }
}

/** `work()`, joining the unit of work in progress (a synchronous throw rejects, as in one of its own). */
async function joined<T>(work: () => Promise<T>): Promise<T> {
  return work();
}

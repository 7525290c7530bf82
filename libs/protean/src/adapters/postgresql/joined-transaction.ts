import { Logger } from '@nestjs/common';
import type {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { JoinedTransactionError } from '../../ports/database/joined-transaction.error.js';

/**
 * The query runner of an application's transaction that a unit of work joins: the
 * `EntityManager` must be inside `transaction()` on the DataSource Protean writes to.
 */
export function joinedRunner(manager: EntityManager, dataSource: DataSource): QueryRunner {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) {
    throw new JoinedTransactionError(
      'units.run(work, { manager }) needs the EntityManager of a running transaction ' +
        '(dataSource.transaction(async (manager) => …)); without one, run the unit of work on its own',
    );
  }
  if (manager.connection !== dataSource) {
    throw new JoinedTransactionError(
      "units.run(work, { manager }): the EntityManager belongs to another DataSource than ProteanModule's; " +
        'give ProteanModule that DataSource (the `dataSource` option)',
    );
  }
  return runner;
}

interface PendingAction {
  /** The savepoint depth whose rollback undoes the work this action follows. */
  depth: number;
  readonly action: () => Promise<void>;
}

const pending = new WeakMap<QueryRunner, PendingAction[]>();
const logger = new Logger('UnitOfWork');

/** TypeORM keeps the savepoint depth protected; 1 is the outermost transaction. */
const depthOf = (runner: QueryRunner) =>
  (runner as unknown as { transactionDepth: number }).transactionDepth;

/**
 * Runs `action` when the outermost transaction of `runner` commits, and drops it if that
 * transaction — or a savepoint the work was done in — rolls back. TypeORM tells its
 * subscribers of every commit and rollback, so Protean watches the DataSource with one.
 */
export function runAfterOuterCommit(runner: QueryRunner, action: () => Promise<void>): void {
  // Looked up rather than remembered: a DataSource initialized again gets new subscribers.
  const subscribers = runner.connection.subscribers;
  if (!subscribers.some((subscriber) => subscriber instanceof CommitWatcher)) {
    subscribers.push(new CommitWatcher());
  }
  const actions = pending.get(runner) ?? [];
  actions.push({ depth: depthOf(runner), action });
  pending.set(runner, actions);
}

/** Runs the actions of a committed transaction; forgets those of rolled-back work. */
class CommitWatcher implements EntitySubscriberInterface {
  async afterTransactionCommit({ queryRunner }: TransactionCommitEvent): Promise<void> {
    const actions = pending.get(queryRunner);
    if (!actions) return;
    if (queryRunner.isTransactionActive) {
      // A savepoint was released: its work now belongs to the transaction around it.
      const depth = depthOf(queryRunner);
      for (const entry of actions) entry.depth = Math.min(entry.depth, depth);
      return;
    }
    pending.delete(queryRunner);
    for (const { action } of actions) {
      // The transaction has committed: a failing action must not make the owner's commit
      // look failed (its writes are durable), so it is logged instead.
      await action().catch((error: unknown) =>
        logger.error(`After-commit work of a joined unit of work failed: ${String(error)}`),
      );
    }
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    const actions = pending.get(queryRunner);
    if (!actions) return;
    const depth = queryRunner.isTransactionActive ? depthOf(queryRunner) : 0;
    const kept = actions.filter((entry) => entry.depth <= depth);
    if (kept.length > 0) pending.set(queryRunner, kept);
    else pending.delete(queryRunner);
  }
}

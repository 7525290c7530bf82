import type { EntityManager } from 'typeorm';
import type { PostgresTables } from '../../core/config/postgres-tables.js';

/**
 * The database port: aggregates as versioned JSON state, read models as JSON documents, both
 * written in one transaction per unit of work. Adapters: `memory` and `postgresql`.
 */

/** An aggregate as stored: its state and the version it was saved at. */
export interface StoredAggregate {
  readonly version: number;
  readonly state: Record<string, unknown>;
}

/** A read-model document: plain JSON with an `id`. */
export type ProjectionDocument = Record<string, unknown> & { readonly id: string };

export interface ProjectionQuery {
  readonly limit?: number;
  readonly offset?: number;
}

/** Reads, available inside a transaction (seeing its own writes) and outside. */
export interface DatabaseReader {
  loadAggregate(category: string, id: string): Promise<StoredAggregate | undefined>;
  getProjection(name: string, id: string): Promise<ProjectionDocument | undefined>;
  /** Documents of a read model in the order they were first written. */
  listProjections(name: string, query?: ProjectionQuery): Promise<ProjectionDocument[]>;
}

/** One transaction: everything written commits together or not at all. */
export interface DatabaseSession extends DatabaseReader {
  /**
   * Inserts (`expectedVersion` 0) or updates an aggregate; resolves to the new version.
   * Throws `ConcurrencyError` when the stored version is not `expectedVersion`.
   */
  saveAggregate(
    category: string,
    id: string,
    state: Record<string, unknown>,
    expectedVersion: number,
  ): Promise<number>;
  /**
   * Writes a read-model document. With `expected` it is a compare-and-swap: the write happens
   * only if the stored document is still `expected` (`null`: still absent), else it throws
   * `ConcurrencyError` — so two handlers that read the same document cannot both write it and
   * the later overwrite the earlier (a late event regressing a newer state). Without
   * `expected` it is a plain upsert.
   */
  putProjection(
    name: string,
    document: ProjectionDocument,
    expected?: ProjectionDocument | null,
  ): Promise<void>;
  deleteProjection(name: string, id: string): Promise<void>;
  /**
   * Records that `handler` processed `messageId`, with the handler's other writes. Resolves to
   * `false`, writing nothing, when it was recorded before: the message is a redelivery and its
   * effects are already committed (exactly-once effects over at-least-once delivery).
   */
  markProcessed(handler: string, messageId: string): Promise<boolean>;
  /**
   * {@link markProcessed} for each of `messageIds` at once (one statement on SQL providers):
   * resolves to whether each was recorded now; an id given twice is recorded by its first.
   */
  markEachProcessed(handler: string, messageIds: readonly string[]): Promise<boolean[]>;
  /**
   * Runs `action` right after this transaction commits, synchronously with the commit, and
   * never after a rollback: for in-process stores (the memory outbox) that must commit together
   * with the database.
   */
  onCommit(action: () => void): void;
  /**
   * This transaction's SQL connection, on SQL providers (`postgresql`): stores kept in the same
   * database (the outbox, the event store) write through it to commit with the aggregates.
   */
  readonly sql?: SqlExecutor;
  /**
   * This transaction as a TypeORM `EntityManager`, on SQL providers: an application's own
   * entities saved through it commit or roll back with the unit of work.
   */
  readonly entityManager?: EntityManager;
}

/** How {@link Database.transaction} runs. */
export interface TransactionOptions {
  /**
   * Run inside this transaction instead of opening one: an application's TypeORM
   * `EntityManager` from its own `dataSource.transaction(…)`, on the same DataSource. Its owner
   * commits or rolls back, and `afterCommit` runs when, and only if, it commits.
   */
  readonly join?: EntityManager;
  /**
   * Runs once the transaction has committed; never after a rollback. It returns nothing when
   * it has nothing to wait for (no promise made for a transaction that publishes nothing).
   */
  readonly afterCommit?: () => Promise<void> | void;
}

export interface Database extends DatabaseReader {
  /** The configured provider: `memory` or `postgresql`. */
  readonly provider: string;
  /**
   * The connection pool, on SQL providers: stores kept in the same database use it for their
   * own statements outside units of work.
   */
  readonly sql?: SqlDatabase;
  /**
   * Runs `work` in one transaction: commits when it resolves, rolls back when it throws, then
   * runs `options.afterCommit` before resolving. With `options.join`, runs in that transaction.
   */
  transaction<T>(
    work: (session: DatabaseSession) => Promise<T>,
    options?: TransactionOptions,
  ): Promise<T>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Runs SQL statements with positional parameters (`$1`, `$2`, …). */
export interface SqlExecutor {
  /** The rows the statement returned (none for a statement without `RETURNING`). */
  query<R = Record<string, unknown>>(text: string, parameters?: readonly unknown[]): Promise<R[]>;
  /** Runs an INSERT, UPDATE or DELETE; resolves to how many rows it touched. */
  execute(text: string, parameters?: readonly unknown[]): Promise<number>;
}

/** One transaction's connection: SQL statements, and the same transaction as TypeORM sees it. */
export interface SqlTransaction extends SqlExecutor {
  readonly entityManager: EntityManager;
}

/** A SQL database's pool, as the stores that share it see it. */
export interface SqlDatabase extends SqlExecutor {
  /** Where the tables Protean owns are in this database (schema, prefix). */
  readonly tables: PostgresTables;
  /**
   * Runs `work` in one transaction of its own: commits when it resolves, rolls back when it
   * throws. With `join` (an `EntityManager` inside a transaction on this pool), runs in that
   * transaction instead, leaving commit and rollback to its owner.
   */
  transaction<T>(work: (sql: SqlTransaction) => Promise<T>, join?: EntityManager): Promise<T>;
  /** Runs `action` when the transaction `join` belongs to commits; never if it rolls back. */
  afterCommit(join: EntityManager, action: () => Promise<void>): void;
  /**
   * Calls `onNotification` for every `NOTIFY` on `channel`, over a dedicated connection that is
   * re-opened when it drops (`onReconnect` runs then, as notifications may have been missed).
   * Resolves once listening; the returned function stops.
   */
  listen(
    channel: string,
    onNotification: () => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>>;
  /** Where the database is, without credentials: `host:port/name`. */
  readonly target: string;
}

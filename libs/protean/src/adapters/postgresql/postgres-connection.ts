import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type * as TypeOrm from 'typeorm';
import { requireOptionalPeer } from '../../core/errors/optional-peer.js';
import type { SqlDatabase, SqlTransaction } from '../../ports/database/database.port.js';
import { joinedRunner, runAfterOuterCommit } from './joined-transaction.js';
import { PostgresListener } from './postgres-listener.js';
import {
  clientConfigOf,
  describeServer,
  serverOfDataSource,
  serverOfUri,
  type PostgresServer,
} from './postgres-server.js';
import { PostgresTables } from '../../core/config/postgres-tables.js';
import { translatePostgresError } from './translate-postgres-error.js';

/** A pool of Protean's own. */
export interface PostgresPoolOptions {
  /** `postgresql://…`; kept private, never logged. */
  readonly uri: string;
  /** Connections in the pool. */
  readonly poolSize: number;
  /** Shown in `pg_stat_activity`. */
  readonly applicationName?: string;
  /**
   * The server ends a session whose transaction stays idle this long (a frozen process),
   * releasing its locks; 0 or absent: never.
   */
  readonly idleInTransactionTimeoutMs?: number;
  /** Where Protean's tables are; `public`, unprefixed when absent. */
  readonly tables?: PostgresTables;
}

/** An application's own TypeORM DataSource, which Protean uses and never closes. */
export interface PostgresDataSourceOptions {
  readonly dataSource: DataSource;
  readonly tables?: PostgresTables;
}

type OwnPool = Omit<PostgresPoolOptions, 'uri'> & { readonly server: PostgresServer };

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * A PostgreSQL pool (a TypeORM `DataSource`, pg driver) shared by the stores kept in one
 * database: one of Protean's own, opened from a URI, or the application's DataSource. Either
 * way every statement goes through the DataSource's query runners, so Protean's SQL has one
 * path. Protean's own pool connects on first use, so an application starts while the database
 * is down and reports it through health checks instead of refusing to boot.
 */
export class PostgresConnection implements SqlDatabase {
  readonly target: string;
  readonly tables: PostgresTables;
  private readonly server: PostgresServer;
  private readonly dataSource: DataSource;
  private readonly owned?: OwnPool;
  private opening?: Promise<DataSource>;
  private readonly listeners = new Set<PostgresListener>();

  constructor(options: PostgresPoolOptions | PostgresDataSourceOptions | OwnPool) {
    this.tables = options.tables ?? new PostgresTables();
    if ('dataSource' in options) {
      this.dataSource = options.dataSource;
      this.server = serverOfDataSource(options.dataSource);
    } else {
      this.server = 'uri' in options ? serverOfUri(options.uri) : options.server;
      this.owned = { ...options, server: this.server };
      this.dataSource = ownDataSource(this.owned);
    }
    this.target = describeServer(this.server);
  }

  /** A pool of its own on the same server, with the same tables (the outbox relay's). */
  sibling(poolSize: number, applicationName: string): PostgresConnection {
    return new PostgresConnection({
      server: this.server,
      poolSize,
      applicationName,
      idleInTransactionTimeoutMs: this.owned?.idleInTransactionTimeoutMs,
      tables: this.tables,
    });
  }

  async query<R = Record<string, unknown>>(
    text: string,
    parameters: readonly unknown[] = [],
  ): Promise<R[]> {
    return (await this.run(text, parameters)).records as R[];
  }

  async execute(text: string, parameters: readonly unknown[] = []): Promise<number> {
    return (await this.run(text, parameters)).affected;
  }

  async transaction<T>(
    work: (sql: SqlTransaction) => Promise<T>,
    join?: EntityManager,
  ): Promise<T> {
    if (join) return work(this.executorOn(joinedRunner(join, await this.open())));
    const runner = (await this.open()).createQueryRunner();
    /** The answer to a pipelined START TRANSACTION, still on its way. */
    let begun: Promise<unknown> | undefined;
    try {
      if (this.owned) ({ answered: begun } = await beginPipelined(runner));
      else await runner.startTransaction();
    } catch (error) {
      await runner.release();
      throw translatePostgresError(error, this.target);
    }
    try {
      const result = await work(this.executorOn(runner));
      await begun;
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw translatePostgresError(error, this.target);
    } finally {
      await runner.release();
    }
  }

  afterCommit(join: EntityManager, action: () => Promise<void>): void {
    runAfterOuterCommit(joinedRunner(join, this.dataSource), action);
  }

  async listen(
    channel: string,
    onNotification: () => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>> {
    const listener = new PostgresListener(
      clientConfigOf(this.server, 'protean-listener'),
      this.target,
      channel,
      { onNotification, onReconnect },
    );
    this.listeners.add(listener);
    try {
      await listener.start();
    } catch (error) {
      this.listeners.delete(listener);
      throw error;
    }
    return async () => {
      this.listeners.delete(listener);
      await listener.stop();
    };
  }

  /** Closes every listening connection, and the pool when it is Protean's own. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.listeners].map((listener) => listener.stop()));
    this.listeners.clear();
    const opening = this.opening;
    this.opening = undefined;
    if (this.owned && opening && (await opening.catch(() => undefined))) {
      await this.dataSource.destroy();
    }
  }

  /** Runs `work` with one connection of the pool, outside any transaction (migrations). */
  async withRunner<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = (await this.open()).createQueryRunner();
    try {
      return await work(runner);
    } catch (error) {
      throw translatePostgresError(error, this.target);
    } finally {
      await runner.release();
    }
  }

  private executorOn(runner: QueryRunner): SqlTransaction {
    const target = this.target;
    return {
      entityManager: runner.manager,
      query: async <R>(text: string, parameters: readonly unknown[] = []) =>
        (await runStatement(runner, text, parameters, target)).records as R[],
      execute: async (text: string, parameters: readonly unknown[] = []) =>
        (await runStatement(runner, text, parameters, target)).affected,
    };
  }

  private run(text: string, parameters: readonly unknown[]): Promise<StatementResult> {
    return this.withRunner((runner) => runStatement(runner, text, parameters, this.target));
  }

  /**
   * The DataSource, initialized. An application's DataSource is normally initialized by its
   * owner (`TypeOrmModule`) before Protean gets it; one that is not is initialized here, once.
   */
  private open(): Promise<DataSource> {
    if (this.dataSource.isInitialized) return Promise.resolve(this.dataSource);
    this.opening ??= this.dataSource.initialize().catch((error: unknown) => {
      // Forget the failed attempt, so the next call tries again once the database is back.
      this.opening = undefined;
      throw translatePostgresError(error, this.target);
    });
    return this.opening;
  }
}

function ownDataSource(options: OwnPool): DataSource {
  const typeorm = requireOptionalPeer<typeof TypeOrm>('typeorm');
  return new typeorm.DataSource({
    type: 'postgres',
    ...options.server,
    poolSize: options.poolSize,
    applicationName: options.applicationName ?? 'protean',
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    extra: {
      // Statements go out without waiting for the one before: a transaction's START TRANSACTION
      // travels with its first statement (see beginPipelined). Protean's statements are awaited
      // one by one, so nothing else changes; no cursor or stream is used on this pool.
      pipeline: true,
      ...(options.idleInTransactionTimeoutMs
        ? { idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs }
        : {}),
    },
    logging: false,
    synchronize: false,
    migrationsRun: false,
  });
}

interface StatementResult {
  readonly records: unknown[];
  readonly affected: number;
}

async function runStatement(
  runner: QueryRunner,
  text: string,
  parameters: readonly unknown[],
  target: string,
): Promise<StatementResult> {
  try {
    const result = await runner.query(text, [...parameters], true);
    return { records: (result.records ?? []) as unknown[], affected: result.affected ?? 0 };
  } catch (error) {
    throw translatePostgresError(error, target);
  }
}

/** What of `pg`'s client {@link beginPipelined} uses: its query, and its socket. */
interface PipelinedClient {
  query(text: string): Promise<unknown>;
  readonly connection?: { readonly stream?: { cork?(): void; uncork?(): void } };
}

/** What of TypeORM's query runner {@link beginPipelined} sets, as `startTransaction` would. */
interface TransactionState {
  isTransactionActive: boolean;
  transactionDepth: number;
}

/**
 * Begins a transaction on a runner of Protean's own (pipelined) pool without waiting for the
 * answer: `START TRANSACTION` is written at once on the runner's connection, so the first
 * statement of the transaction follows it on the wire and its round trip is the only one.
 * The runner is marked as `startTransaction` marks it (active, depth 1), so that commit,
 * rollback and a nested `EntityManager.transaction` (a savepoint) work as usual. Resolves, once
 * written, to the promise of its answer (`answered`, awaited before the commit). A TypeORM
 * whose runner does not hold that state as this one does is begun the ordinary way.
 */
async function beginPipelined(runner: QueryRunner): Promise<{ answered?: Promise<unknown> }> {
  const state = runner as unknown as TransactionState;
  if (state.transactionDepth !== 0 || state.isTransactionActive) {
    await runner.startTransaction();
    return {};
  }
  const client = (await runner.connect()) as PipelinedClient;
  // One write for START TRANSACTION and the statement after it: the socket holds what is
  // written until the promise callbacks of this turn have run — where the transaction's first
  // statement is sent — then sends it all. A statement that comes later just goes alone.
  const socket = client.connection?.stream;
  socket?.cork?.();
  process.nextTick(() => socket?.uncork?.());
  const answered = client.query('START TRANSACTION');
  answered.catch(() => undefined);
  state.isTransactionActive = true;
  state.transactionDepth = 1;
  return { answered };
}

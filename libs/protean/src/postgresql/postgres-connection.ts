import type { DataSource, QueryRunner } from 'typeorm';
import type * as TypeOrm from 'typeorm';
import { requireOptionalPeer } from '../errors/optional-peer.js';
import type { SqlDatabase, SqlExecutor } from '../database/database.port.js';
import { describePostgresTarget } from './describe-postgres-target.js';
import { PostgresListener } from './postgres-listener.js';
import { translatePostgresError } from './translate-postgres-error.js';

export interface PostgresConnectionOptions {
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
}

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * A PostgreSQL pool (TypeORM `DataSource`, pg driver) shared by the stores kept in one
 * database. It connects on first use, so an application starts while the database is down
 * and reports it through health checks instead of refusing to boot.
 */
export class PostgresConnection implements SqlDatabase {
  readonly target: string;
  private readonly dataSource: DataSource;
  private opening?: Promise<DataSource>;
  private readonly listeners = new Set<PostgresListener>();

  constructor(private readonly options: PostgresConnectionOptions) {
    this.target = describePostgresTarget(options.uri);
    const typeorm = requireOptionalPeer<typeof TypeOrm>('typeorm');
    this.dataSource = new typeorm.DataSource({
      type: 'postgres',
      url: options.uri,
      poolSize: options.poolSize,
      applicationName: options.applicationName ?? 'protean',
      connectTimeoutMS: CONNECT_TIMEOUT_MS,
      extra: options.idleInTransactionTimeoutMs
        ? { idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs }
        : {},
      logging: false,
      synchronize: false,
      migrationsRun: false,
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

  async transaction<T>(work: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    const runner = (await this.open()).createQueryRunner();
    try {
      await runner.startTransaction();
    } catch (error) {
      await runner.release();
      throw translatePostgresError(error, this.target);
    }
    const target = this.target;
    const executor: SqlExecutor = {
      query: async <R>(text: string, parameters: readonly unknown[] = []) =>
        (await runStatement(runner, text, parameters, target)).records as R[],
      execute: async (text: string, parameters: readonly unknown[] = []) =>
        (await runStatement(runner, text, parameters, target)).affected,
    };
    try {
      const result = await work(executor);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw translatePostgresError(error, this.target);
    } finally {
      await runner.release();
    }
  }

  async listen(
    channel: string,
    onNotification: () => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>> {
    const listener = new PostgresListener(this.options.uri, this.target, channel, {
      onNotification,
      onReconnect,
    });
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

  /** Closes the pool and every listening connection. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.listeners].map((listener) => listener.stop()));
    this.listeners.clear();
    const opening = this.opening;
    this.opening = undefined;
    if (opening && (await opening.catch(() => undefined))) await this.dataSource.destroy();
  }

  private async run(text: string, parameters: readonly unknown[]): Promise<StatementResult> {
    const runner = (await this.open()).createQueryRunner();
    try {
      return await runStatement(runner, text, parameters, this.target);
    } finally {
      await runner.release();
    }
  }

  private open(): Promise<DataSource> {
    this.opening ??= this.dataSource.initialize().catch((error: unknown) => {
      // Forget the failed attempt, so the next call tries again once the database is back.
      this.opening = undefined;
      throw translatePostgresError(error, this.target);
    });
    return this.opening;
  }
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

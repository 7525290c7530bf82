import type { PostgresConnection } from '../postgres-connection.js';
import type {
  Database,
  DatabaseSession,
  TransactionOptions,
} from '../../../ports/database/database.port.js';
import { PostgresqlReader } from './postgresql-reader.js';
import { PostgresqlSession } from './postgresql-session.js';

/**
 * The `postgresql` database: aggregates as versioned JSONB state, read models as JSONB
 * documents, one transaction (one pooled connection) per unit of work — or the application's
 * own transaction, joined. The schema comes from migrations (`npx protean db setup`, or the
 * application's DataSource), never from `synchronize`.
 */
export class PostgresqlDatabase extends PostgresqlReader implements Database {
  readonly provider = 'postgresql';

  constructor(readonly sql: PostgresConnection) {
    super(sql, sql.tables);
  }

  async transaction<T>(
    work: (session: DatabaseSession) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    const commitActions: Array<() => void> = [];
    const result = await this.sql.transaction(
      (transaction) => work(new PostgresqlSession(transaction, this.tables, commitActions)),
      options.join,
    );
    const afterCommit = async () => {
      for (const action of commitActions) action();
      await options.afterCommit?.();
    };
    if (options.join) this.sql.afterCommit(options.join, afterCommit);
    else await afterCommit();
    return result;
  }

  async ping(): Promise<void> {
    await this.sql.query('SELECT 1');
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}

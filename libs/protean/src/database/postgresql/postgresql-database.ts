import type { PostgresConnection } from '../../postgresql/postgres-connection.js';
import type { Database, DatabaseSession } from '../database.port.js';
import { PostgresqlReader } from './postgresql-reader.js';
import { PostgresqlSession } from './postgresql-session.js';

/**
 * The `postgresql` database: aggregates as versioned JSONB state, read models as JSONB
 * documents, one transaction (one pooled connection) per unit of work. The schema comes from
 * migrations (`npm run protean -- db setup`), never from `synchronize`.
 */
export class PostgresqlDatabase extends PostgresqlReader implements Database {
  readonly provider = 'postgresql';

  constructor(readonly sql: PostgresConnection) {
    super(sql);
  }

  async transaction<T>(work: (session: DatabaseSession) => Promise<T>): Promise<T> {
    const commitActions: Array<() => void> = [];
    const result = await this.sql.transaction((executor) =>
      work(new PostgresqlSession(executor, commitActions)),
    );
    for (const action of commitActions) action();
    return result;
  }

  async ping(): Promise<void> {
    await this.sql.query('SELECT 1');
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}

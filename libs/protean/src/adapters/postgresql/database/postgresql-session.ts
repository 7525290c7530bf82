import { ConcurrencyError } from '../../../core/errors/concurrency.error.js';
import type { PostgresTables } from '../../../core/config/postgres-tables.js';
import type {
  DatabaseSession,
  ProjectionDocument,
  SqlTransaction,
} from '../../../ports/database/database.port.js';
import { PostgresqlReader } from './postgresql-reader.js';

/**
 * One unit of work's transaction. Optimistic concurrency needs no explicit lock: an update
 * names the version it read, and a concurrent writer of the same row waits on the row lock and
 * then matches nothing; a concurrent insert of the same id waits on the primary key and then
 * conflicts. Either way the loser gets `ConcurrencyError`.
 */
export class PostgresqlSession extends PostgresqlReader implements DatabaseSession {
  readonly entityManager: SqlTransaction['entityManager'];

  constructor(
    readonly sql: SqlTransaction,
    tables: PostgresTables,
    private readonly commitActions: Array<() => void>,
  ) {
    super(sql, tables);
    this.entityManager = sql.entityManager;
  }

  async saveAggregate(
    category: string,
    id: string,
    state: Record<string, unknown>,
    expectedVersion: number,
  ): Promise<number> {
    const rows =
      expectedVersion === 0
        ? await this.sql.query<{ version: number }>(
            `INSERT INTO ${this.tables.aggregates} (category, id, version, state) VALUES ($1, $2, 1, $3::jsonb)
             ON CONFLICT (category, id) DO NOTHING RETURNING version`,
            [category, id, JSON.stringify(state)],
          )
        : await this.sql.query<{ version: number }>(
            `UPDATE ${this.tables.aggregates} SET version = version + 1, state = $3::jsonb, updated_at = now()
             WHERE category = $1 AND id = $2 AND version = $4 RETURNING version`,
            [category, id, JSON.stringify(state), expectedVersion],
          );
    if (rows.length === 0) {
      // A statement of its own sees what the winner committed: whether others make progress.
      const [found] = await this.sql.query<{ version: number }>(
        'SELECT version FROM aggregates WHERE category = $1 AND id = $2',
        [category, id],
      );
      throw new ConcurrencyError(category, id, expectedVersion, found && Number(found.version));
    }
    return Number(rows[0].version);
  }

  async putProjection(
    name: string,
    document: ProjectionDocument,
    expected?: ProjectionDocument | null,
  ): Promise<void> {
    const values = [name, document.id, JSON.stringify(document)];
    if (expected === undefined) {
      await this.sql.query(
        `INSERT INTO ${this.tables.projections} (name, id, document) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (name, id) DO UPDATE SET document = EXCLUDED.document, updated_at = now()`,
        values,
      );
      return;
    }
    // A concurrent writer of the row makes this wait on its lock, then re-check the condition
    // against what it committed; a concurrent insert conflicts on the primary key.
    const rows =
      expected === null
        ? await this.sql.query(
            `INSERT INTO ${this.tables.projections} (name, id, document) VALUES ($1, $2, $3::jsonb)
             ON CONFLICT (name, id) DO NOTHING RETURNING 1 AS written`,
            values,
          )
        : await this.sql.query(
            `UPDATE ${this.tables.projections} SET document = $3::jsonb, updated_at = now()
             WHERE name = $1 AND id = $2 AND document = $4::jsonb RETURNING 1 AS written`,
            [...values, JSON.stringify(expected)],
          );
    if (rows.length === 0) {
      const [found] = await this.sql.query<{ digest: string }>(
        'SELECT md5(document::text) AS digest FROM projections WHERE name = $1 AND id = $2',
        [name, document.id],
      );
      throw new ConcurrencyError(`projection ${name}`, document.id, 'as read', found?.digest);
    }
  }

  async deleteProjection(name: string, id: string): Promise<void> {
    await this.sql.query(`DELETE FROM ${this.tables.projections} WHERE name = $1 AND id = $2`, [
      name,
      id,
    ]);
  }

  /**
   * A concurrent transaction inserting the same key makes this one wait on the primary key;
   * once it commits this resolves to `false` (and to `true` if it rolled back), so PostgreSQL
   * never needs the memory adapter's commit-time `AlreadyProcessedError`.
   */
  async markProcessed(handler: string, messageId: string): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO ${this.tables.processedMessages} (handler, message_id) VALUES ($1, $2)
       ON CONFLICT (handler, message_id) DO NOTHING RETURNING 1 AS inserted`,
      [handler, messageId],
    );
    return rows.length === 1;
  }

  async markEachProcessed(handler: string, messageIds: readonly string[]): Promise<boolean[]> {
    const rows = await this.sql.query<{ message_id: string }>(
      `INSERT INTO ${this.tables.processedMessages} (handler, message_id)
       SELECT $1, unnest($2::text[]) ON CONFLICT (handler, message_id) DO NOTHING
       RETURNING message_id`,
      [handler, messageIds],
    );
    const recorded = new Set(rows.map((row) => row.message_id));
    // A repeated id was inserted once: the first of its occurrences counts.
    return messageIds.map((messageId) => recorded.delete(messageId));
  }

  onCommit(action: () => void): void {
    this.commitActions.push(action);
  }
}

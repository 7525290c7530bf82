import type {
  DatabaseReader,
  ProjectionDocument,
  ProjectionQuery,
  SqlExecutor,
  StoredAggregate,
} from '../../../ports/database/database.port.js';
import type { PostgresTables } from '../../../core/config/postgres-tables.js';

/** Reads through a pool (outside units of work) or a transaction (seeing its own writes). */
export class PostgresqlReader implements DatabaseReader {
  constructor(
    protected readonly executor: SqlExecutor,
    protected readonly tables: PostgresTables,
  ) {}

  async loadAggregate(category: string, id: string): Promise<StoredAggregate | undefined> {
    const [row] = await this.executor.query<StoredAggregate>(
      `SELECT version, state FROM ${this.tables.aggregates} WHERE category = $1 AND id = $2`,
      [category, id],
    );
    return row && { version: Number(row.version), state: row.state };
  }

  async getProjection(name: string, id: string): Promise<ProjectionDocument | undefined> {
    const [row] = await this.executor.query<{ document: ProjectionDocument }>(
      `SELECT document FROM ${this.tables.projections} WHERE name = $1 AND id = $2`,
      [name, id],
    );
    return row?.document;
  }

  async listProjections(name: string, query: ProjectionQuery = {}): Promise<ProjectionDocument[]> {
    const rows = await this.executor.query<{ document: ProjectionDocument }>(
      `SELECT document FROM ${this.tables.projections} WHERE name = $1 ORDER BY seq LIMIT $2 OFFSET $3`,
      [name, query.limit ?? null, query.offset ?? 0],
    );
    return rows.map((row) => row.document);
  }
}

import type { QueryRunner } from 'typeorm';
import type { PostgresTables } from '../../../core/config/postgres-tables.js';

/**
 * Creates the tables' schema unless it exists. Looked up first: `CREATE SCHEMA IF NOT EXISTS`
 * needs the CREATE privilege on the database even when the schema is already there.
 */
export async function createSchemaIfMissing(
  runner: QueryRunner,
  tables: PostgresTables,
): Promise<void> {
  const found = (await runner.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
    tables.naming.schema,
  ])) as unknown[];
  if (found.length === 0) await runner.query(`CREATE SCHEMA IF NOT EXISTS ${tables.schema}`);
}

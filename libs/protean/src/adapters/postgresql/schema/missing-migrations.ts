import type { MigrationClass } from './migrate-postgres.js';
import type { PostgresConnection } from '../postgres-connection.js';
import { SchemaMissingError } from './schema-missing.error.js';

/**
 * The names of `migrations` that `db setup` has not applied to the database `connection` talks to —
 * all of them when it never ran there. Connection failures propagate, translated.
 */
export async function missingMigrations(
  connection: PostgresConnection,
  migrations: readonly MigrationClass[],
): Promise<string[]> {
  const expected = migrations.map((Migration) => new Migration().name ?? Migration.name);
  let applied: Set<string>;
  try {
    const rows = await connection.query<{ name: string }>(
      `SELECT name FROM ${connection.tables.migrations}`,
    );
    applied = new Set(rows.map((row) => row.name));
  } catch (error) {
    if (error instanceof SchemaMissingError) return expected;
    throw error;
  }
  return expected.filter((name) => !applied.has(name));
}

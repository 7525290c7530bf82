import type { QueryRunner } from 'typeorm';
import { createSchemaIfMissing } from './create-schema.js';
import type { MigrationClass } from './migration-class.js';
import { PostgresConnection } from '../postgres-connection.js';
import { PostgresTables } from '../../../core/config/postgres-tables.js';

export type { MigrationClass } from './migration-class.js';

/** Serializes concurrent `db setup` runs against one database (any constant; ours spells P-R). */
const MIGRATION_LOCK_KEY = 0x5052;

/**
 * Applies the `migrations` not yet recorded in the connection's migrations table
 * (`<schema>.<prefix>protean_migrations`, the layout TypeORM gives it), each in its own
 * transaction, while holding an advisory lock so two concurrent runs cannot both create a
 * table. Works alike on Protean's own pool and on an application's DataSource. Resolves to the
 * names applied (none when the schema is up to date).
 */
export async function runMigrations(
  connection: PostgresConnection,
  migrations: readonly MigrationClass[],
): Promise<string[]> {
  const table = connection.tables.migrations;
  return connection.withRunner(async (runner) => {
    // An up-to-date schema is read, never written: a process may run under a role that can
    // use Protean's tables but not create anything (no CREATE on the schema).
    if ((await pendingOf(runner, table, migrations)).length === 0) return [];
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await createSchemaIfMissing(runner, connection.tables);
      await runner.query(`
        CREATE TABLE IF NOT EXISTS ${table} (
          id          serial  PRIMARY KEY,
          "timestamp" bigint  NOT NULL,
          name        varchar NOT NULL
        )`);
      const rows = (await runner.query(`SELECT name FROM ${table}`)) as Array<{ name: string }>;
      const done = new Set(rows.map((row) => row.name));
      const applied: string[] = [];
      for (const Migration of migrations) {
        const migration = new Migration();
        const name = migration.name ?? Migration.name;
        if (done.has(name)) continue;
        await inTransaction(runner, async () => {
          await migration.up(runner);
          await runner.query(`INSERT INTO ${table} ("timestamp", name) VALUES ($1, $2)`, [
            Number(/\d{13}$/.exec(name)?.[0] ?? Date.now()),
            name,
          ]);
        });
        applied.push(name);
      }
      return applied;
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => []);
    }
  });
}

/** The migrations not recorded yet (all of them when there is no migrations table). */
async function pendingOf(
  runner: QueryRunner,
  table: string,
  migrations: readonly MigrationClass[],
): Promise<MigrationClass[]> {
  const [{ exists }] = (await runner.query('SELECT to_regclass($1) IS NOT NULL AS exists', [
    table,
  ])) as Array<{ exists: boolean }>;
  if (!exists) return [...migrations];
  const rows = (await runner.query(`SELECT name FROM ${table}`)) as Array<{ name: string }>;
  const done = new Set(rows.map((row) => row.name));
  return migrations.filter((Migration) => !done.has(new Migration().name ?? Migration.name));
}

/** {@link runMigrations} on a pool of its own to the database at `uri`, closed afterwards. */
export async function migratePostgres(
  uri: string,
  migrations: readonly MigrationClass[],
  tables = new PostgresTables(),
): Promise<string[]> {
  const connection = new PostgresConnection({
    uri,
    poolSize: 1,
    applicationName: 'protean-migrations',
    tables,
  });
  try {
    return await runMigrations(connection, migrations);
  } finally {
    await connection.close();
  }
}

async function inTransaction(runner: QueryRunner, work: () => Promise<void>): Promise<void> {
  await runner.startTransaction();
  try {
    await work();
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  }
}

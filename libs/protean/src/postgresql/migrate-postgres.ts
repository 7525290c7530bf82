import type { MigrationInterface } from 'typeorm';
import type * as TypeOrm from 'typeorm';
import { requireOptionalPeer } from '../errors/optional-peer.js';
import { describePostgresTarget } from './describe-postgres-target.js';
import { translatePostgresError } from './translate-postgres-error.js';

/** A migration class, as TypeORM takes them. */
export type MigrationClass = new () => MigrationInterface;

/** The table TypeORM records applied migrations in; prefixed to stay clear of users' tables. */
export const MIGRATIONS_TABLE = 'protean_migrations';

/** Serializes concurrent `db setup` runs against one database (any constant; ours spells P-R). */
const MIGRATION_LOCK_KEY = 0x5052;

/**
 * Applies the `migrations` not yet applied to the database at `uri`, each in its own
 * transaction, while holding an advisory lock so two concurrent runs cannot both create a
 * table. Resolves to the names applied (none when the schema is up to date).
 */
export async function migratePostgres(
  uri: string,
  migrations: readonly MigrationClass[],
): Promise<string[]> {
  const target = describePostgresTarget(uri);
  const typeorm = requireOptionalPeer<typeof TypeOrm>('typeorm');
  const dataSource = new typeorm.DataSource({
    type: 'postgres',
    url: uri,
    poolSize: 2,
    applicationName: 'protean-migrations',
    connectTimeoutMS: 5_000,
    logging: false,
    synchronize: false,
    migrations: [...migrations],
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
  });
  try {
    await dataSource.initialize();
  } catch (error) {
    throw translatePostgresError(error, target);
  }
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } catch (error) {
    throw translatePostgresError(error, target);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}

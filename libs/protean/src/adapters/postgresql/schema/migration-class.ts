import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createSchemaIfMissing } from './create-schema.js';
import type { PostgresTables } from '../../../core/config/postgres-tables.js';

/** A migration class, as TypeORM takes them in a DataSource's `migrations`. */
export type MigrationClass = new () => MigrationInterface;

export interface MigrationSteps {
  up(runner: QueryRunner): Promise<void>;
  down(runner: QueryRunner): Promise<void>;
}

/**
 * A migration of Protean's tables in `tables`: it creates their schema first when missing, so
 * it runs alike from `db setup` and from an application's DataSource. `name` ends in the
 * migration's timestamp, as TypeORM requires, and never changes once released: databases
 * record it as applied.
 */
export function postgresMigration(
  name: string,
  tables: PostgresTables,
  steps: MigrationSteps,
): MigrationClass {
  return class implements MigrationInterface {
    readonly name = name;

    async up(runner: QueryRunner): Promise<void> {
      await createSchemaIfMissing(runner, tables);
      await steps.up(runner);
    }

    down(runner: QueryRunner): Promise<void> {
      return steps.down(runner);
    }
  };
}

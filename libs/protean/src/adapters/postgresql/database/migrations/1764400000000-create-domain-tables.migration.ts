import type { QueryRunner } from 'typeorm';
import { postgresMigration, type MigrationClass } from '../../schema/migration-class.js';
import type { PostgresTables } from '../../../../core/config/postgres-tables.js';

/** Aggregates, read models and the processed-message markers of the `postgresql` database. */
export function createDomainTables(tables: PostgresTables): MigrationClass {
  return postgresMigration('CreateDomainTables1764400000000', tables, {
    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`
        CREATE TABLE ${tables.aggregates} (
          category   text        NOT NULL,
          id         text        NOT NULL,
          version    integer     NOT NULL CHECK (version > 0),
          state      jsonb       NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (category, id)
        )`);
      // `seq` keeps documents in first-written order; an upsert leaves it as it was.
      await runner.query(`
        CREATE TABLE ${tables.projections} (
          name       text        NOT NULL,
          id         text        NOT NULL,
          seq        bigint      GENERATED ALWAYS AS IDENTITY,
          document   jsonb       NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (name, id)
        )`);
      await runner.query(
        `CREATE INDEX ${tables.index('projections_order_idx')} ON ${tables.projections} (name, seq)`,
      );
      await runner.query(`
        CREATE TABLE ${tables.processedMessages} (
          handler      text        NOT NULL,
          message_id   text        NOT NULL,
          processed_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (handler, message_id)
        )`);
    },

    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE ${tables.processedMessages}`);
      await runner.query(`DROP TABLE ${tables.projections}`);
      await runner.query(`DROP TABLE ${tables.aggregates}`);
    },
  });
}

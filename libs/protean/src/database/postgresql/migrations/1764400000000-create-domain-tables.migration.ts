import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Aggregates, read models and the processed-message markers of the `postgresql` database. */
export class CreateDomainTables1764400000000 implements MigrationInterface {
  name = 'CreateDomainTables1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE aggregates (
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
      CREATE TABLE projections (
        name       text        NOT NULL,
        id         text        NOT NULL,
        seq        bigint      GENERATED ALWAYS AS IDENTITY,
        document   jsonb       NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (name, id)
      )`);
    await runner.query('CREATE INDEX projections_order_idx ON projections (name, seq)');
    await runner.query(`
      CREATE TABLE processed_messages (
        handler      text        NOT NULL,
        message_id   text        NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (handler, message_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE processed_messages');
    await runner.query('DROP TABLE projections');
    await runner.query('DROP TABLE aggregates');
  }
}

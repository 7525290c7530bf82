import type { QueryRunner } from 'typeorm';
import { postgresMigration, type MigrationClass } from '../../schema/migration-class.js';
import type { PostgresTables } from '../../../../core/config/postgres-tables.js';

/** The `postgresql` event store: every raised event with its global and stream positions. */
export function createEventStore(tables: PostgresTables): MigrationClass {
  return postgresMigration('CreateEventStore1764400000002', tables, {
    async up(runner: QueryRunner): Promise<void> {
      // `transaction_id` lets readers by global position skip rows of transactions still in
      // flight (see PostgresqlEventStore.readAll).
      await runner.query(`
        CREATE TABLE ${tables.eventStore} (
          global_position bigserial   PRIMARY KEY,
          stream_name     text        NOT NULL,
          stream_position bigint      NOT NULL CHECK (stream_position > 0),
          message_id      text        NOT NULL,
          type            text        NOT NULL,
          data            jsonb       NOT NULL,
          metadata        jsonb       NOT NULL,
          recorded_at     timestamptz NOT NULL DEFAULT now(),
          transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
          CONSTRAINT ${tables.index('event_store_stream_position_key')}
            UNIQUE (stream_name, stream_position)
        )`);
    },

    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE ${tables.eventStore}`);
    },
  });
}

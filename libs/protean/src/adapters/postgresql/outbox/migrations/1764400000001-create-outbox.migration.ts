import type { QueryRunner } from 'typeorm';
import { postgresMigration, type MigrationClass } from '../../schema/migration-class.js';
import type { PostgresTables } from '../../../../core/config/postgres-tables.js';

/** The transactional outbox (docs/outbox.md), written in the aggregates' database. */
export function createOutbox(tables: PostgresTables): MigrationClass {
  return postgresMigration('CreateOutbox1764400000001', tables, {
    async up(runner: QueryRunner): Promise<void> {
      // `data` and `metadata` are `json`, not `jsonb`: the relay sends their text as written,
      // without parsing it, so what reaches the stream is byte for byte what was recorded.
      await runner.query(`
        CREATE TABLE ${tables.outbox} (
          id              bigserial   PRIMARY KEY,
          message_id      text        NOT NULL,
          stream_name     text        NOT NULL,
          type            text        NOT NULL,
          kind            text        NOT NULL CHECK (kind IN ('EVENT', 'COMMAND')),
          data            json        NOT NULL,
          metadata        json        NOT NULL,
          status          text        NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'processing', 'published', 'failed', 'abandoned')),
          retry_count     integer     NOT NULL DEFAULT 0,
          next_retry_at   timestamptz NOT NULL DEFAULT now(),
          locked_until    timestamptz,
          locked_by       text,
          last_error      text,
          last_attempt_at timestamptz,
          created_at      timestamptz NOT NULL DEFAULT now(),
          published_at    timestamptz
        )`);
      // Both indexes cover only unpublished rows, so they stay small however many published
      // rows the retention keeps: the first finds due rows in order, the second answers "is
      // an earlier row of this stream still unpublished?" with one index probe.
      await runner.query(`
        CREATE INDEX ${tables.index('outbox_unpublished_idx')} ON ${tables.outbox} (id)
        WHERE status IN ('pending', 'processing', 'failed')`);
      await runner.query(`
        CREATE INDEX ${tables.index('outbox_unpublished_stream_idx')} ON ${tables.outbox} (stream_name, id)
        WHERE status IN ('pending', 'processing', 'failed')`);
    },

    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE ${tables.outbox}`);
    },
  });
}

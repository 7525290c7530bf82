import { outboxStatements } from '../../adapters/postgresql/outbox/outbox.sql.js';
import { PostgresTables, quoteIdentifier } from './postgres-tables.js';

describe('PostgresTables', () => {
  it('names the default tables: public, no prefix', () => {
    const tables = new PostgresTables();
    expect(tables.outbox).toBe('"public"."outbox"');
    expect(tables.migrations).toBe('"public"."protean_migrations"');
    expect(tables.index('outbox_unpublished_idx')).toBe('"outbox_unpublished_idx"');
  });

  it('puts every table, index and constraint in the schema with the prefix', () => {
    const tables = new PostgresTables({ schema: 'shop', prefix: 'app_' });
    expect([
      tables.aggregates,
      tables.projections,
      tables.processedMessages,
      tables.outbox,
      tables.eventStore,
      tables.migrations,
    ]).toEqual([
      '"shop"."app_aggregates"',
      '"shop"."app_projections"',
      '"shop"."app_processed_messages"',
      '"shop"."app_outbox"',
      '"shop"."app_event_store"',
      '"shop"."app_protean_migrations"',
    ]);
    expect(tables.index('event_store_stream_position_key')).toBe(
      '"app_event_store_stream_position_key"',
    );
    // Every statement of the outbox names its table through them, none the bare `outbox`.
    for (const statement of Object.values(outboxStatements(tables))) {
      expect(statement).toContain('"shop"."app_outbox"');
      expect(statement).not.toMatch(/(FROM|INTO|UPDATE) outbox\b/);
    }
  });

  it('quotes so that a name can never close its quotes (names are validated before)', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
  });
});

/**
 * What a `databases.<name>.schema` or `table_prefix` may hold: a plain PostgreSQL identifier
 * (letters, digits, `_`, not starting with a digit), so a name is the same quoted or not and
 * can never close its quotes.
 */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** PostgreSQL truncates longer names (NAMEDATALEN - 1). */
export const MAX_IDENTIFIER_LENGTH = 63;
/** Our longest table, index or constraint name after the prefix. */
export const LONGEST_OWN_NAME = 'event_store_stream_position_key'.length;

/** Where a database's Protean tables are: a schema and a prefix of every table's name. */
export interface TableNaming {
  /** Default `public`. */
  readonly schema: string;
  /** Default empty: the tables are `aggregates`, `outbox`, … (docs/database.md). */
  readonly prefix: string;
}

/** `"name"`, with embedded quotes doubled (names are validated first; this is the last guard). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The one place that names the tables Protean owns in a PostgreSQL database: each one
 * schema-qualified, prefixed and quoted, ready to put in a statement.
 */
export class PostgresTables {
  /** The schema, quoted. */
  readonly schema: string;
  readonly aggregates: string;
  readonly projections: string;
  readonly processedMessages: string;
  readonly outbox: string;
  readonly eventStore: string;
  /** Where applied migrations are recorded. */
  readonly migrations: string;

  constructor(readonly naming: TableNaming = { schema: 'public', prefix: '' }) {
    this.schema = quoteIdentifier(naming.schema);
    this.aggregates = this.table('aggregates');
    this.projections = this.table('projections');
    this.processedMessages = this.table('processed_messages');
    this.outbox = this.table('outbox');
    this.eventStore = this.table('event_store');
    this.migrations = this.table('protean_migrations');
  }

  /**
   * An index or constraint name, prefixed and quoted but not qualified (`CREATE INDEX` puts it
   * in its table's schema): index names share their schema's namespace, so two prefixes in one
   * schema need their own.
   */
  index(name: string): string {
    return quoteIdentifier(`${this.naming.prefix}${name}`);
  }

  private table(name: string): string {
    return `${this.schema}.${quoteIdentifier(`${this.naming.prefix}${name}`)}`;
  }
}

/** The tables of a `[databases.<name>]` section (`schema`, `table_prefix`). */
export function tablesOf(config: {
  readonly schema: string;
  readonly table_prefix: string;
}): PostgresTables {
  return new PostgresTables({ schema: config.schema, prefix: config.table_prefix });
}

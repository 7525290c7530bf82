import { createDatabase } from '../../adapters/create-database.js';
import { MemoryDatabase } from '../../adapters/memory/memory-database.js';
import { createEventStore } from '../../adapters/create-event-store.js';
import { configurationErrorOf } from '../../../../../test/support/configuration-error-of.js';
import { loadConfiguration } from './load-configuration.js';

const errorOf = configurationErrorOf;

describe('TypeScript settings (camelCase)', () => {
  it('load to the same configuration as the snake_case keys of domain.toml and PROTEAN_*', () => {
    const fromSettings = loadConfiguration({
      embedded: true,
      settings: {
        enableOutbox: true,
        databases: {
          default: { provider: 'postgresql', schema: 'shop', tablePrefix: 'protean_' },
        },
        outbox: { retry: { maxAttempts: 5 } },
        server: { subscriptions: { CatalogProjector: { maxRetries: 1 } } },
      },
    });
    const fromEnv = loadConfiguration({
      env: {
        PROTEAN_ENABLE_OUTBOX: 'true',
        PROTEAN_DATABASES__DEFAULT__PROVIDER: 'postgresql',
        PROTEAN_DATABASES__DEFAULT__SCHEMA: 'shop',
        PROTEAN_DATABASES__DEFAULT__TABLE_PREFIX: 'protean_',
        PROTEAN_OUTBOX__RETRY__MAX_ATTEMPTS: '5',
      },
      overrides: { server: { subscriptions: { CatalogProjector: { max_retries: 1 } } } },
    });
    expect(fromSettings).toEqual(fromEnv);
    expect(fromSettings.databases.default).toMatchObject({ table_prefix: 'protean_' });
    expect(fromSettings.server.subscriptions).toHaveProperty('CatalogProjector');
  });

  it('are overridden by domain.toml and PROTEAN_* (a deployment can still change them)', () => {
    const config = loadConfiguration({
      env: { PROTEAN_OUTBOX__MESSAGES_PER_TICK: '50' },
      settings: { outbox: { messagesPerTick: 20, tickInterval: 2 } },
    });
    expect(config.outbox).toMatchObject({ messages_per_tick: 50, tick_interval: 2 });
  });

  it('are validated by the same schema, the error naming the key as written in TypeScript', () => {
    const error = errorOf(() =>
      loadConfiguration({
        embedded: true,
        settings: { databases: { default: { provider: 'postgresql', tablePrefix: 'bad-name' } } },
      }),
    );
    expect(error.message).toBe(
      'Invalid configuration: databases.default.table_prefix = "bad-name": expected a PostgreSQL identifier: ' +
        'letters, digits and _, not starting with a digit ' +
        '(from ProteanModule settings: databases.default.tablePrefix)',
    );
    const unknown = errorOf(() =>
      loadConfiguration({ embedded: true, settings: { outbox: { tickIntervall: 1 } as object } }),
    );
    expect(unknown.message).toBe(
      'Invalid configuration: outbox.tick_intervall: unknown key; did you mean `tick_interval`? (from ProteanModule settings: outbox.tickIntervall)',
    );
  });

  it('refuse a prefix that would make a table name longer than PostgreSQL keeps', () => {
    const error = errorOf(() =>
      loadConfiguration({
        embedded: true,
        settings: { databases: { default: { provider: 'memory', tablePrefix: 'p'.repeat(40) } } },
      }),
    );
    expect(error.message).toContain('databases.default.table_prefix');
    expect(error.message).toContain('expected at most 32 characters');
  });
});

describe('database URIs, no longer required by the schema', () => {
  it('is required to open a postgresql database without an application DataSource', () => {
    const config = loadConfiguration({
      env: { PROTEAN_DATABASES__DEFAULT__PROVIDER: 'postgresql' },
    });
    expect(errorOf(() => createDatabase('default', config.databases.default)).message).toBe(
      'Invalid configuration: databases.default.database_uri: required for provider "postgresql", ' +
        'unless ProteanModule is given your TypeORM dataSource',
    );
  });

  it('an event store on postgresql needs a database_uri unless it can share databases.default', () => {
    const config = loadConfiguration({ env: { PROTEAN_EVENT_STORE__PROVIDER: 'postgresql' } });
    expect(errorOf(() => createEventStore(config, new MemoryDatabase())).message).toBe(
      'Invalid configuration: event_store.database_uri: required for provider "postgresql" ' +
        'unless databases.default is postgresql (then shared)',
    );
  });
});

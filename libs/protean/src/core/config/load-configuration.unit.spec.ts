import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { configurationErrorOf } from '../../../../../test/support/configuration-error-of.js';
import { DEFAULT_SUBSCRIPTION_SETTINGS } from './subscription-profiles.js';
import { loadConfiguration } from './load-configuration.js';

const CHAPTER_TOML = resolve('test/fixtures/chapter-domain.toml');

/** The chapter's domain.toml, expressed as PROTEAN_* variables. */
const CHAPTER_ENV = {
  PROTEAN_EVENT_PROCESSING: 'async',
  PROTEAN_COMMAND_PROCESSING: 'async',
  PROTEAN_ENABLE_OUTBOX: 'true',
  PROTEAN_DATABASES__DEFAULT__PROVIDER: 'postgresql',
  PROTEAN_DATABASES__DEFAULT__DATABASE_URI: 'postgresql://localhost:5432/bookshelf',
  PROTEAN_BROKERS__DEFAULT__PROVIDER: 'redis',
  PROTEAN_BROKERS__DEFAULT__URI: 'redis://localhost:6379/0',
  PROTEAN_EVENT_STORE__PROVIDER: 'memory',
  PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_TYPE: 'stream',
  PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_PROFILE: 'production',
  PROTEAN_OUTBOX__BROKER: 'default',
  PROTEAN_OUTBOX__MESSAGES_PER_TICK: '10',
  PROTEAN_OUTBOX__TICK_INTERVAL: '1',
  PROTEAN_OUTBOX__RETRY__MAX_ATTEMPTS: '3',
  PROTEAN_OUTBOX__RETRY__BASE_DELAY_SECONDS: '60',
};

function tomlFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'protean-config-')), 'domain.toml');
  writeFileSync(path, text);
  return path;
}

const errorOf = configurationErrorOf;

describe('loadConfiguration', () => {
  it('loads the chapter domain.toml, verbatim, to the same object as the equivalent variables', () => {
    const fromFile = loadConfiguration({ env: {}, file: CHAPTER_TOML });
    const fromEnv = loadConfiguration({ env: CHAPTER_ENV });

    expect(fromFile).toEqual(fromEnv);
    expect(fromFile.brokers.default).toMatchObject({
      provider: 'redis',
      uri: 'redis://localhost:6379/0',
    });
    expect(fromFile.outbox.retry).toMatchObject({ max_attempts: 3, base_delay_seconds: 60 });
    expect(fromFile.command_processing).toBe('async');
  });

  describe('.env.example', () => {
    const text = readFileSync(resolve('.env.example'), 'utf8');
    /** The commented-out `# KEY=value` lines, uncommented (`PROTEAN_CONFIG` names a file). */
    const commented = (only?: RegExp) =>
      parseEnv(
        text
          .split('\n')
          .filter((line) => /^# [A-Z][A-Z0-9_]*=/.test(line) && (!only || only.test(line)))
          .filter((line) => !line.startsWith('# PROTEAN_CONFIG='))
          .map((line) => line.slice(2))
          .join('\n'),
      );

    it('sets nothing when copied verbatim: every override is commented out', () => {
      expect(parseEnv(text)).toEqual({});
    });

    it('accepts every key it names, commented or not', () => {
      const env = commented();
      expect(Object.keys(env).length).toBeGreaterThan(30);
      expect(() => loadConfiguration({ env })).not.toThrow();
    });

    it('shows the true default on every line marked `default:`', () => {
      const env = commented(/# default: /);
      expect(env.PROTEAN_DATABASES__DEFAULT__PROVIDER).toBe('memory');
      expect(env.PROTEAN_DATABASES__DEFAULT__TABLE_PREFIX).toBe('');
      // Resolved where it is used (the schema leaves it unset): compared with the built-in one.
      expect(env.PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_TYPE).toBe(
        DEFAULT_SUBSCRIPTION_SETTINGS.subscription_type,
      );
      // Keys the schema leaves unset (resolved where they are used) appear only on the left.
      expect(loadConfiguration({ env })).toMatchObject(loadConfiguration({ env: {} }));
    });
  });

  it('reads the file named by PROTEAN_CONFIG', () => {
    const config = loadConfiguration({ env: { PROTEAN_CONFIG: CHAPTER_TOML } });
    expect(config.databases.default.provider).toBe('postgresql');
  });

  it('lets an environment variable override the file', () => {
    const config = loadConfiguration({
      env: {
        PROTEAN_OUTBOX__TICK_INTERVAL: '0.25',
        PROTEAN_BROKERS__DEFAULT__PROVIDER: 'redis_pubsub',
      },
      file: CHAPTER_TOML,
    });
    expect(config.outbox.tick_interval).toBe(0.25);
    expect(config.brokers.default.provider).toBe('redis_pubsub');
    expect(config.outbox.messages_per_tick).toBe(10);
  });

  it('embeds memory stores and the inline broker by default', () => {
    const config = loadConfiguration({ env: {} });
    expect(config.databases.default.provider).toBe('memory');
    expect(config.event_store.provider).toBe('memory');
    expect(config.brokers.default.provider).toBe('inline');
    expect(config.command_processing).toBe('sync');
  });

  it('ignores file and environment when embedded', () => {
    const config = loadConfiguration({ embedded: true, env: CHAPTER_ENV, file: CHAPTER_TOML });
    expect(config.brokers.default.provider).toBe('inline');
  });

  it('substitutes ${VAR} and ${VAR|default} in file values', () => {
    const file = tomlFile(
      '[databases.default]\nprovider = "postgresql"\ndatabase_uri = "${DB_URL}"\n' +
        '[outbox]\ntick_interval = "${TICK|2}"\n',
    );
    const config = loadConfiguration({ env: { DB_URL: 'postgresql://db:5432/shop' }, file });
    expect(config.databases.default.database_uri).toBe('postgresql://db:5432/shop');
    expect(config.outbox.tick_interval).toBe(2);
  });

  it('names the key of a missing substitution', () => {
    const file = tomlFile('[brokers.default]\nprovider = "redis"\nuri = "${REDIS_URL}"\n');
    expect(errorOf(() => loadConfiguration({ env: {}, file })).message).toContain(
      'brokers.default.uri: environment variable REDIS_URL is not set',
    );
  });

  it('refuses provider "kafka" in one line naming brokers.default.provider and what is allowed', () => {
    const file = tomlFile('[brokers.default]\nprovider = "kafka"\n');
    const error = errorOf(() => loadConfiguration({ env: {}, file }));
    expect(error.message).toBe(
      `Invalid configuration: brokers.default.provider = "kafka": expected one of inline, redis, redis_pubsub (from ${file})`,
    );
    expect(error.message).not.toContain('\n');
  });

  it.each([
    [{ PROTEAN_OUTBOX__TICK_INTERVAL: '-1' }, 'outbox.tick_interval'],
    [
      { PROTEAN_BROKERS__DEFAULT__PROVIDER: 'redis', PROTEAN_BROKERS__DEFAULT__URI: 'http://x' },
      'brokers.default.uri',
    ],
    [
      {
        PROTEAN_DATABASES__DEFAULT__PROVIDER: 'memory',
        PROTEAN_DATABASES__DEFAULT__TABLE_PREFIX: 'app-',
      },
      'databases.default.table_prefix = "app-": expected a PostgreSQL identifier',
    ],
    [
      {
        PROTEAN_DATABASES__DEFAULT__PROVIDER: 'memory',
        PROTEAN_DATABASES__DEFAULT__SCHEMA: 'a"; DROP',
      },
      'databases.default.schema',
    ],
    [
      { PROTEAN_DATABASES__DEFAULT__PROVIDER: 'memory', PROTEAN_DATABASES__DEFAULT__POOLSIZE: '3' },
      'databases.default.poolsize: unknown key',
    ],
    [{ PROTEAN_ENABLE_OUTBOX: 'yes' }, 'enable_outbox'],
    [{ PROTEAN_OUTBOX__TICK_INTERVALL: '1' }, 'outbox.tick_intervall: unknown key'],
    [{ PROTEAN_OUTBOX__BROKER: 'analytics' }, 'outbox.broker'],
    [{ PROTEAN_SERVER__MAX_CONFLICT_RETRY_SECONDS: '-1' }, 'server.max_conflict_retry_seconds'],
    [
      { PROTEAN_SERVER__SUBSCRIPTIONS__RESERVESTOCKHANDLER__MAX_CONFLICT_RETRY_SECONDS: 'soon' },
      'server.subscriptions.reservestockhandler.max_conflict_retry_seconds',
    ],
    [
      {
        PROTEAN_SERVER__SUBSCRIPTIONS__CATALOGPROJECTOR__SUBSCRIPTION_TYPE: 'event_store',
        PROTEAN_SERVER__SUBSCRIPTIONS__CATALOGPROJECTOR__ENABLE_DLQ: 'true',
      },
      'server.subscriptions.catalogprojector.enable_dlq',
    ],
  ])('refuses %j naming %s', (env, key) => {
    expect(errorOf(() => loadConfiguration({ env })).message).toContain(key);
  });

  // Issue 14 §3: every section refuses a key it does not know, suggesting a near miss.
  it.each([
    [
      { PROTEAN_EVNET_PROCESSING: 'async' },
      'evnet_processing: unknown key; did you mean `event_processing`?',
    ],
    [
      { PROTEAN_DATABASES__DEFAULT__PROVIDER: 'memory', PROTEAN_DATABASES__DEFAULT__POOL_SIZ: '3' },
      'databases.default.pool_siz: unknown key; did you mean `pool_size`?',
    ],
    [
      { PROTEAN_BROKERS__DEFAULT__URX: 'redis://x' },
      'brokers.default.urx: unknown key; did you mean `uri`?',
    ],
    [
      { PROTEAN_EVENT_STORE__PROVIDR: 'memory' },
      'event_store.providr: unknown key; did you mean `provider`?',
    ],
    [
      { PROTEAN_SERVER__MAX_RETRYS: '3' },
      'server.max_retrys: unknown key; did you mean `max_retries`?',
    ],
    [
      { PROTEAN_SERVER__HEALTH__PROT: '1' },
      'server.health.prot: unknown key; did you mean `port`?',
    ],
    [
      { PROTEAN_SERVER__SUBSCRIPTIONS__CATALOGPROJECTOR__CONCURENCY: '2' },
      'server.subscriptions.catalogprojector.concurency: unknown key; did you mean `concurrency`?',
    ],
    [
      { PROTEAN_OUTBOX__TICK_INTERVALL: '1' },
      'outbox.tick_intervall: unknown key; did you mean `tick_interval`?',
    ],
    [
      { PROTEAN_OUTBOX__RETRY__MAX_ATTEMPT: '3' },
      'outbox.retry.max_attempt: unknown key; did you mean `max_attempts`?',
    ],
    [
      { PROTEAN_OUTBOX__CLEANUP__ENABLE: 'true' },
      'outbox.cleanup.enable: unknown key; did you mean `enabled`?',
    ],
    [{ PROTEAN_OBSERVATORY__TOKN: 'x' }, 'observatory.tokn: unknown key; did you mean `token`?'],
    [{ PROTEAN_SOMETHING_ELSE: '1' }, 'something_else: unknown key (from PROTEAN_SOMETHING_ELSE)'],
  ])('refuses the unknown key in %j: %s', (env, message) => {
    expect(errorOf(() => loadConfiguration({ env })).message).toContain(message);
  });

  it('never prints a URI, which may hold a password', () => {
    const env = {
      PROTEAN_BROKERS__DEFAULT__PROVIDER: 'redis',
      PROTEAN_BROKERS__DEFAULT__URI: 'http://u:s3cret@x',
    };
    expect(errorOf(() => loadConfiguration({ env })).message).not.toContain('s3cret');
  });
  it('reads a worker pool (server.handlers, server.exclude) from a list or a comma-separated variable', () => {
    const config = loadConfiguration({
      env: { PROTEAN_SERVER__HANDLERS: ' CatalogProjector, OrderSummaryProjector ,' },
      overrides: { server: { exclude: ['PlaceOrderHandler'] } },
    });
    expect(config.server.handlers).toEqual(['CatalogProjector', 'OrderSummaryProjector']);
    expect(config.server.exclude).toEqual(['PlaceOrderHandler']);
    expect(loadConfiguration({ env: {} }).server).toMatchObject({ handlers: [], exclude: [] });
    expect(() => loadConfiguration({ env: {}, overrides: { server: { handlers: 7 } } })).toThrow(
      'server.handlers',
    );
  });

  it('reads partitioned stream categories, and names the key of a bad one', () => {
    const config = loadConfiguration({
      env: { 'PROTEAN_STREAMS__BOOKSHELF::ORDER__PARTITIONS': '8' },
      overrides: { streams: { 'bookshelf::book:command': { partitions: 4 } } },
    });
    expect(config.streams).toEqual({
      'bookshelf::order': { partitions: 8 },
      'bookshelf::book:command': { partitions: 4 },
    });
    expect(config.server.partition_lease_seconds).toBe(10);
    const refusal = (streams: unknown) =>
      errorOf(() => loadConfiguration({ env: {}, overrides: { streams } })).message;
    expect(refusal({ 'bookshelf::order': { partitions: 0 } })).toContain(
      'streams.bookshelf::order.partitions = 0: expected an integer >= 1',
    );
    expect(refusal({ 'bookshelf::order': { partitions: 5000 } })).toContain('<= 1024');
    expect(refusal({ 'bookshelf::order-1': { partitions: 2 } })).toContain(
      'expected a stream category such as "bookshelf::order"',
    );
    expect(refusal({ 'bookshelf::order': { partiton: 2 } })).toContain('partiton');
  });
});

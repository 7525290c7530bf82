import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { ProteanConfig } from '../core/config/config.schema.js';
import type { ConfigurationSources } from '../core/config/load-configuration.js';
import type { ProteanSettings } from '../core/config/protean-settings.js';

/** Options of `ProteanModule.forRoot()` / `forRootAsync()`. */
export interface ProteanModuleOptions {
  /** The domain's name; it prefixes streams (`bookshelf::book`) and message types. */
  domain: string;
  /**
   * An already loaded configuration: `configService.getOrThrow('protean')` (see
   * `proteanConfiguration`) or `loadConfiguration(…)`; `configSources` are then not read,
   * and `settings` are refused (put them in `proteanConfiguration({ settings })`).
   */
  config?: ProteanConfig;
  /**
   * The configuration in TypeScript, camelCase (`{ databases: { default: { tablePrefix:
   * 'app_' } } }`), validated with `domain.toml` and `PROTEAN_*`, which override it.
   */
  settings?: ProteanSettings;
  /** Where to load the configuration from when `config` is not given. */
  configSources?: ConfigurationSources;
  /**
   * The application's own TypeORM DataSource (`@nestjs/typeorm`: inject
   * `getDataSourceToken()` in `forRootAsync`). The `postgresql` database, the outbox and the
   * event store then use its connections instead of a pool of their own — the units of work
   * are its transactions, so the application's entities commit with the outbox rows — and
   * `databases.default.database_uri` is not needed. Protean never closes it.
   */
  dataSource?: DataSource;
  /**
   * Run Protean's migrations (on the DataSource, or on `database_uri`) when the module starts,
   * instead of `npx protean db setup`: the ones not yet applied, under an advisory lock, so
   * several processes may start at once. Unset: as `databases.default.auto_migrate` says (default
   * true); set, this option wins over the key (`false`: never, e.g. when your own TypeORM
   * migrations include `proteanMigrations()`).
   */
  runMigrations?: boolean;
}

/** Options of `forRoot()` / `forRootAsync()` that shape the module rather than its providers. */
export interface ProteanModuleExtras {
  /** Make the module global (default true). */
  isGlobal?: boolean;
  /**
   * Broker names injected with `@InjectBroker(name)` when the configuration is not given to
   * `forRoot({ config })` (with `settings`, `configSources` or `forRootAsync`): the module
   * provides a token for `default`, for every `[brokers.*]` of a given `config`, and for these.
   */
  brokers?: readonly string[];
}

export const {
  ConfigurableModuleClass: ConfigurableProteanModule,
  MODULE_OPTIONS_TOKEN: PROTEAN_MODULE_OPTIONS,
  OPTIONS_TYPE: PROTEAN_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: PROTEAN_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ProteanModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras<ProteanModuleExtras>({ isGlobal: true, brokers: [] }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

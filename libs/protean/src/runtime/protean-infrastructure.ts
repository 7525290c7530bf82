import type { Provider } from '@nestjs/common';
import { BrokerRegistry } from '../adapters/brokers/broker-registry.js';
import type { ProteanConfig } from '../core/config/config.schema.js';
import { ConfigurationError } from '../core/config/configuration.error.js';
import { loadConfiguration } from '../core/config/load-configuration.js';
import { createDatabase } from '../adapters/create-database.js';
import type { Database } from '../ports/database/database.port.js';
import { createEventStore } from '../adapters/create-event-store.js';
import { createOutboxStore } from '../adapters/create-outbox-store.js';
import { PROTEAN_MODULE_OPTIONS, type ProteanModuleOptions } from './protean.module-definition.js';
import {
  BROKER_REGISTRY,
  DATABASE,
  EVENT_STORE,
  OUTBOX_STORE,
  PROTEAN_CONFIG,
} from '../core/protean.tokens.js';

/**
 * The configured infrastructure — configuration, database, event store, outbox store, brokers —
 * as providers, apart from the domain: `ProteanModule` provides them with its buses and engine,
 * and the CLI's operations commands (dead letters, outbox) boot them alone, so repairing what
 * runs never loads, or depends on, the domain's code.
 */
export const infrastructureProviders: Provider[] = [
  {
    provide: PROTEAN_CONFIG,
    useFactory: (options: ProteanModuleOptions) => {
      if (options.config && options.settings) {
        throw new ConfigurationError(
          'ProteanModule settings',
          'give either `config` (already loaded) or `settings`, not both',
        );
      }
      return (
        options.config ??
        loadConfiguration({ ...options.configSources, settings: options.settings })
      );
    },
    inject: [PROTEAN_MODULE_OPTIONS],
  },
  {
    provide: DATABASE,
    useFactory: (config: ProteanConfig, options: ProteanModuleOptions) =>
      createDatabase('default', config.databases.default, options.dataSource),
    inject: [PROTEAN_CONFIG, PROTEAN_MODULE_OPTIONS],
  },
  {
    provide: EVENT_STORE,
    useFactory: (config: ProteanConfig, database: Database) => createEventStore(config, database),
    inject: [PROTEAN_CONFIG, DATABASE],
  },
  {
    provide: OUTBOX_STORE,
    useFactory: (database: Database) => createOutboxStore(database),
    inject: [DATABASE],
  },
  {
    provide: BROKER_REGISTRY,
    useFactory: (config: ProteanConfig) => new BrokerRegistry(config.brokers),
    inject: [PROTEAN_CONFIG],
  },
];

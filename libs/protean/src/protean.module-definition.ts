import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ProteanConfig } from './config/config.schema.js';
import type { ConfigurationSources } from './config/load-configuration.js';

/** Options of `ProteanModule.forRoot()` / `forRootAsync()`. */
export interface ProteanModuleOptions {
  /** The domain's name; it prefixes streams (`bookshelf::book`) and message types. */
  domain: string;
  /** An already loaded configuration (see `loadConfiguration`); wins over `configSources`. */
  config?: ProteanConfig;
  /** Where to load the configuration from when `config` is not given. */
  configSources?: ConfigurationSources;
  /**
   * Run the outbox processor in this application, started at bootstrap and drained at
   * shutdown — when `enable_outbox` and `server.run_outbox_processor` are also on. The worker
   * sets it; an API process leaves it off (default) and only writes to the outbox.
   */
  runOutboxProcessor?: boolean;
}

export const {
  ConfigurableModuleClass: ConfigurableProteanModule,
  MODULE_OPTIONS_TOKEN: PROTEAN_MODULE_OPTIONS,
  OPTIONS_TYPE: PROTEAN_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: PROTEAN_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ProteanModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

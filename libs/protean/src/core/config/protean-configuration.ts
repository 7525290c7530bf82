import { registerAs } from '@nestjs/config';
import type { ProteanConfig } from './config.schema.js';
import { loadConfiguration, type ConfigurationSources } from './load-configuration.js';

/** The `@nestjs/config` namespace the configuration is registered under. */
export const PROTEAN_CONFIG_NAMESPACE = 'protean';

/**
 * The configuration (`domain.toml`, `PROTEAN_*`, `sources.settings`), validated, as a
 * `@nestjs/config` namespace: load it with `ConfigModule.forRoot({ load: [proteanConfiguration()] })`,
 * read it with `configService.get('protean.databases.default.provider')`, and hand it to
 * `ProteanModule.forRootAsync` as `config: configService.getOrThrow('protean')`. It is loaded
 * after `.env`, and an invalid value fails start-up naming the key.
 */
export function proteanConfiguration(sources: ConfigurationSources = {}) {
  return registerAs(PROTEAN_CONFIG_NAMESPACE, (): ProteanConfig => loadConfiguration(sources));
}

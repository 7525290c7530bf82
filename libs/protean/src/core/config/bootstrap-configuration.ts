import { ConfigModule } from '@nestjs/config';
import type { ProteanConfig } from './config.schema.js';
import { ConfigurationError } from './configuration.error.js';
import { EXIT_CONFIG } from '../exit-codes.js';
import { loadConfiguration, type ConfigurationSources } from './load-configuration.js';

/**
 * For an application's `main.ts`: loads `.env` (through `@nestjs/config`, unless embedded),
 * then the configuration. An invalid configuration ends the process with one line on stderr
 * naming the key, and exit code 78 (EX_CONFIG), before Nest starts.
 */
export async function loadConfigurationOrExit(
  sources: ConfigurationSources = {},
): Promise<ProteanConfig> {
  if (!sources.embedded) {
    await ConfigModule.forRoot({ ignoreEnvFile: false });
    await ConfigModule.envVariablesLoaded;
  }
  try {
    return loadConfiguration(sources);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
}

import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { ProteanConfig } from '../config/config.schema.js';
import type { Type } from '../domain/domain-types.js';
import { debugLogLevel, logSettingsOrExit } from '../observability/logging/log-settings.js';
import { ProteanLoggerModule } from '../observability/logging/protean-logger.module.js';
import { ProteanStatusModule } from '../observability/status/protean-status.module.js';
import { ProteanModule } from '../protean.module.js';

/** The module a command boots: ProteanModule and the project's domain, nothing else. */
@Module({})
class CliApplicationModule {}

export interface CliApplicationOptions {
  readonly domain: string;
  readonly config: ProteanConfig;
  readonly modules: ReadonlyArray<Type | DynamicModule>;
  readonly runOutboxProcessor: boolean;
}

/**
 * Boots the project's domain as a Nest application context for one command (loaded by the CLI
 * only when a command runs, so `--help` never loads Nest).
 */
export async function bootCliApplication(
  options: CliApplicationOptions,
): Promise<INestApplicationContext> {
  // Logs go to stderr (warnings and errors unless LOG_LEVEL says otherwise): stdout is the
  // command's output.
  const logging = logSettingsOrExit({
    destination: 2,
    level: 'warn',
    name: 'protean-cli',
    ...debugLogLevel(options.config),
  });
  const app = await NestFactory.createApplicationContext(
    {
      module: CliApplicationModule,
      imports: [
        ProteanModule.forRoot({
          domain: options.domain,
          config: options.config,
          runOutboxProcessor: options.runOutboxProcessor,
          // A one-shot command changes no schema: `db setup` and the processes' start do.
          runMigrations: false,
        }),
        ProteanLoggerModule.forRoot(logging),
        ProteanStatusModule,
        ...options.modules,
      ],
    },
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  return app;
}

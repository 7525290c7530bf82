import { Module, type INestApplicationContext, type ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { ProteanConfig } from '../../core/config/config.schema.js';
import { debugLogLevel, logSettingsOrExit } from '../observability/logging/log-settings.js';
import { ProteanLoggerModule } from '../observability/logging/protean-logger.module.js';

/** The root module of a command's application context; what it holds comes with `metadata`. */
@Module({})
class CommandApplicationModule {}

/**
 * A Nest application context for one CLI command: `metadata`'s modules and providers, logging
 * through pino to stderr (warnings and errors unless LOG_LEVEL or `debug = true` say otherwise),
 * since stdout is the command's output.
 */
export async function bootCommandContext(
  config: ProteanConfig,
  metadata: Pick<ModuleMetadata, 'imports' | 'providers'>,
): Promise<INestApplicationContext> {
  const logging = logSettingsOrExit({
    destination: 2,
    level: 'warn',
    name: 'protean-cli',
    ...debugLogLevel(config),
  });
  const app = await NestFactory.createApplicationContext(
    {
      module: CommandApplicationModule,
      imports: [ProteanLoggerModule.forRoot(logging), ...(metadata.imports ?? [])],
      providers: metadata.providers ?? [],
    },
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  return app;
}

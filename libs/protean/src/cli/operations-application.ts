import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { ProteanConfig } from '../config/config.schema.js';
import { debugLogLevel, logSettingsOrExit } from '../observability/logging/log-settings.js';
import { ProteanLoggerModule } from '../observability/logging/protean-logger.module.js';
import { infrastructureProviders } from '../protean-infrastructure.js';
import { ProteanLifecycle } from '../protean-lifecycle.js';
import { PROTEAN_MODULE_OPTIONS } from '../protean.module-definition.js';

/** The module an operations command boots: the infrastructure's providers, nothing else. */
@Module({})
class OperationsApplicationModule {}

/**
 * Boots the configured infrastructure alone — configuration, database, event store, outbox
 * store and brokers, no domain — for the commands that inspect and repair what runs (dead
 * letters, outbox): they start in about half the time and still work when the domain's code
 * cannot load.
 */
export async function bootOperationsApplication(options: {
  readonly domain: string;
  readonly config: ProteanConfig;
}): Promise<INestApplicationContext> {
  const logging = logSettingsOrExit({
    destination: 2,
    level: 'warn',
    name: 'protean-cli',
    ...debugLogLevel(options.config),
  });
  const app = await NestFactory.createApplicationContext(
    {
      module: OperationsApplicationModule,
      imports: [ProteanLoggerModule.forRoot(logging)],
      providers: [
        {
          provide: PROTEAN_MODULE_OPTIONS,
          // Inspecting never changes the schema: `db setup` (or a start) migrates.
          useValue: { domain: options.domain, config: options.config, runMigrations: false },
        },
        ...infrastructureProviders,
        ProteanLifecycle,
      ],
    },
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  return app;
}

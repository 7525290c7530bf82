import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { resolveLogSettings, type LogSettings } from './log-settings.js';
import { pinoParams } from './pino-params.js';

/**
 * Logging with pino through nestjs-pino: JSON lines in production, pretty text for a developer
 * (see {@link resolveLogSettings}), the correlation id, message id and handler on every line
 * written while handling a message. Make it the application's logger so Nest's and Protean's
 * `Logger` calls go through it too:
 *
 * ```ts
 * const app = await NestFactory.create(AppModule, { bufferLogs: true });
 * app.useLogger(app.get(Logger)); // Logger from nestjs-pino
 * ```
 */
@Module({})
export class ProteanLoggerModule {
  /** `settings` defaults to `LOG_LEVEL` / `LOG_FORMAT` / `NODE_ENV` of this process. */
  static forRoot(settings: LogSettings = resolveLogSettings()): DynamicModule {
    return {
      module: ProteanLoggerModule,
      global: true,
      imports: [LoggerModule.forRoot(pinoParams(settings))],
      exports: [LoggerModule],
    };
  }
}

import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Command } from 'commander';
import { Logger } from 'nestjs-pino';
import { closeOnSignals } from '../../lifecycle/close-on-signals.js';
import { logSettingsOrExit } from '../../observability/logging/log-settings.js';
import { ObservatoryModule } from '../../observability/observatory/observatory.module.js';
import { ProteanObservabilityModule } from '../../observability/protean-observability.module.js';
import { ProteanModule } from '../../protean.module.js';
import type { CliCommand, CliContext } from '../cli-command.js';
import { wholeNumber } from '../options/cli-parsers.js';

/**
 * `observatory [--port P]`: the Observatory on its own, for a deployment whose API should not
 * serve it (or has no HTTP at all). It reads the same broker, database and outbox as the
 * workers; runs until SIGTERM / SIGINT.
 */
export const observatoryCommand: CliCommand = {
  register(program: Command, context: CliContext): void {
    program
      .command('observatory')
      .description('serve the Observatory (streams, lag, dead letters, trails) on its own port')
      .option('--port <port>', 'the HTTP port', wholeNumber(1, 65535), 9000)
      .action(async (options: { port: number }) => {
        const config = await context.config();
        const logging = logSettingsOrExit({ name: 'protean-observatory' });
        const app = await NestFactory.create(
          {
            module: ObservatoryApplicationModule,
            imports: [
              ProteanModule.forRoot({ domain: context.domain, config }),
              ...context.imports,
              ProteanObservabilityModule.forRoot({ logging }),
              ObservatoryModule,
            ],
          },
          { bufferLogs: true, abortOnError: false },
        );
        app.useLogger(app.get(Logger));
        closeOnSignals(app, (config.server.shutdown_grace_seconds + 5) * 1000);
        await app.listen(options.port);
        app
          .get(Logger)
          .log(`Observatory on http://localhost:${options.port}/observatory`, 'Observatory');
        await new Promise(() => undefined); // runs until a signal closes it
      });
  },
};

/** The module `observatory` boots: ProteanModule, the project's domain and the Observatory. */
@Module({})
class ObservatoryApplicationModule {}

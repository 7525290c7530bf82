import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { closeOnSignals } from '../../../runtime/lifecycle/close-on-signals.js';
import { debugLogLevel, logSettingsOrExit } from '../../observability/logging/log-settings.js';
import { ObservatoryModule } from '../../observability/observatory/observatory.module.js';
import { ProteanObservabilityModule } from '../../observability/protean-observability.module.js';
import { ProteanModule } from '../../../runtime/protean.module.js';
import type { CliContext } from '../cli-command.js';

/** The module `observatory` boots: ProteanModule, the project's domain and the Observatory. */
@Module({})
class ObservatoryApplicationModule {}

/** Serves the Observatory on `port` until a signal closes it. */
export async function serveObservatory(context: CliContext, port: number): Promise<never> {
  const config = await context.config();
  const logging = logSettingsOrExit({ name: 'protean-observatory', ...debugLogLevel(config) });
  const app = await NestFactory.create(
    {
      module: ObservatoryApplicationModule,
      imports: [
        // A viewer changes no schema: `db setup` and the processes' start do.
        ProteanModule.forRoot({ domain: context.domain, config, runMigrations: false }),
        ...(await context.modules()),
        ProteanObservabilityModule.forRoot({ logging }),
        ObservatoryModule,
      ],
    },
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  closeOnSignals(app, (config.server.shutdown_grace_seconds + 5) * 1000);
  await app.listen(port);
  app.get(Logger).log(`Observatory on http://localhost:${port}/observatory`, 'Observatory');
  return new Promise<never>(() => undefined); // runs until a signal closes it
}

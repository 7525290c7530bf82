import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import {
  awaitStartupDependenciesOrExit,
  closeOnSignals,
  configurationSummary,
  EXIT_CONFIG,
  loadConfigurationOrExit,
  producerOnlyDeliveryProblem,
} from 'nestjs-protean';
import { debugLogLevel, logSettingsOrExit } from 'nestjs-protean/observability';
import { createApiApp } from './create-api-app.js';

/**
 * The embedded default (`npm start`): the chapter's async processing in one process — commands
 * and events through the outbox and the inline broker to the server engine — on memory stores.
 */
const EMBEDDED = {
  command_processing: 'async',
  event_processing: 'async',
  enable_outbox: true,
};

/**
 * The bookshelf API. `--embedded` runs the embedded default and ignores `domain.toml`, `.env`
 * and `PROTEAN_*` variables; otherwise the configuration comes from them (README "Configuration")
 * and the API is the producer only: a worker runs the engine.
 */
async function main(): Promise<void> {
  const embedded = process.argv.includes('--embedded');
  const config = await loadConfigurationOrExit(embedded ? { embedded, overrides: EMBEDDED } : {});
  const undeliverable = embedded ? undefined : producerOnlyDeliveryProblem(config);
  if (undeliverable) {
    process.stderr.write(`${undeliverable}\n`);
    process.exit(EXIT_CONFIG);
  }
  const logging = logSettingsOrExit({ name: 'bookshelf-api', ...debugLogLevel(config) });
  await awaitStartupDependenciesOrExit(config);
  const app = await createApiApp(config, {
    logging,
    bodyLimit: process.env.HTTP_BODY_LIMIT,
    engine: embedded,
  });
  Logger.log(configurationSummary(config), 'Main');
  closeOnSignals(app, (config.server.shutdown_grace_seconds + 5) * 1000);
  await app.init();
  if (embedded) await app.startAllMicroservices();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);
  const mode = `commands ${config.command_processing}, events ${config.event_processing}`;
  Logger.log(
    `Bookshelf API on http://localhost:${port} (${embedded ? 'embedded, ' : ''}${mode})`,
    'Main',
  );
}

void main();

import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { closeOnSignals, loadConfigurationOrExit } from '#protean';
import { createApiApp } from './create-api-app.js';

/**
 * The bookshelf API. `--embedded` runs the embedded default (memory stores, inline broker)
 * and ignores `domain.toml`, `.env` and `PROTEAN_*` variables; otherwise the configuration
 * comes from them (see README "Configuration").
 */
async function main(): Promise<void> {
  const embedded = process.argv.includes('--embedded');
  const config = await loadConfigurationOrExit({ embedded });
  const app = await createApiApp(config, { bodyLimit: process.env.HTTP_BODY_LIMIT });
  const port = Number(process.env.PORT ?? 3000);
  closeOnSignals(app);
  await app.listen(port);
  const mode = `commands ${config.command_processing}, events ${config.event_processing}`;
  Logger.log(
    `Bookshelf API on http://localhost:${port} (${embedded ? 'embedded, ' : ''}${mode})`,
    'Main',
  );
}

void main();

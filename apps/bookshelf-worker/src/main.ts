import 'reflect-metadata';
import { loadConfigurationOrExit } from 'nestjs-protean';
import { runWorker } from 'nestjs-protean/server';
import { WorkerModule } from './worker.module.js';

/**
 * The bookshelf worker: the server engine as a Nest microservice (`ProteanServer` custom
 * transport), configured from `domain.toml`, `.env` and `PROTEAN_*` variables. The same as
 * `npm run protean -- server --domain bookshelf`.
 */
async function main(): Promise<void> {
  const config = await loadConfigurationOrExit();
  await runWorker(WorkerModule.register(config), config);
}

void main();

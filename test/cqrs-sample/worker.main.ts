/*
 * TEST-ONLY process: the heroes sample's worker — the same application module as the API,
 * run by the Protean engine (`runWorker`), which runs its `@nestjs/cqrs` handlers and sagas.
 */
import 'reflect-metadata';
import { loadConfigurationOrExit } from 'nestjs-protean';
import { runWorker } from 'nestjs-protean/server';
import { BridgeAppModule } from './app/bridge-app.module.js';

async function main(): Promise<void> {
  const config = await loadConfigurationOrExit();
  await runWorker(BridgeAppModule.register(config), config);
}

void main();

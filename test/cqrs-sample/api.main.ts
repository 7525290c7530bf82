/*
 * TEST-ONLY process: the heroes sample's HTTP API on Protean (the bridge), configured from
 * PROTEAN_CONFIG / PROTEAN_* like the bookshelf API; PORT. Built by the e2e global setup
 * (test/cqrs-sample/tsconfig.json).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigurationOrExit } from 'nestjs-protean';
import { BridgeAppModule } from './app/bridge-app.module.js';

async function main(): Promise<void> {
  const config = await loadConfigurationOrExit();
  const app = await NestFactory.create(BridgeAppModule.register(config), {
    logger: ['error', 'warn'],
  });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
}

void main();

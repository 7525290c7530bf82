import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { closeOnSignals, HandlerRegistry, loadConfigurationOrExit } from '#protean';
import { WorkerModule } from './worker.module.js';

/** The bookshelf worker: boots the domain and its handlers, and stops cleanly on SIGTERM. */
async function main(): Promise<void> {
  const config = await loadConfigurationOrExit();
  const app = await NestFactory.createApplicationContext(WorkerModule.register(config), {
    abortOnError: false,
  });
  closeOnSignals(app);
  // Nothing listens yet, so hold the process open until a signal closes it.
  setInterval(() => undefined, 60_000);
  const handlers = app
    .get(HandlerRegistry)
    .handlers()
    .map((handler) => handler.name);
  Logger.log(`Bookshelf worker ready with handlers ${handlers.join(', ')}`, 'Main');
}

void main();

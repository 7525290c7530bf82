/*
 * TEST-ONLY process: the heroes sample with `CqrsModule.forRoot()` alone — no Protean — as
 * its users run it today; PORT.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { MemoryAppModule } from './app/memory-app.module.js';

async function main(): Promise<void> {
  const app = await NestFactory.create(MemoryAppModule, { logger: ['error', 'warn'] });
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
}

void main();

/*
 * TEST-ONLY process for the faults suite (scenario 8): the bookshelf worker plus
 * `PoisonAwareHandler`, which always throws for a book whose title starts with POISON_PREFIX.
 * Every attempt on a poison book is appended to POISON_LOG as `attempt <bookId>`, every other
 * book it handles as `processed <bookId>`.
 */
import 'reflect-metadata';
import { appendFileSync } from 'node:fs';
import { Module, type DynamicModule } from '@nestjs/common';
import { BookAdded } from '../../../libs/bookshelf/src/index.js';
import { EventHandler, loadConfigurationOrExit, type IEventHandler } from 'nestjs-protean';
import { runWorker } from 'nestjs-protean/server';
import { WorkerModule } from '../../../apps/bookshelf-worker/src/worker.module.js';

@EventHandler(BookAdded)
class PoisonAwareHandler implements IEventHandler<BookAdded> {
  async handle(event: BookAdded): Promise<void> {
    const { POISON_PREFIX, POISON_LOG } = process.env;
    if (POISON_PREFIX && event.title.startsWith(POISON_PREFIX)) {
      appendFileSync(POISON_LOG!, `attempt ${event.bookId}\n`);
      throw new Error(`poison book ${event.bookId}`);
    }
    appendFileSync(POISON_LOG!, `processed ${event.bookId}\n`);
  }
}

@Module({})
class PoisonWorkerModule {}

async function main(): Promise<void> {
  const config = await loadConfigurationOrExit();
  const module: DynamicModule = {
    module: PoisonWorkerModule,
    imports: [WorkerModule.register(config)],
    providers: [PoisonAwareHandler],
  };
  await runWorker(module, config);
}

void main();

/*
 * TEST-ONLY process: the bookshelf worker plus handlers that let end-to-end tests observe and
 * break processing from outside. Built by the e2e global setup (test/support/bin/tsconfig.bin.json).
 *
 * - FAULT_FILE, FAULT_TITLE, FAULT_LOG: `FlakyBookHandler` throws for the book titled
 *   FAULT_TITLE while FAULT_FILE exists, appending each attempt's time to FAULT_LOG; every book
 *   it handles without throwing is appended as `processed <bookId>`.
 * - RECORD_FILE: `RecordingHandler` appends `<pid> <bookId>` for every BookAdded it handles.
 * - OUTBOX_CRASH_AFTER_PUBLISHES=n: the process SIGKILLs itself right after the outbox batch
 *   that brings what it published to 10·n rows or more reached Redis — between publishing and
 *   marking the rows published. Counted in rows, not batches: how many rows a batch carries
 *   depends on how far the relay lags (a relay woken on every commit publishes a row or two at
 *   a time). The hook wraps the Redis Streams broker here; nothing of it is in the product.
 */
import 'reflect-metadata';
import { appendFileSync, existsSync } from 'node:fs';
import { Module, type DynamicModule } from '@nestjs/common';
import { BookAdded } from '../../../libs/bookshelf/src/index.js';
import {
  EventHandler,
  loadConfigurationOrExit,
  type IEventHandler,
  RedisStreamsBroker,
} from 'nestjs-protean';
import { runWorker } from 'nestjs-protean/server';
import { WorkerModule } from '../../../apps/bookshelf-worker/src/worker.module.js';

@EventHandler(BookAdded)
class FlakyBookHandler implements IEventHandler<BookAdded> {
  async handle(event: BookAdded): Promise<void> {
    const { FAULT_FILE, FAULT_TITLE, FAULT_LOG } = process.env;
    if (event.title === FAULT_TITLE && FAULT_FILE && existsSync(FAULT_FILE)) {
      appendFileSync(FAULT_LOG!, `attempt ${Date.now()}\n`);
      throw new Error(`poisoned book ${event.bookId}`);
    }
    appendFileSync(FAULT_LOG!, `processed ${event.bookId}\n`);
  }
}

@EventHandler(BookAdded)
class RecordingHandler implements IEventHandler<BookAdded> {
  async handle(event: BookAdded): Promise<void> {
    appendFileSync(process.env.RECORD_FILE!, `${process.pid} ${event.bookId}\n`);
  }
}

@Module({})
class TestWorkerModule {}

/** Makes the `publishBatch` that reaches 10·n rows published the last thing this process does. */
function crashAfterPublishes(n: number): void {
  const publishBatch = RedisStreamsBroker.prototype.publishBatch;
  let published = 0;
  RedisStreamsBroker.prototype.publishBatch = async function (messages) {
    const ids = await publishBatch.call(this, messages);
    published += messages.length;
    if (messages.length > 0 && published >= 10 * n) {
      process.stdout.write(`crashing after publishing ${messages.length} rows\n`);
      process.kill(process.pid, 'SIGKILL');
    }
    return ids;
  };
}

async function main(): Promise<void> {
  if (process.env.OUTBOX_CRASH_AFTER_PUBLISHES) {
    crashAfterPublishes(Number(process.env.OUTBOX_CRASH_AFTER_PUBLISHES));
  }
  const config = await loadConfigurationOrExit();
  const providers = [
    ...(process.env.FAULT_LOG ? [FlakyBookHandler] : []),
    ...(process.env.RECORD_FILE ? [RecordingHandler] : []),
  ];
  const module: DynamicModule = {
    module: TestWorkerModule,
    imports: [WorkerModule.register(config)],
    providers,
  };
  await runWorker(module, config);
}

void main();

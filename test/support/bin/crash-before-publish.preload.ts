/*
 * TEST-ONLY preload (`node --import`): the process SIGKILLs itself instead of the first
 * publish to Redis Streams that carries an entry of CRASH_BEFORE_PUBLISH_STREAM (default
 * `bookshelf::order`: the orders' events) once it has published CRASH_BEFORE_PUBLISH_AFTER such
 * batches (default 20) — a worker dying after its handlers committed and before it published
 * what they committed. Their outbox rows stay leased to it; the fault suite checks that another
 * worker's relay publishes them once the lease expires. Nothing of it is in the product.
 */
import { RedisStreamsBroker } from 'nestjs-protean';

const stream = process.env.CRASH_BEFORE_PUBLISH_STREAM ?? 'bookshelf::order';
const after = Number(process.env.CRASH_BEFORE_PUBLISH_AFTER ?? '20');
const publishBatch = RedisStreamsBroker.prototype.publishBatch;
let batches = 0;

RedisStreamsBroker.prototype.publishBatch = async function (messages) {
  const caught = messages.filter((message) => message.stream === stream);
  if (caught.length > 0 && ++batches > after) {
    process.stdout.write(`crashing before publishing ${caught.length} entries of ${stream}\n`);
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => undefined);
  }
  return publishBatch.call(this, messages);
};

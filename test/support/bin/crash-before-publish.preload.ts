/*
 * TEST-ONLY preload (`node --import`): the process SIGKILLs itself instead of the first
 * publish to Redis Streams that carries a `PlaceOrder` command once it has published
 * CRASH_BEFORE_PUBLISH_AFTER batches (default 20) — an API dying after it committed orders and
 * before it published them after commit. Their outbox rows stay leased to it; the fault suite
 * checks that a worker's relay publishes them once the lease expires. Nothing of it is in the
 * product.
 */
import { RedisStreamsBroker } from 'nestjs-protean';

const after = Number(process.env.CRASH_BEFORE_PUBLISH_AFTER ?? '20');
const publishBatch = RedisStreamsBroker.prototype.publishBatch;
let batches = 0;

RedisStreamsBroker.prototype.publishBatch = async function (messages) {
  const orders = messages.filter((message) => message.stream === 'bookshelf::order:command');
  if (orders.length > 0 && ++batches > after) {
    process.stdout.write(`crashing before publishing ${orders.length} PlaceOrder command(s)\n`);
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => undefined);
  }
  return publishBatch.call(this, messages);
};

import { Redis } from 'ioredis';
import type { BrokerCapabilities, OutgoingMessage, OutboxBroker } from 'nestjs-protean';

export interface RedisStreamPublisherOptions {
  /** The broker's configured name. */
  readonly name?: string;
  /** Called after every successful `publishBatch`, before it resolves (crash tests hook in here). */
  readonly afterPublish?: (messages: readonly OutgoingMessage[]) => void;
}

/**
 * STAND-IN for the `redis` broker adapter (issue 3, built in parallel) until it lands: the one
 * method the outbox processor needs, `publishBatch`, as one pipelined `XADD <stream> * data
 * <json>` per entry — the same wire work the real adapter does. Test and benchmark use only.
 *
 * It never queues commands while disconnected, so an unreachable Redis fails a publish at
 * once, and it reconnects in the background, so publishing works again when Redis is back.
 */
export class RedisStreamPublisher implements OutboxBroker {
  readonly name: string;
  /** A publisher only: no role beyond publishing, no partition layouts to check. */
  readonly capabilities: BrokerCapabilities = {
    durable: false,
    consumerGroups: false,
    acknowledgements: false,
    blockingRead: false,
    deadLetters: false,
    replay: false,
    ordering: true,
    workerRegistry: false,
  };
  readonly client: Redis;

  constructor(
    uri: string,
    private readonly options: RedisStreamPublisherOptions = {},
  ) {
    this.name = options.name ?? 'default';
    this.client = new Redis(uri, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 100,
      lazyConnect: false,
    });
    // Connection errors surface as failed publishes; the event would otherwise be unhandled.
    this.client.on('error', () => undefined);
  }

  async publishBatch(messages: readonly OutgoingMessage[]): Promise<string[]> {
    const pipeline = this.client.pipeline();
    for (const message of messages) pipeline.xadd(message.stream, '*', 'data', message.data);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0]!;
    this.options.afterPublish?.(messages);
    return results.map(([, id]) => id as string);
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}

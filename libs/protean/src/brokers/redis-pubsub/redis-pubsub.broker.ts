import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { assertPayloadsWithinLimit, assertReadOptions } from '../broker-arguments.js';
import type { BrokerSettings } from '../broker-settings.js';
import type {
  Broker,
  BrokerCapabilities,
  DeadLetter,
  OutgoingMessage,
  ReadOptions,
  ReceivedMessage,
  StreamInfo,
} from '../broker.port.js';
import { BrokerClosedError } from '../errors/broker-closed.error.js';
import { UnsupportedBrokerOperationError } from '../errors/unsupported-broker-operation.error.js';
import { closeClient } from '../redis-client/close-client.js';
import { RedisTarget } from '../redis-client/redis-target.js';
import { unwrapPipelineResults } from '../redis-client/pipeline-results.js';
import { StreamIdGenerator } from '../stream-id.js';
import { SubscriptionBuffer } from './subscription-buffer.js';

const CAPABILITIES: BrokerCapabilities = Object.freeze({
  durable: false,
  consumerGroups: false,
  acknowledgements: false,
  blockingRead: true,
  deadLetters: false,
  replay: false,
  ordering: true,
});

/**
 * Redis Pub/Sub (provider `redis_pubsub`): a stream is a channel, PUBLISH sends the `data`
 * text as it is, and only processes subscribed at that moment receive it: at-most-once, no
 * persistence, no acknowledgement. A "group" is a local subscription with its own buffer:
 * every group in this process gets every message, and consumers of a group share its buffer;
 * another process subscribed to the same channel receives every message too. Ids are minted
 * where a message is published or received and are not shared between processes.
 *
 * Operations that cannot exist here throw {@link UnsupportedBrokerOperationError} (dead
 * letters); those whose answer is naturally empty return it (`ack` → 0, `reclaim` → [],
 * `deliveryCount` → 0, `trim` → 0).
 */
export class RedisPubSubBroker implements Broker {
  readonly provider = 'redis_pubsub';
  readonly capabilities = CAPABILITIES;
  private readonly target: RedisTarget;
  private readonly client: Redis;
  private readonly subscriber: Redis;
  private readonly ids = new StreamIdGenerator();
  private readonly buffers = new Map<string, Map<string, SubscriptionBuffer>>();
  private readonly subscriptions = new Map<string, Promise<void>>();
  private readonly logger: Logger;
  private closed = false;

  constructor(
    readonly name: string,
    private readonly settings: BrokerSettings,
  ) {
    this.logger = new Logger(`Broker:${name}`);
    this.target = new RedisTarget(name, this.provider, settings);
    this.client = this.target.createClient('commands');
    this.subscriber = this.target.createClient('subscriber', {
      commandTimeout: settings.commandTimeoutMs,
    });
    this.subscriber.on('message', (channel: string, data: string) => this.receive(channel, data));
  }

  /** @inheritdoc */
  async publish(message: OutgoingMessage): Promise<string> {
    return (await this.publishBatch([message]))[0];
  }

  /** @inheritdoc */
  async publishBatch(messages: readonly OutgoingMessage[]): Promise<string[]> {
    this.assertOpen('publish');
    assertPayloadsWithinLimit(this.name, messages, this.settings.maxPayloadBytes);
    if (messages.length === 0) return [];
    await this.command('publish', async () => {
      const pipeline = this.client.pipeline();
      for (const { stream, data } of messages) pipeline.publish(stream, data);
      unwrapPipelineResults(await pipeline.exec());
    });
    return messages.map(() => this.ids.next());
  }

  /** Subscribes the group to the channel; `from` is ignored: nothing before now can come. */
  async ensureGroup(stream: string, group: string, _from: '0' | '$' = '0'): Promise<void> {
    this.assertOpen('ensureGroup');
    let groups = this.buffers.get(stream);
    if (!groups) {
      groups = new Map();
      this.buffers.set(stream, groups);
    }
    if (!groups.has(group)) {
      groups.set(group, new SubscriptionBuffer(this.settings.pubsubBufferSize, this.ids));
    }
    let subscribed = this.subscriptions.get(stream);
    if (!subscribed) {
      subscribed = this.command(`subscribe to "${stream}"`, async () => {
        await this.subscriber.subscribe(stream);
      });
      this.subscriptions.set(stream, subscribed);
      subscribed.catch(() => this.subscriptions.delete(stream));
    }
    await subscribed;
  }

  /** @inheritdoc */
  async read(
    stream: string,
    group: string,
    consumer: string,
    options: ReadOptions,
  ): Promise<ReceivedMessage[]> {
    this.assertOpen('read');
    assertReadOptions(this.name, options);
    const deadline = Date.now() + options.blockMs;
    await this.ensureGroup(stream, group);
    const buffer = this.buffers.get(stream)!.get(group)!;
    for (;;) {
      const batch = buffer.take(consumer, options.count);
      if (buffer.dropped > 0) this.reportDropped(stream, group, buffer);
      const remaining = deadline - Date.now();
      if (batch.length || remaining <= 0 || this.closed) {
        return batch.map(({ id, data }) => ({ id, stream, data, deliveryCount: 1 }));
      }
      await buffer.wait(remaining);
    }
  }

  /** No-op: Pub/Sub has nothing pending to acknowledge; resolves to 0. */
  async ack(): Promise<number> {
    return 0;
  }

  /** Nothing is ever pending, so nothing can be reclaimed; resolves to []. */
  async reclaim(): Promise<ReceivedMessage[]> {
    return [];
  }

  /** Nothing is ever pending, so nothing can be claimed; resolves to []. */
  async claim(): Promise<ReceivedMessage[]> {
    return [];
  }

  /** Nothing is ever pending, so nothing can be kept pending; resolves to []. */
  async touch(): Promise<string[]> {
    return [];
  }

  /** Nothing is ever pending; resolves to 0. */
  async deliveryCount(): Promise<number> {
    return 0;
  }

  /** @throws {UnsupportedBrokerOperationError} Pub/Sub keeps no dead letters. */
  async deadLetter(): Promise<string> {
    throw this.unsupported('write dead letters');
  }

  /** @throws {UnsupportedBrokerOperationError} */
  async listDeadLetters(): Promise<DeadLetter[]> {
    throw this.unsupported('list dead letters');
  }

  /** @throws {UnsupportedBrokerOperationError} */
  async inspectDeadLetter(): Promise<DeadLetter | undefined> {
    throw this.unsupported('inspect dead letters');
  }

  /** @throws {UnsupportedBrokerOperationError} */
  async replayDeadLetter(): Promise<boolean> {
    throw this.unsupported('replay dead letters');
  }

  /** @throws {UnsupportedBrokerOperationError} */
  async purgeDeadLetters(): Promise<number> {
    throw this.unsupported('purge dead letters');
  }

  /** Nothing is stored, so nothing is trimmed; resolves to 0. */
  async trim(): Promise<number> {
    return 0;
  }

  /** Length 0 (nothing is stored); each local group with its buffered count as lag. */
  async streamInfo(stream: string): Promise<StreamInfo> {
    this.assertOpen('streamInfo');
    const groups = [...(this.buffers.get(stream) ?? new Map<string, SubscriptionBuffer>())].map(
      ([name, buffer]) => ({
        name,
        pending: 0,
        lag: buffer.size,
        consumers: buffer.consumers.size,
        lastDeliveredId: buffer.lastDeliveredId,
      }),
    );
    return { stream, length: 0, groups };
  }

  /** @inheritdoc */
  async ping(): Promise<void> {
    await this.command('answer PING', () => this.client.ping());
  }

  /** @inheritdoc */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const groups of this.buffers.values())
      for (const buffer of groups.values()) buffer.wakeAll();
    await Promise.all([closeClient(this.client), closeClient(this.subscriber)]);
  }

  private receive(channel: string, data: string): void {
    for (const buffer of this.buffers.get(channel)?.values() ?? []) buffer.push(data);
  }

  private reportDropped(stream: string, group: string, buffer: SubscriptionBuffer): void {
    this.logger.warn(
      `${this.target.label}: group "${group}" of "${stream}" read too slowly; ${buffer.dropped} ` +
        `messages were dropped (buffer of ${this.settings.pubsubBufferSize}, ` +
        `brokers.${this.name}.pubsub_buffer_size)`,
    );
    buffer.dropped = 0;
  }

  private unsupported(operation: string): UnsupportedBrokerOperationError {
    return new UnsupportedBrokerOperationError(this.name, this.provider, operation, 'deadLetters');
  }

  private async command<T>(action: string, run: () => Promise<T>): Promise<T> {
    this.assertOpen(action);
    if (this.target.fatalError) throw this.target.fatalError;
    try {
      return await run();
    } catch (error) {
      throw this.target.toBrokerError(error, action);
    }
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw new BrokerClosedError(this.name, operation);
  }
}

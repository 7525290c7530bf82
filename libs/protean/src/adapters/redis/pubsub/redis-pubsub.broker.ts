import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { BaseBroker, type BrokerOperation } from '../../brokers/base-broker.js';
import type { BrokerSettings } from '../../brokers/broker-settings.js';
import type {
  BrokerCapabilities,
  GroupConsumer,
  OutgoingMessage,
  ReadOptions,
  ReceivedMessage,
  StreamInfo,
} from '../../../ports/broker/broker.port.js';
import { closeClient } from '../client/close-client.js';
import { RedisTarget } from '../client/redis-target.js';
import { unwrapPipelineResults } from '../client/pipeline-results.js';
import { StreamIdGenerator } from '../../../ports/broker/stream-id.js';
import { SubscriptionBuffer } from './subscription-buffer.js';

const CAPABILITIES: BrokerCapabilities = Object.freeze({
  durable: false,
  consumerGroups: false,
  acknowledgements: false,
  blockingRead: true,
  deadLetters: false,
  replay: false,
  ordering: true,
  workerRegistry: false,
});

/** Answered from this process's subscriptions and buffers: Redis is not asked. */
const LOCAL_OPERATIONS: ReadonlySet<BrokerOperation> = new Set(['ensureGroup', 'streamInfo']);

/**
 * Redis Pub/Sub (provider `redis_pubsub`): a stream is a channel, PUBLISH sends the `data`
 * text as it is, and only processes subscribed at that moment receive it: at-most-once, no
 * persistence, no acknowledgement. A "group" is a local subscription with its own buffer:
 * every group in this process gets every message, and consumers of a group share its buffer;
 * another process subscribed to the same channel receives every message too. Ids are minted
 * where a message is published or received and are not shared between processes.
 *
 * It implements the roles every broker has, not pending entries nor dead letters (see
 * `broker-roles.ts`: asking for those is refused with UnsupportedBrokerOperationError);
 * `trim` answers 0, as nothing is stored.
 */
export class RedisPubSubBroker extends BaseBroker {
  readonly provider = 'redis_pubsub';
  readonly capabilities = CAPABILITIES;
  protected override readonly localOperations = LOCAL_OPERATIONS;
  private readonly target: RedisTarget;
  private readonly client: Redis;
  private readonly subscriber: Redis;
  private readonly ids = new StreamIdGenerator();
  private readonly buffers = new Map<string, Map<string, SubscriptionBuffer>>();
  private readonly subscriptions = new Map<string, Promise<void>>();
  private readonly logger: Logger;

  constructor(
    name: string,
    private readonly settings: BrokerSettings,
  ) {
    super(name, settings.maxPayloadBytes);
    this.logger = new Logger(`Broker:${name}`);
    this.target = new RedisTarget(name, this.provider, settings);
    this.errors = this.target;
    this.client = this.target.createClient('commands');
    this.subscriber = this.target.createClient('subscriber', {
      commandTimeout: settings.commandTimeoutMs,
    });
    this.subscriber.on('message', (channel: string, data: string) => this.receive(channel, data));
  }

  protected async _publishBatch(messages: readonly OutgoingMessage[]): Promise<string[]> {
    const pipeline = this.client.pipeline();
    for (const { stream, data } of messages) pipeline.publish(stream, data);
    unwrapPipelineResults(await pipeline.exec());
    return messages.map(() => this.ids.next());
  }

  /** Subscribes the group to the channel; `from` is ignored: nothing before now can come. */
  protected async _ensureGroup(stream: string, group: string): Promise<void> {
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

  protected async _read(
    { stream, group, consumer }: GroupConsumer,
    options: ReadOptions,
  ): Promise<ReceivedMessage[]> {
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

  /** Nothing is stored, so nothing is trimmed; resolves to 0. */
  protected async _trim(): Promise<number> {
    return 0;
  }

  /** Length 0 (nothing is stored); each local group with its buffered count as lag. */
  protected async _streamInfo(stream: string): Promise<StreamInfo> {
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

  protected async _ping(): Promise<void> {
    await this.client.ping();
  }

  protected async _close(): Promise<void> {
    for (const groups of this.buffers.values())
      for (const buffer of groups.values()) buffer.wakeAll();
    await Promise.all([closeClient(this.client), closeClient(this.subscriber)]);
  }

  protected override actionOf(operation: BrokerOperation): string {
    return operation === 'ping' ? 'answer PING' : operation;
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
}

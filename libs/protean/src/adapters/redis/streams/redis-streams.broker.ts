import { Logger } from '@nestjs/common';
import { withTimeout } from '../../../core/async/with-timeout.js';
import type { BrokerOperation } from '../../brokers/base-broker.js';
import { BaseStreamBroker } from '../../brokers/base-stream-broker.js';
import type { BrokerSettings } from '../../brokers/broker-settings.js';
import type {
  BrokerCapabilities,
  GroupConsumer,
  OutgoingMessage,
  PartitionBalance,
  PartitionLease,
  PartitionLeases,
  PartitionShare,
  ReadOptions,
  ReceivedMessage,
  ReclaimOptions,
  StreamInfo,
  WorkerPresence,
} from '../../../ports/broker/broker.port.js';
import type { DeadLetterStreams } from '../../brokers/dead-letter-queue.js';
import { isBusyGroupError, isNoGroupError, isNoSuchKeyError } from '../client/redis-errors.js';
import { closeClient } from '../client/close-client.js';
import { RedisTarget, type RedisClient } from '../client/redis-target.js';
import { BlockingReaderPool } from './blocking-reader-pool.js';
import { RedisDeadLetterStreams } from './redis-dead-letter-streams.js';
import { RedisWorkerRegistry } from './redis-worker-registry.js';
import { RedisPartitionLeases } from './redis-partition-leases.js';
import { PartitionLeaseLostError } from '../../../ports/broker/partition-lease-lost.error.js';
import { StreamKeys } from './stream-keys.js';
import { StreamPublisher } from './stream-publisher.js';
import { StreamReclaimer } from './stream-reclaimer.js';
import { StreamTrimmer } from './stream-trimmer.js';
import {
  parseGroupsInfo,
  parsePendingDeliveryCount,
  parseReadReply,
} from './stream-reply.parser.js';
import { unwrapPipelineResults } from '../client/pipeline-results.js';

const CAPABILITIES: BrokerCapabilities = Object.freeze({
  durable: true,
  consumerGroups: true,
  acknowledgements: true,
  blockingRead: true,
  deadLetters: true,
  replay: true,
  ordering: true,
  workerRegistry: true,
  partitionLeases: true,
});

/** Most ids per XACK, so that one huge acknowledgement does not hold Redis for long. */
const ACK_CHUNK = 1000;

/**
 * Redis Streams (provider `redis`): durable, consumer groups, at-least-once. Entries have one
 * field, `data`. Publishing, acknowledging and administration share one connection; every
 * blocking read runs on a dedicated one (see {@link BlockingReaderPool}). On a Redis Cluster
 * each "connection" is a cluster client, and a stream's keys carry its hash tag
 * ({@link StreamKeys}); the stream names callers see never do.
 */
export class RedisStreamsBroker extends BaseStreamBroker implements PartitionLeases {
  readonly provider = 'redis';
  readonly capabilities = CAPABILITIES;
  private readonly target: RedisTarget;
  private readonly client: RedisClient;
  private readonly keys: StreamKeys;
  private readonly publisher: StreamPublisher;
  private readonly readers: BlockingReaderPool;
  private readonly trimmer: StreamTrimmer;
  private readonly reclaimer: StreamReclaimer;
  private readonly workers: RedisWorkerRegistry;
  private readonly leases: RedisPartitionLeases;
  private readonly logger: Logger;
  private readonly commandTimeoutMs: number;

  constructor(name: string, settings: BrokerSettings) {
    super(name, settings.maxPayloadBytes);
    this.logger = new Logger(`Broker:${name}`);
    this.target = new RedisTarget(name, this.provider, settings);
    this.errors = this.target;
    this.commandTimeoutMs = settings.commandTimeoutMs;
    this.client = this.target.createNodeOrClusterClient('commands');
    this.keys = new StreamKeys(this.target.cluster);
    this.publisher = new StreamPublisher(this.client, this.keys, settings, this.target);
    this.readers = new BlockingReaderPool(this.target, settings.readTimeoutGraceMs);
    this.trimmer = new StreamTrimmer(
      this.client,
      this.keys,
      this.target,
      settings.maxStreamLength,
      this.logger,
    );
    this.reclaimer = new StreamReclaimer(this.client, this.keys, this.logger, this.target);
    this.workers = new RedisWorkerRegistry(this.client);
    this.leases = new RedisPartitionLeases(this.client, this.readers, this.keys);
  }

  protected async _publishBatch(
    messages: readonly OutgoingMessage[],
    streams: readonly string[],
  ): Promise<string[]> {
    const ids = await this.publisher.publish(messages);
    for (const stream of streams) {
      this.trimmer.notePublished(stream, messages.filter((m) => m.stream === stream).length);
    }
    return ids;
  }

  protected async _ensureGroup(stream: string, group: string, from: '0' | '$'): Promise<void> {
    try {
      await this.client.xgroup('CREATE', this.keys.of(stream), group, from, 'MKSTREAM');
    } catch (error) {
      if (!isBusyGroupError(error)) throw error;
    }
  }

  protected async _read(at: GroupConsumer, options: ReadOptions): Promise<ReceivedMessage[]> {
    const { stream, group } = at;
    if (this.target.fatalError) throw this.target.fatalError;
    const deadline = Date.now() + options.blockMs;
    try {
      return await this.readOnce(at, options);
    } catch (error) {
      if (this.closed) return [];
      if (!isNoGroupError(error)) throw this.target.toBrokerError(error, `read "${stream}"`);
    }
    this.logger.warn(
      `${this.target.label}: group "${group}" of stream "${stream}" is missing (first read, or ` +
        `Redis lost its data); creating it from 0`,
    );
    await this.ensureGroup(stream, group, '0');
    const blockMs = Math.max(0, deadline - Date.now());
    try {
      return await this.readOnce(at, { count: options.count, blockMs });
    } catch (error) {
      if (this.closed) return [];
      throw this.target.toBrokerError(error, `read "${stream}"`);
    }
  }

  protected async _ack(stream: string, group: string, ids: readonly string[]): Promise<number> {
    const pipeline = this.client.pipeline();
    for (let i = 0; i < ids.length; i += ACK_CHUNK) {
      pipeline.xack(this.keys.of(stream), group, ...ids.slice(i, i + ACK_CHUNK));
    }
    const replies = await pipeline.exec();
    // Without the group nothing is pending: the entries come again from a recreated group.
    if (replies?.some(([error]) => isNoGroupError(error))) return 0;
    return unwrapPipelineResults(replies).reduce<number>((sum, n) => sum + Number(n), 0);
  }

  protected async _reclaim(at: GroupConsumer, options: ReclaimOptions): Promise<ReceivedMessage[]> {
    try {
      return await this.reclaimer.reclaim(at, options);
    } catch (error) {
      if (!isNoGroupError(error)) throw error;
      await this.ensureGroup(at.stream, at.group, '0');
      return [];
    }
  }

  protected async _claim(
    at: GroupConsumer,
    ids: readonly string[],
    minIdleMs: number,
  ): Promise<ReceivedMessage[]> {
    return this.unlessNoGroup<ReceivedMessage[]>([], () =>
      this.reclaimer.claim(at, ids, minIdleMs),
    );
  }

  protected async _touch(at: GroupConsumer, ids: readonly string[]): Promise<string[]> {
    return this.unlessNoGroup<string[]>([], () => this.reclaimer.touch(at, ids));
  }

  protected async _deliveryCount(stream: string, group: string, id: string): Promise<number> {
    return this.unlessNoGroup(0, async () =>
      parsePendingDeliveryCount(await this.client.xpending(this.keys.of(stream), group, id, id, 1)),
    );
  }

  protected async _trim(stream: string, maxLength: number | undefined): Promise<number> {
    return this.trimmer.trim(stream, maxLength);
  }

  protected async _streamInfo(stream: string): Promise<StreamInfo> {
    const key = this.keys.of(stream);
    const replies = await this.client.pipeline().xlen(key).xinfo('GROUPS', key).exec();
    const [[lengthError, length], [groupsError, groups]] = replies ?? [
      [null, 0],
      [null, []],
    ];
    if (lengthError) throw lengthError;
    if (groupsError && !isNoSuchKeyError(groupsError)) throw groupsError;
    return { stream, length: Number(length), groups: parseGroupsInfo(groups) };
  }

  protected async _ping(): Promise<void> {
    await this.client.ping();
  }

  protected async _close(): Promise<void> {
    this.readers.close();
    await this.trimmer.drain();
    await closeClient(this.client);
  }

  /** @inheritdoc */
  async announceWorker(presence: WorkerPresence, ttlMs: number): Promise<void> {
    await this.command('announce a worker', () => this.workers.announceWorker(presence, ttlMs));
  }

  /** @inheritdoc */
  async withdrawWorker(consumer: string): Promise<void> {
    await this.command('withdraw a worker', () => this.workers.withdrawWorker(consumer));
  }

  /** @inheritdoc */
  runningWorkers(): Promise<WorkerPresence[]> {
    return this.command('list running workers', () => this.workers.runningWorkers());
  }

  /** @inheritdoc */
  balancePartitions(balance: PartitionBalance): Promise<PartitionShare> {
    return this.command(`balance the partitions of "${balance.category}"`, () =>
      this.leases.balancePartitions(balance),
    );
  }

  /** @inheritdoc */
  async releasePartition(category: string, group: string, lease: PartitionLease): Promise<void> {
    await this.command(`release partition ${lease.partition} of "${category}"`, () =>
      this.leases.releasePartition(category, group, lease),
    );
  }

  /** @inheritdoc */
  async leavePartitions(category: string, group: string, consumer: string): Promise<void> {
    await this.command(`leave the partitions of "${category}"`, () =>
      this.leases.leavePartitions(category, group, consumer),
    );
  }

  /**
   * @inheritdoc
   * Bounded as a blocking read is (by its block time and the readers' watchdog), not as a
   * command: a read may block longer than a command may take.
   */
  async readUnderLease(
    at: GroupConsumer,
    category: string,
    lease: PartitionLease,
    options: ReadOptions,
  ): Promise<ReceivedMessage[]> {
    this.assertOpen(`read "${at.stream}"`);
    if (this.target.fatalError) throw this.target.fatalError;
    const deadline = Date.now() + options.blockMs;
    let messages: ReceivedMessage[] | undefined;
    try {
      try {
        messages = await this.leases.readUnderLease(at, category, lease, options);
      } catch (error) {
        if (!isNoGroupError(error)) throw error;
        await this.ensureGroup(at.stream, at.group, '0');
        messages = await this.leases.readUnderLease(at, category, lease, {
          count: options.count,
          blockMs: Math.max(0, deadline - Date.now()),
        });
      }
    } catch (error) {
      if (this.closed) return [];
      throw this.target.toBrokerError(error, `read "${at.stream}"`);
    }
    if (messages === undefined) throw new PartitionLeaseLostError(this.name, at.stream, at.group);
    return messages;
  }

  /** @inheritdoc */
  partitionLayouts(): Promise<ReadonlyMap<string, number>> {
    return this.command('read the partition layouts', () => this.leases.partitionLayouts());
  }

  /** @inheritdoc */
  async recordPartitionLayout(category: string, partitions: number): Promise<void> {
    await this.command(`record the partition layout of "${category}"`, () =>
      this.leases.recordPartitionLayout(category, partitions),
    );
  }

  protected deadLetterStreams(): DeadLetterStreams {
    return new RedisDeadLetterStreams(this.client, this.keys, this.target);
  }

  protected override actionOf(operation: BrokerOperation, stream?: string, group?: string): string {
    switch (operation) {
      case 'publish':
        return `publish to "${stream}"`;
      case 'ensureGroup':
        return `create group "${group}" on "${stream}"`;
      case 'ack':
        return `acknowledge on "${stream}"`;
      case 'reclaim':
        return `reclaim on "${stream}"`;
      case 'claim':
        return `claim on "${stream}"`;
      case 'touch':
        return `keep entries pending on "${stream}"`;
      case 'deliveryCount':
        return `read the delivery count on "${stream}"`;
      case 'streamInfo':
        return `describe "${stream}"`;
      case 'ping':
        return 'answer PING';
    }
  }

  /**
   * On a cluster, a command is bounded by `command_timeout_ms` only once it is sent to a node:
   * while the client has no node to send it to (every node unreachable), ioredis queues it
   * without a limit. Bound the whole operation, as on one Redis (a late one may still run).
   */
  protected override command<T>(action: string, run: () => Promise<T>): Promise<T> {
    if (!this.target.cluster) return super.command(action, run);
    const limit = 2 * this.commandTimeoutMs;
    return super.command(action, () =>
      withTimeout(
        run(),
        limit,
        () => new Error(`Command timed out (no cluster node within ${limit} ms)`),
      ),
    );
  }

  /** `run`'s answer, or `fallback` when the group does not exist (nothing is pending there). */
  private async unlessNoGroup<T>(fallback: T, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isNoGroupError(error)) return fallback;
      throw error;
    }
  }

  private async readOnce(
    { stream, group, consumer }: GroupConsumer,
    { count, blockMs }: ReadOptions,
  ): Promise<ReceivedMessage[]> {
    // BLOCK 0 would wait forever; no BLOCK at all returns at once.
    const block = blockMs > 0 ? ['BLOCK', Math.ceil(blockMs)] : [];
    const reply = await this.readers.run(blockMs, (client) =>
      client.call(
        'XREADGROUP',
        'GROUP',
        group,
        consumer,
        'COUNT',
        count,
        ...block,
        'STREAMS',
        this.keys.of(stream),
        '>',
      ),
    );
    return parseReadReply(reply).map((entry) => ({
      id: entry.id,
      stream,
      data: entry.fields.data,
      deliveryCount: 1,
    }));
  }
}

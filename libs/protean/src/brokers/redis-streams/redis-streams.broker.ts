import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { assertPayloadsWithinLimit, assertReadOptions } from '../broker-arguments.js';
import type { BrokerSettings } from '../broker-settings.js';
import type {
  Broker,
  BrokerCapabilities,
  DeadLetter,
  DeadLetterProvenance,
  OutgoingMessage,
  ReadOptions,
  ReceivedMessage,
  ReclaimOptions,
  StreamInfo,
} from '../broker.port.js';
import { BrokerClosedError } from '../errors/broker-closed.error.js';
import {
  isBusyGroupError,
  isNoGroupError,
  isNoSuchKeyError,
} from '../redis-client/redis-errors.js';
import { closeClient } from '../redis-client/close-client.js';
import { RedisTarget } from '../redis-client/redis-target.js';
import { BlockingReaderPool } from './blocking-reader-pool.js';
import { RedisDeadLetters } from './redis-dead-letters.js';
import { StreamReclaimer } from './stream-reclaimer.js';
import { StreamTrimmer } from './stream-trimmer.js';
import {
  parseGroupsInfo,
  parsePendingDeliveryCount,
  parseReadReply,
} from './stream-reply.parser.js';
import { unwrapPipelineResults } from '../redis-client/pipeline-results.js';

const CAPABILITIES: BrokerCapabilities = Object.freeze({
  durable: true,
  consumerGroups: true,
  acknowledgements: true,
  blockingRead: true,
  deadLetters: true,
  replay: true,
  ordering: true,
});

/** Most ids per XACK, so that one huge acknowledgement does not hold Redis for long. */
const ACK_CHUNK = 1000;

/**
 * Redis Streams (provider `redis`): durable, consumer groups, at-least-once. Entries have one
 * field, `data`. Publishing, acknowledging and administration share one connection; every
 * blocking read runs on a dedicated one (see {@link BlockingReaderPool}).
 */
export class RedisStreamsBroker implements Broker {
  readonly provider = 'redis';
  readonly capabilities = CAPABILITIES;
  private readonly target: RedisTarget;
  private readonly client: Redis;
  private readonly readers: BlockingReaderPool;
  private readonly trimmer: StreamTrimmer;
  private readonly reclaimer: StreamReclaimer;
  private readonly deadLetters: RedisDeadLetters;
  private readonly logger: Logger;
  private closed = false;

  constructor(
    readonly name: string,
    private readonly settings: BrokerSettings,
  ) {
    this.logger = new Logger(`Broker:${name}`);
    this.target = new RedisTarget(name, this.provider, settings);
    this.client = this.target.createClient('commands');
    this.readers = new BlockingReaderPool(this.target, settings.readTimeoutGraceMs);
    this.trimmer = new StreamTrimmer(
      this.client,
      this.target,
      settings.maxStreamLength,
      this.logger,
    );
    this.reclaimer = new StreamReclaimer(this.client, this.logger, this.target);
    this.deadLetters = new RedisDeadLetters(this.client, this.target, (stream, data) =>
      this.publish({ stream, data }),
    );
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
    const streams = [...new Set(messages.map((message) => message.stream))];
    const ids = await this.command(`publish to "${streams.join('", "')}"`, async () => {
      const pipeline = this.client.pipeline();
      for (const { stream, data } of messages) pipeline.xadd(stream, '*', 'data', data);
      return unwrapPipelineResults(await pipeline.exec()) as string[];
    });
    for (const stream of streams) {
      this.trimmer.notePublished(stream, messages.filter((m) => m.stream === stream).length);
    }
    return ids;
  }

  /** @inheritdoc */
  async ensureGroup(stream: string, group: string, from: '0' | '$' = '0'): Promise<void> {
    await this.command(`create group "${group}" on "${stream}"`, async () => {
      try {
        await this.client.xgroup('CREATE', stream, group, from, 'MKSTREAM');
      } catch (error) {
        if (!isBusyGroupError(error)) throw error;
      }
    });
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
    if (this.target.fatalError) throw this.target.fatalError;
    const deadline = Date.now() + options.blockMs;
    try {
      return await this.readOnce(stream, group, consumer, options);
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
      return await this.readOnce(stream, group, consumer, { count: options.count, blockMs });
    } catch (error) {
      if (this.closed) return [];
      throw this.target.toBrokerError(error, `read "${stream}"`);
    }
  }

  /** @inheritdoc */
  async ack(stream: string, group: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.command(`acknowledge on "${stream}"`, async () => {
      const pipeline = this.client.pipeline();
      for (let i = 0; i < ids.length; i += ACK_CHUNK) {
        pipeline.xack(stream, group, ...ids.slice(i, i + ACK_CHUNK));
      }
      const replies = await pipeline.exec();
      // Without the group nothing is pending: the entries come again from a recreated group.
      if (replies?.some(([error]) => isNoGroupError(error))) return 0;
      return unwrapPipelineResults(replies).reduce<number>((sum, n) => sum + Number(n), 0);
    });
  }

  /** @inheritdoc */
  async reclaim(
    stream: string,
    group: string,
    consumer: string,
    options: ReclaimOptions,
  ): Promise<ReceivedMessage[]> {
    return this.command(`reclaim on "${stream}"`, async () => {
      try {
        return await this.reclaimer.reclaim(stream, group, consumer, options);
      } catch (error) {
        if (!isNoGroupError(error)) throw error;
        await this.ensureGroup(stream, group, '0');
        return [];
      }
    });
  }

  /** @inheritdoc */
  async claim(
    stream: string,
    group: string,
    consumer: string,
    ids: readonly string[],
    minIdleMs = 0,
  ): Promise<ReceivedMessage[]> {
    if (ids.length === 0) return [];
    return this.command(`claim on "${stream}"`, async () => {
      try {
        return await this.reclaimer.claim(stream, group, consumer, ids, minIdleMs);
      } catch (error) {
        if (isNoGroupError(error)) return [];
        throw error;
      }
    });
  }

  /** @inheritdoc */
  async touch(
    stream: string,
    group: string,
    consumer: string,
    ids: readonly string[],
  ): Promise<string[]> {
    if (ids.length === 0) return [];
    return this.command(`keep entries pending on "${stream}"`, async () => {
      try {
        return await this.reclaimer.touch(stream, group, consumer, ids);
      } catch (error) {
        if (isNoGroupError(error)) return [];
        throw error;
      }
    });
  }

  /** @inheritdoc */
  async deliveryCount(stream: string, group: string, id: string): Promise<number> {
    return this.command(`read the delivery count on "${stream}"`, async () => {
      try {
        return parsePendingDeliveryCount(await this.client.xpending(stream, group, id, id, 1));
      } catch (error) {
        if (isNoGroupError(error)) return 0;
        throw error;
      }
    });
  }

  /** @inheritdoc */
  async deadLetter(
    stream: string,
    data: string | undefined,
    provenance: DeadLetterProvenance,
  ): Promise<string> {
    this.assertOpen('deadLetter');
    return this.deadLetters.write(stream, data, provenance);
  }

  /** @inheritdoc */
  async listDeadLetters(stream?: string, limit = 100): Promise<DeadLetter[]> {
    this.assertOpen('listDeadLetters');
    return this.deadLetters.list(stream, limit);
  }

  /** @inheritdoc */
  async inspectDeadLetter(id: string, stream?: string): Promise<DeadLetter | undefined> {
    this.assertOpen('inspectDeadLetter');
    return this.deadLetters.inspect(id, stream);
  }

  /** @inheritdoc */
  async replayDeadLetter(id: string, stream?: string): Promise<boolean> {
    this.assertOpen('replayDeadLetter');
    return this.deadLetters.replay(id, stream);
  }

  /** @inheritdoc */
  async purgeDeadLetters(stream?: string): Promise<number> {
    this.assertOpen('purgeDeadLetters');
    return this.deadLetters.purge(stream);
  }

  /** @inheritdoc */
  async trim(stream: string, maxLength?: number): Promise<number> {
    this.assertOpen('trim');
    return this.trimmer.trim(stream, maxLength);
  }

  /** @inheritdoc */
  async streamInfo(stream: string): Promise<StreamInfo> {
    return this.command(`describe "${stream}"`, async () => {
      const replies = await this.client.pipeline().xlen(stream).xinfo('GROUPS', stream).exec();
      const [[lengthError, length], [groupsError, groups]] = replies ?? [
        [null, 0],
        [null, []],
      ];
      if (lengthError) throw lengthError;
      if (groupsError && !isNoSuchKeyError(groupsError)) throw groupsError;
      return { stream, length: Number(length), groups: parseGroupsInfo(groups) };
    });
  }

  /** @inheritdoc */
  async ping(): Promise<void> {
    await this.command('answer PING', () => this.client.ping());
  }

  /** @inheritdoc */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.readers.close();
    await this.trimmer.drain();
    await closeClient(this.client);
  }

  private async readOnce(
    stream: string,
    group: string,
    consumer: string,
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
        stream,
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

import { BaseBroker } from './base-broker.js';
import type {
  DeadLetter,
  DeadLetterProvenance,
  DeadLetterRange,
  GroupConsumer,
  ReceivedMessage,
  ReclaimOptions,
  StreamBroker,
} from '../../ports/broker/broker.port.js';
import { DeadLetterQueue, type DeadLetterStreams } from './dead-letter-queue.js';

/**
 * {@link BaseBroker} for adapters with every role: pending entries and dead letters as
 * template methods too. Dead letters are the one algorithm of {@link DeadLetterQueue} over the
 * adapter's streams; adapters implement the `_`-prefixed parts and `deadLetterStreams()`.
 */
export abstract class BaseStreamBroker extends BaseBroker implements StreamBroker {
  private queue?: DeadLetterQueue;

  /** @inheritdoc */
  async ack(stream: string, group: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.operation('ack', () => this._ack(stream, group, ids), stream, group);
  }

  /** @inheritdoc */
  async reclaim(
    stream: string,
    group: string,
    consumer: string,
    options: ReclaimOptions,
  ): Promise<ReceivedMessage[]> {
    return this.operation(
      'reclaim',
      () => this._reclaim({ stream, group, consumer }, options),
      stream,
      group,
    );
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
    return this.operation(
      'claim',
      () => this._claim({ stream, group, consumer }, ids, minIdleMs),
      stream,
      group,
    );
  }

  /** @inheritdoc */
  async touch(
    stream: string,
    group: string,
    consumer: string,
    ids: readonly string[],
  ): Promise<string[]> {
    if (ids.length === 0) return [];
    const touch = () => this._touch({ stream, group, consumer }, ids);
    return this.operation('touch', touch, stream, group);
  }

  /** @inheritdoc */
  async deliveryCount(stream: string, group: string, id: string): Promise<number> {
    return this.operation(
      'deliveryCount',
      () => this._deliveryCount(stream, group, id),
      stream,
      group,
    );
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
  async listDeadLetters(
    stream?: string,
    limit = 100,
    range?: DeadLetterRange,
  ): Promise<DeadLetter[]> {
    this.assertOpen('listDeadLetters');
    return this.deadLetters.list(stream, limit, range);
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
  async removeDeadLetters(stream: string, ids: readonly string[]): Promise<number> {
    this.assertOpen('removeDeadLetters');
    return this.deadLetters.remove(stream, ids);
  }

  protected abstract _ack(stream: string, group: string, ids: readonly string[]): Promise<number>;
  protected abstract _reclaim(
    at: GroupConsumer,
    options: ReclaimOptions,
  ): Promise<ReceivedMessage[]>;
  protected abstract _claim(
    at: GroupConsumer,
    ids: readonly string[],
    minIdleMs: number,
  ): Promise<ReceivedMessage[]>;
  protected abstract _touch(at: GroupConsumer, ids: readonly string[]): Promise<string[]>;
  protected abstract _deliveryCount(stream: string, group: string, id: string): Promise<number>;
  /** The adapter's streams, as the dead-letter algorithm needs them. */
  protected abstract deadLetterStreams(): DeadLetterStreams;

  private get deadLetters(): DeadLetterQueue {
    this.queue ??= new DeadLetterQueue(this.name, this.deadLetterStreams(), (stream, data) =>
      this.publish({ stream, data }),
    );
    return this.queue;
  }
}

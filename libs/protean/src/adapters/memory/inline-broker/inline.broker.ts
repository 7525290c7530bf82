import { BaseStreamBroker } from '../../brokers/base-stream-broker.js';
import type { BrokerSettings } from '../../brokers/broker-settings.js';
import {
  isDeadLetterStream,
  type BrokerCapabilities,
  type GroupConsumer,
  type OutgoingMessage,
  type ReadOptions,
  type ReceivedMessage,
  type ReclaimOptions,
  type StreamInfo,
} from '../../../ports/broker/broker.port.js';
import type { DeadLetterStreams } from '../../brokers/dead-letter-queue.js';
import { StreamIdGenerator } from '../../../ports/broker/stream-id.js';
import { InlineStream } from './inline-stream.js';
import { SYSTEM_CLOCK, type Clock } from '../../../core/async/clock.js';

const CAPABILITIES: BrokerCapabilities = Object.freeze({
  durable: false,
  consumerGroups: true,
  acknowledgements: true,
  blockingRead: true,
  deadLetters: true,
  replay: true,
  ordering: true,
  // Nothing of it crosses processes: another process could not see a worker announced here.
  workerRegistry: false,
});

/**
 * The in-process broker (provider `inline`): Redis Streams semantics held in memory, so the
 * embedded default behaves like production: consumer groups, pending entries, delivery
 * counts, reclaiming and dead letters. Nothing survives the process.
 */
export class InlineBroker extends BaseStreamBroker {
  readonly provider = 'inline';
  readonly capabilities = CAPABILITIES;
  private readonly streams = new Map<string, InlineStream>();
  private readonly ids: StreamIdGenerator;
  private readonly now: () => number;

  constructor(
    name: string,
    private readonly settings: Pick<BrokerSettings, 'maxPayloadBytes' | 'maxStreamLength'>,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {
    super(name, settings.maxPayloadBytes);
    this.now = () => clock.now();
    this.ids = new StreamIdGenerator(this.now);
  }

  protected async _publishBatch(messages: readonly OutgoingMessage[]): Promise<string[]> {
    return messages.map(({ stream, data }) => this.append(stream, { data }));
  }

  protected async _ensureGroup(stream: string, group: string, from: '0' | '$'): Promise<void> {
    this.stream(stream).ensureGroup(group, from);
  }

  protected async _read(
    { stream, group, consumer }: GroupConsumer,
    options: ReadOptions,
  ): Promise<ReceivedMessage[]> {
    const deadline = this.now() + options.blockMs;
    for (;;) {
      const target = this.stream(stream);
      const state = target.ensureGroup(group, '0');
      const batch = target.deliver(state, consumer, options.count, this.now());
      const remaining = deadline - this.now();
      if (batch.length || remaining <= 0) {
        return batch.map((entry) => ({
          id: entry.id,
          stream,
          data: entry.fields.data,
          deliveryCount: 1,
        }));
      }
      // Until the next append to the stream, the block time, or the broker closing.
      await target.appended.sleep(remaining);
      if (this.closed) return [];
    }
  }

  protected async _ack(stream: string, group: string, ids: readonly string[]): Promise<number> {
    return this.streams.get(stream)?.groups.get(group)?.acknowledge(ids) ?? 0;
  }

  protected async _reclaim(
    { stream, group, consumer }: GroupConsumer,
    options: ReclaimOptions,
  ): Promise<ReceivedMessage[]> {
    const target = this.stream(stream);
    const state = target.ensureGroup(group, '0');
    const claimed = state.claimIdle(consumer, options.minIdleMs, options.count, this.now(), (id) =>
      Boolean(target.find(id)),
    );
    return this.redelivered(target, claimed);
  }

  protected async _claim(
    { stream, group, consumer }: GroupConsumer,
    ids: readonly string[],
    minIdleMs: number,
  ): Promise<ReceivedMessage[]> {
    const target = this.streams.get(stream);
    const state = target?.groups.get(group);
    if (!target || !state) return [];
    const claimed = state.claimIds(consumer, ids, minIdleMs, this.now());
    return this.redelivered(
      target,
      claimed.filter(({ id }) => Boolean(target.find(id))),
    );
  }

  protected async _touch(
    { stream, group, consumer }: GroupConsumer,
    ids: readonly string[],
  ): Promise<string[]> {
    const state = this.streams.get(stream)?.groups.get(group);
    return state ? state.touch(consumer, ids, this.now()) : [];
  }

  protected async _deliveryCount(stream: string, group: string, id: string): Promise<number> {
    return this.streams.get(stream)?.groups.get(group)?.pending.get(id)?.deliveryCount ?? 0;
  }

  protected async _trim(
    stream: string,
    maxLength = this.settings.maxStreamLength,
  ): Promise<number> {
    const target = this.streams.get(stream);
    if (!target || maxLength === 0 || isDeadLetterStream(stream)) return 0;
    return target.trim(maxLength);
  }

  protected async _streamInfo(stream: string): Promise<StreamInfo> {
    const target = this.streams.get(stream);
    if (!target) return { stream, length: 0, groups: [] };
    const groups = [...target.groups.values()].map((group) => ({
      name: group.name,
      pending: group.pending.size,
      lag: target.countAfter(group.lastDeliveredId),
      entriesRead: group.entriesRead,
      consumers: group.consumers.size,
      lastDeliveredId: group.lastDeliveredId,
    }));
    return { stream, length: target.length, groups };
  }

  protected async _ping(): Promise<void> {}

  protected async _close(): Promise<void> {
    for (const stream of this.streams.values()) stream.appended.wake();
    this.streams.clear();
  }

  /** The in-memory streams as the dead-letter algorithm needs them. */
  protected deadLetterStreams(): DeadLetterStreams {
    const existing = (name: string) => this.streams.get(name);
    return {
      append: async (stream, fields) => {
        const id = this.ids.next();
        this.stream(stream).append(id, fields);
        return id;
      },
      range: async (streams, bounds, limit) =>
        streams.map((name, index) => [...(existing(name)?.range(bounds[index], limit) ?? [])]),
      find: async (streams, id) =>
        streams.map((name) => {
          const entry = existing(name)?.find(id);
          return entry ? [entry] : [];
        }),
      remove: async (stream, ids) =>
        ids.filter((id) => existing(stream)?.remove(id) ?? false).length,
      drop: async (stream) => {
        const length = existing(stream)?.length ?? 0;
        // A reader blocked on it goes on waiting on the stream of that name, created anew.
        existing(stream)?.appended.wake();
        this.streams.delete(stream);
        return length;
      },
      deadLetterStreams: async () => [...this.streams.keys()].filter(isDeadLetterStream),
    };
  }

  /** Claimed entries (still in `stream`) as messages with their raised delivery counts. */
  private redelivered(
    stream: InlineStream,
    claimed: readonly { id: string; deliveryCount: number }[],
  ): ReceivedMessage[] {
    return claimed.map(({ id, deliveryCount }) => ({
      id,
      stream: stream.name,
      data: stream.find(id)!.fields.data,
      deliveryCount,
    }));
  }

  private append(stream: string, fields: Record<string, string>): string {
    const id = this.ids.next();
    const target = this.stream(stream);
    target.append(id, fields);
    const { maxStreamLength } = this.settings;
    if (maxStreamLength > 0 && !isDeadLetterStream(stream)) target.trim(maxStreamLength);
    return id;
  }

  private stream(name: string): InlineStream {
    let stream = this.streams.get(name);
    if (!stream) {
      stream = new InlineStream(name, this.clock);
      this.streams.set(name, stream);
    }
    return stream;
  }
}

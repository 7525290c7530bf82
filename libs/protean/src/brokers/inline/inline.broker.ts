import { assertPayloadsWithinLimit, assertReadOptions } from '../broker-arguments.js';
import type { BrokerSettings } from '../broker-settings.js';
import {
  isDeadLetterStream,
  type Broker,
  type BrokerCapabilities,
  type DeadLetter,
  type DeadLetterProvenance,
  type OutgoingMessage,
  type ReadOptions,
  type ReceivedMessage,
  type ReclaimOptions,
  type StreamInfo,
} from '../broker.port.js';
import { BrokerClosedError } from '../errors/broker-closed.error.js';
import { StreamIdGenerator } from '../stream-id.js';
import { InlineDeadLetters, type InlineStreamStore } from './inline-dead-letters.js';
import { InlineStream } from './inline-stream.js';

const CAPABILITIES: BrokerCapabilities = Object.freeze({
  durable: false,
  consumerGroups: true,
  acknowledgements: true,
  blockingRead: true,
  deadLetters: true,
  replay: true,
  ordering: true,
});

/**
 * The in-process broker (provider `inline`): Redis Streams semantics held in memory, so the
 * embedded default behaves like production: consumer groups, pending entries, delivery
 * counts, reclaiming and dead letters. Nothing survives the process.
 */
export class InlineBroker implements Broker {
  readonly provider = 'inline';
  readonly capabilities = CAPABILITIES;
  private readonly streams = new Map<string, InlineStream>();
  private readonly ids: StreamIdGenerator;
  private readonly deadLetters: InlineDeadLetters;
  private readonly wakeOnClose = new Set<() => void>();
  private closed = false;

  constructor(
    readonly name: string,
    private readonly settings: Pick<BrokerSettings, 'maxPayloadBytes' | 'maxStreamLength'>,
    private readonly now: () => number = Date.now,
  ) {
    this.ids = new StreamIdGenerator(now);
    this.deadLetters = new InlineDeadLetters(this.store());
  }

  /** @inheritdoc */
  async publish(message: OutgoingMessage): Promise<string> {
    return (await this.publishBatch([message]))[0];
  }

  /** @inheritdoc */
  async publishBatch(messages: readonly OutgoingMessage[]): Promise<string[]> {
    this.assertOpen('publish');
    assertPayloadsWithinLimit(this.name, messages, this.settings.maxPayloadBytes);
    return messages.map(({ stream, data }) => this.append(stream, { data }));
  }

  /** @inheritdoc */
  async ensureGroup(stream: string, group: string, from: '0' | '$' = '0'): Promise<void> {
    this.assertOpen('ensureGroup');
    this.stream(stream).ensureGroup(group, from);
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
      await this.waitForAppend(target, remaining);
      if (this.closed) return [];
    }
  }

  /** @inheritdoc */
  async ack(stream: string, group: string, ids: readonly string[]): Promise<number> {
    this.assertOpen('ack');
    return this.streams.get(stream)?.groups.get(group)?.acknowledge(ids) ?? 0;
  }

  /** @inheritdoc */
  async reclaim(
    stream: string,
    group: string,
    consumer: string,
    options: ReclaimOptions,
  ): Promise<ReceivedMessage[]> {
    this.assertOpen('reclaim');
    const target = this.stream(stream);
    const state = target.ensureGroup(group, '0');
    const claimed = state.claimIdle(consumer, options.minIdleMs, options.count, this.now(), (id) =>
      Boolean(target.find(id)),
    );
    return claimed.map(({ id, deliveryCount }) => ({
      id,
      stream,
      data: target.find(id)!.fields.data,
      deliveryCount,
    }));
  }

  /** @inheritdoc */
  async claim(
    stream: string,
    group: string,
    consumer: string,
    ids: readonly string[],
    minIdleMs = 0,
  ): Promise<ReceivedMessage[]> {
    this.assertOpen('claim');
    const target = this.streams.get(stream);
    const state = target?.groups.get(group);
    if (!target || !state) return [];
    return state
      .claimIds(consumer, ids, minIdleMs, this.now())
      .filter(({ id }) => Boolean(target.find(id)))
      .map(({ id, deliveryCount }) => ({
        id,
        stream,
        data: target.find(id)!.fields.data,
        deliveryCount,
      }));
  }

  /** @inheritdoc */
  async touch(
    stream: string,
    group: string,
    consumer: string,
    ids: readonly string[],
  ): Promise<string[]> {
    this.assertOpen('touch');
    const state = this.streams.get(stream)?.groups.get(group);
    return state ? state.touch(consumer, ids, this.now()) : [];
  }

  /** @inheritdoc */
  async deliveryCount(stream: string, group: string, id: string): Promise<number> {
    this.assertOpen('deliveryCount');
    return this.streams.get(stream)?.groups.get(group)?.pending.get(id)?.deliveryCount ?? 0;
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
  async trim(stream: string, maxLength = this.settings.maxStreamLength): Promise<number> {
    this.assertOpen('trim');
    const target = this.streams.get(stream);
    if (!target || maxLength === 0 || isDeadLetterStream(stream)) return 0;
    return target.trim(maxLength);
  }

  /** @inheritdoc */
  async streamInfo(stream: string): Promise<StreamInfo> {
    this.assertOpen('streamInfo');
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

  /** @inheritdoc */
  async ping(): Promise<void> {
    this.assertOpen('ping');
  }

  /** @inheritdoc */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.wakeOnClose]) wake();
    this.streams.clear();
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
      stream = new InlineStream(name);
      this.streams.set(name, stream);
    }
    return stream;
  }

  /** Resolves on the next append to `stream`, after `ms`, or when the broker closes. */
  private waitForAppend(stream: InlineStream, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        unsubscribe();
        this.wakeOnClose.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      const unsubscribe = stream.onAppend(wake);
      this.wakeOnClose.add(wake);
    });
  }

  private store(): InlineStreamStore {
    return {
      brokerName: this.name,
      stream: (name) => this.stream(name),
      existing: (name) => this.streams.get(name),
      names: () => this.streams.keys(),
      drop: (name) => this.streams.delete(name),
      nextId: () => this.ids.next(),
      publish: (stream, data) => this.publish({ stream, data }),
    };
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw new BrokerClosedError(this.name, operation);
  }
}

import { assertPayloadsWithinLimit, assertReadOptions } from './broker-arguments.js';
import type {
  Broker,
  BrokerCapabilities,
  GroupConsumer,
  OutgoingMessage,
  ReadOptions,
  ReceivedMessage,
  StreamInfo,
} from '../../ports/broker/broker.port.js';
import { BrokerClosedError } from '../../ports/broker/broker-closed.error.js';

/** The operations whose failures {@link BaseBroker.command} names (see `actionOf`). */
export type BrokerOperation =
  | 'publish'
  | 'ensureGroup'
  | 'streamInfo'
  | 'ping'
  | 'ack'
  | 'reclaim'
  | 'claim'
  | 'touch'
  | 'deliveryCount';

/** How an adapter that talks to a server turns what fails into broker errors. */
export interface BrokerErrorTranslation {
  /** Set once the server refused for good (credentials, certificate): every operation fails. */
  readonly fatalError?: Error;
  /** The broker error for a failed `action` (e.g. `publish to "orders"`). */
  toBrokerError(error: unknown, action: string): Error;
}

const NO_LOCAL_OPERATIONS: ReadonlySet<BrokerOperation> = new Set();

/**
 * What every adapter shares, as template methods (Protean's `BaseBroker`): the public methods
 * refuse work after `close()`, check their arguments the same way everywhere, map publish onto
 * publishBatch and translate failures; adapters implement the `_`-prefixed parts.
 */
export abstract class BaseBroker implements Broker {
  abstract readonly provider: string;
  abstract readonly capabilities: BrokerCapabilities;
  /** The adapter's error translation; none for an in-process broker. */
  protected errors?: BrokerErrorTranslation;
  /** Operations answered in-process: no server to have refused them. */
  protected readonly localOperations: ReadonlySet<BrokerOperation> = NO_LOCAL_OPERATIONS;
  private closeCalled = false;

  protected constructor(
    readonly name: string,
    private readonly maxPayloadBytes: number,
  ) {}

  /** Whether `close()` was called. */
  protected get closed(): boolean {
    return this.closeCalled;
  }

  /** @inheritdoc */
  async publish(message: OutgoingMessage): Promise<string> {
    return (await this.publishBatch([message]))[0];
  }

  /** @inheritdoc */
  async publishBatch(messages: readonly OutgoingMessage[]): Promise<string[]> {
    this.assertOpen('publish');
    assertPayloadsWithinLimit(this.name, messages, this.maxPayloadBytes);
    if (messages.length === 0) return [];
    const streams = [...new Set(messages.map((message) => message.stream))];
    return this.operation(
      'publish',
      () => this._publishBatch(messages, streams),
      streams.join('", "'),
    );
  }

  /** @inheritdoc */
  async ensureGroup(stream: string, group: string, from: '0' | '$' = '0'): Promise<void> {
    return this.operation(
      'ensureGroup',
      () => this._ensureGroup(stream, group, from),
      stream,
      group,
    );
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
    return this._read({ stream, group, consumer }, options);
  }

  /** @inheritdoc */
  async trim(stream: string, maxLength?: number): Promise<number> {
    this.assertOpen('trim');
    return this._trim(stream, maxLength);
  }

  /** @inheritdoc */
  async streamInfo(stream: string): Promise<StreamInfo> {
    return this.operation('streamInfo', () => this._streamInfo(stream), stream);
  }

  /** @inheritdoc */
  async ping(): Promise<void> {
    await this.operation('ping', () => this._ping());
  }

  /** @inheritdoc */
  async close(): Promise<void> {
    if (this.closeCalled) return;
    this.closeCalled = true;
    await this._close();
  }

  /** Publishes a non-empty, checked batch (to `streams`); ids in input order. */
  protected abstract _publishBatch(
    messages: readonly OutgoingMessage[],
    streams: readonly string[],
  ): Promise<string[]>;
  protected abstract _ensureGroup(stream: string, group: string, from: '0' | '$'): Promise<void>;
  /** Reads with checked options; returns `[]` rather than failing once the broker closes. */
  protected abstract _read(at: GroupConsumer, options: ReadOptions): Promise<ReceivedMessage[]>;
  protected abstract _trim(stream: string, maxLength: number | undefined): Promise<number>;
  protected abstract _streamInfo(stream: string): Promise<StreamInfo>;
  protected abstract _ping(): Promise<void>;
  /** Runs once, on the first `close()`: wakes blocked reads, closes connections. */
  protected abstract _close(): Promise<void>;

  /** How an operation is named in errors; an adapter may say more (`create group "G" on "s"`). */
  protected actionOf(operation: BrokerOperation, _stream?: string, _group?: string): string {
    return operation;
  }

  /** Runs one operation under {@link command}, or only the closed check when it is local. */
  protected operation<T>(
    operation: BrokerOperation,
    run: () => Promise<T>,
    stream?: string,
    group?: string,
  ): Promise<T> {
    const action = this.actionOf(operation, stream, group);
    if (!this.localOperations.has(operation)) return this.command(action, run);
    this.assertOpen(action);
    return run();
  }

  /** Refuses after close and after a fatal refusal; translates what `run` throws. */
  protected async command<T>(action: string, run: () => Promise<T>): Promise<T> {
    this.assertOpen(action);
    const fatal = this.errors?.fatalError;
    if (fatal) throw fatal;
    try {
      return await run();
    } catch (error) {
      throw this.errors ? this.errors.toBrokerError(error, action) : error;
    }
  }

  protected assertOpen(operation: string): void {
    if (this.closeCalled) throw new BrokerClosedError(this.name, operation);
  }
}

import type { BrokerCapabilities, OutgoingMessage, OutboxBroker } from 'nestjs-protean';

/** A broker double for the outbox processor: keeps what it is given, fails on demand. */
export class RecordingBroker implements OutboxBroker {
  readonly name = 'default';
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
  readonly published: OutgoingMessage[] = [];
  /** When set, every publish fails with this error. */
  failWith?: Error;
  /** When set, publishing waits for it (to hold a batch in flight). */
  hold?: Promise<void>;
  /** Resolves when a publish starts. */
  private started?: () => void;

  async publishBatch(messages: readonly OutgoingMessage[]): Promise<string[]> {
    this.started?.();
    await this.hold;
    if (this.failWith) throw this.failWith;
    this.published.push(...messages);
    return messages.map((_, index) => `${this.published.length}-${index}`);
  }

  /** Resolves when the next publish starts. */
  nextPublish(): Promise<void> {
    return new Promise((resolve) => (this.started = resolve));
  }
}

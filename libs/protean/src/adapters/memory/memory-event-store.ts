import type { MessageEnvelope } from '../../core/messages/message-envelope.js';
import type { EventStore, StoredEvent } from '../../ports/event-store/event-store.port.js';

/** The `memory` event store: for development and tests; everything is lost at exit. */
export class MemoryEventStore implements EventStore {
  readonly provider = 'memory';
  readonly joinsUnitOfWork = false;
  private readonly events: StoredEvent[] = [];
  private readonly streamLengths = new Map<string, number>();

  async append(envelopes: readonly MessageEnvelope[]): Promise<void> {
    for (const envelope of envelopes) {
      const streamPosition = (this.streamLengths.get(envelope.stream) ?? 0) + 1;
      this.streamLengths.set(envelope.stream, streamPosition);
      this.events.push({
        globalPosition: this.events.length + 1,
        streamPosition,
        envelope: structuredClone(envelope),
      });
    }
  }

  async readAll(afterPosition: number, limit: number): Promise<StoredEvent[]> {
    return this.events.slice(afterPosition, afterPosition + limit).map((e) => structuredClone(e));
  }

  async readStream(stream: string): Promise<StoredEvent[]> {
    return this.events.filter((e) => e.envelope.stream === stream).map((e) => structuredClone(e));
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}

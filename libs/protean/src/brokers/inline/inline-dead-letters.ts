import {
  deadLetterStream,
  isDeadLetterStream,
  originalStreamOf,
  type DeadLetter,
  type DeadLetterProvenance,
} from '../broker.port.js';
import { fromDeadLetterFields, toDeadLetterFields } from '../dead-letter-fields.js';
import { AmbiguousDeadLetterIdError } from '../errors/ambiguous-dead-letter-id.error.js';
import { DeadLetterNotReplayableError } from '../errors/dead-letter-not-replayable.error.js';
import { compareStreamIds, isStreamId } from '../stream-id.js';
import type { InlineStream } from './inline-stream.js';

/** The streams of an inline broker and how to publish to them, as the DLQ needs them. */
export interface InlineStreamStore {
  readonly brokerName: string;
  stream(name: string): InlineStream;
  existing(name: string): InlineStream | undefined;
  names(): Iterable<string>;
  drop(name: string): void;
  nextId(): string;
  publish(stream: string, data: string): Promise<string>;
}

/** Dead letters of the inline broker: `<stream>:dlq` streams held in memory. */
export class InlineDeadLetters {
  constructor(private readonly store: InlineStreamStore) {}

  /** Writes a failed message to `<stream>:dlq`. */
  write(stream: string, data: string | undefined, provenance: DeadLetterProvenance): string {
    const id = this.store.nextId();
    this.store
      .stream(deadLetterStream(stream))
      .append(id, toDeadLetterFields(stream, data, provenance));
    return id;
  }

  /** Dead letters of one stream, or all, oldest first. */
  list(stream: string | undefined, limit: number): DeadLetter[] {
    const letters = this.dlqNames(stream).flatMap((dlq) =>
      this.store
        .existing(dlq)!
        .head(limit)
        .map((entry) => fromDeadLetterFields(entry.id, originalStreamOf(dlq), entry.fields)),
    );
    return letters.sort((a, b) => compareStreamIds(a.id, b.id)).slice(0, limit);
  }

  /** One dead letter by DLQ entry id; without a stream, the id must be in one DLQ only. */
  inspect(id: string, stream?: string): DeadLetter | undefined {
    if (!isStreamId(id)) return undefined;
    const found = this.dlqNames(stream).flatMap((dlq) => {
      const entry = this.store.existing(dlq)!.find(id);
      return entry ? [fromDeadLetterFields(entry.id, originalStreamOf(dlq), entry.fields)] : [];
    });
    if (found.length > 1) {
      const streams = found.map((letter) => letter.stream);
      throw new AmbiguousDeadLetterIdError(this.store.brokerName, id, streams);
    }
    return found[0];
  }

  /** Publishes a dead letter back to its stream, then removes it from the DLQ. */
  async replay(id: string, stream?: string): Promise<boolean> {
    const letter = this.inspect(id, stream);
    if (!letter) return false;
    if (letter.data === undefined) {
      throw new DeadLetterNotReplayableError(this.store.brokerName, letter.stream, id);
    }
    await this.store.publish(letter.stream, letter.data);
    this.store.existing(deadLetterStream(letter.stream))?.remove(id);
    return true;
  }

  /** Removes the dead letters of one stream or of all; returns how many. */
  purge(stream?: string): number {
    let purged = 0;
    for (const dlq of this.dlqNames(stream)) {
      purged += this.store.existing(dlq)!.length;
      this.store.drop(dlq);
    }
    return purged;
  }

  private dlqNames(stream: string | undefined): string[] {
    // Only an omitted stream means every stream: an empty name is a name (of nothing).
    const names = stream !== undefined ? [deadLetterStream(stream)] : [...this.store.names()];
    return names.filter((name) => isDeadLetterStream(name) && this.store.existing(name));
  }
}

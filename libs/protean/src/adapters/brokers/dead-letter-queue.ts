import {
  deadLetterStream,
  originalStreamOf,
  type DeadLetter,
  type DeadLetterProvenance,
  type DeadLetterRange,
} from '../../ports/broker/broker.port.js';
import { fromDeadLetterFields, toDeadLetterFields } from '../../ports/broker/dead-letter-fields.js';
import { AmbiguousDeadLetterIdError } from '../../ports/broker/ambiguous-dead-letter-id.error.js';
import { DeadLetterNotReplayableError } from '../../ports/broker/dead-letter-not-replayable.error.js';
import { compareStreamIds, isStreamId } from '../../ports/broker/stream-id.js';
import { compareDeadLetters } from '../../ports/broker/dead-letter-pages.js';

/** Which entries of a stream a read takes, by id; no bound: from its start, to its end. */
export interface EntryBounds {
  readonly start?: { readonly id: string; readonly exclusive: boolean };
  /** The last id to take (inclusive). */
  readonly end?: string;
}

/** The largest sequence part of an id: `<ms>-MAX_SEQ` is the last id of a millisecond. */
const MAX_SEQ = '18446744073709551615';

/** One stored entry: its id and fields. */
export interface StoredEntry {
  readonly id: string;
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * What the dead-letter algorithm needs of an adapter's streams. Every method takes the names of
 * DLQ streams, which may not exist: a missing stream reads as empty.
 */
export interface DeadLetterStreams {
  /** Appends an entry to `stream`; resolves to its id. */
  append(stream: string, fields: Readonly<Record<string, string>>): Promise<string>;
  /** Up to `limit` entries of each stream within its bounds, oldest first, one list per stream. */
  range(
    streams: readonly string[],
    bounds: readonly EntryBounds[],
    limit: number,
  ): Promise<StoredEntry[][]>;
  /** The entry `id` of each stream where it is, one list per stream. */
  find(streams: readonly string[], id: string): Promise<StoredEntry[][]>;
  /** Deletes entries of `stream`; resolves to how many there were. */
  remove(stream: string, ids: readonly string[]): Promise<number>;
  /** Deletes `stream`; resolves to how many entries it held. */
  drop(stream: string): Promise<number>;
  /** Every DLQ stream there is (names ending in `:dlq`). */
  deadLetterStreams(): Promise<string[]>;
}

/**
 * Dead letters on `<stream>:dlq` streams, the one algorithm of every adapter that keeps them:
 * the adapter supplies its streams ({@link DeadLetterStreams}) and how to publish. Replay
 * publishes to `<stream>` and then deletes from `<stream>:dlq`, so a crash in between replays
 * twice rather than losing the message.
 */
export class DeadLetterQueue {
  constructor(
    private readonly brokerName: string,
    private readonly streams: DeadLetterStreams,
    private readonly publish: (stream: string, data: string) => Promise<string>,
  ) {}

  /** Writes a failed message to `<stream>:dlq`. */
  write(
    stream: string,
    data: string | undefined,
    provenance: DeadLetterProvenance,
  ): Promise<string> {
    return this.streams.append(
      deadLetterStream(stream),
      toDeadLetterFields(stream, data, provenance),
    );
  }

  /**
   * Dead letters of one stream, or of all, oldest first (by id, then stream), within `range`:
   * each DLQ is read from where the range starts for it, and the lists merged.
   */
  async list(
    stream: string | undefined,
    limit: number,
    range: DeadLetterRange = {},
  ): Promise<DeadLetter[]> {
    const dlqs = await this.dlqNames(stream);
    const bounds = dlqs.map((dlq) => boundsOf(originalStreamOf(dlq), range));
    const letters = this.toLetters(dlqs, await this.streams.range(dlqs, bounds, limit));
    return letters.sort(compareDeadLetters).slice(0, limit);
  }

  /** One dead letter by DLQ entry id; without a stream, the id must be in one DLQ only. */
  async inspect(id: string, stream?: string): Promise<DeadLetter | undefined> {
    // A mistyped id is not found, rather than a broker syntax error.
    if (!isStreamId(id)) return undefined;
    const dlqs = await this.dlqNames(stream);
    const found = this.toLetters(dlqs, await this.streams.find(dlqs, id));
    if (found.length > 1) {
      const streams = found.map((letter) => letter.stream);
      throw new AmbiguousDeadLetterIdError(this.brokerName, id, streams);
    }
    return found[0];
  }

  /** Publishes a dead letter back to its stream, then removes it from the DLQ. */
  async replay(id: string, stream?: string): Promise<boolean> {
    const letter = await this.inspect(id, stream);
    if (!letter) return false;
    if (letter.data === undefined) {
      throw new DeadLetterNotReplayableError(this.brokerName, letter.stream, id);
    }
    await this.publish(letter.stream, letter.data);
    await this.streams.remove(deadLetterStream(letter.stream), [id]);
    return true;
  }

  /** Removes the letters `ids` of `stream`; resolves to how many there were. */
  async remove(stream: string, ids: readonly string[]): Promise<number> {
    // A mistyped id is not there, rather than a broker syntax error.
    const valid = ids.filter(isStreamId);
    return valid.length === 0 ? 0 : this.streams.remove(deadLetterStream(stream), valid);
  }

  /** Removes the dead letters of one stream or of all; resolves to how many. */
  async purge(stream?: string): Promise<number> {
    let purged = 0;
    for (const dlq of await this.dlqNames(stream)) purged += await this.streams.drop(dlq);
    return purged;
  }

  private toLetters(dlqs: readonly string[], entries: readonly StoredEntry[][]): DeadLetter[] {
    return dlqs.flatMap((dlq, index) =>
      entries[index].map((entry) =>
        fromDeadLetterFields(entry.id, originalStreamOf(dlq), entry.fields),
      ),
    );
  }

  private dlqNames(stream: string | undefined): Promise<string[]> {
    // Only an omitted stream means every stream: an empty name is a name (of nothing).
    if (stream !== undefined) return Promise.resolve([deadLetterStream(stream)]);
    return this.streams.deadLetterStreams();
  }
}

/**
 * Where a listing within `range` starts and ends on the DLQ of `stream`. A page goes on after
 * the (id, stream) it ended at: on a stream named after that one, the same id is still to come.
 */
export function boundsOf(stream: string, range: DeadLetterRange): EntryBounds {
  let start: EntryBounds['start'];
  if (range.sinceMs !== undefined)
    start = { id: `${Math.max(0, range.sinceMs)}-0`, exclusive: false };
  if (range.after) {
    const exclusive = stream <= range.after.stream;
    const after = { id: range.after.id, exclusive };
    const order = start ? compareStreamIds(after.id, start.id) : 1;
    if (order > 0 || (order === 0 && exclusive)) start = after;
  }
  const end = range.untilMs !== undefined ? `${Math.max(0, range.untilMs)}-${MAX_SEQ}` : undefined;
  return { start, end };
}

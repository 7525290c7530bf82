import type { Redis } from 'ioredis';
import {
  deadLetterStream,
  originalStreamOf,
  type DeadLetter,
  type DeadLetterProvenance,
} from '../broker.port.js';
import { fromDeadLetterFields, toDeadLetterFields } from '../dead-letter-fields.js';
import { AmbiguousDeadLetterIdError } from '../errors/ambiguous-dead-letter-id.error.js';
import { DeadLetterNotReplayableError } from '../errors/dead-letter-not-replayable.error.js';
import type { RedisTarget } from '../redis-client/redis-target.js';
import { compareStreamIds, isStreamId } from '../stream-id.js';
import { unwrapPipelineResults } from '../redis-client/pipeline-results.js';
import { parseEntries } from './stream-reply.parser.js';

/**
 * Dead letters on `<stream>:dlq` streams. Each command touches one key, except replay, which
 * writes `<stream>` and then deletes from `<stream>:dlq` (two commands, so a crash in between
 * replays twice rather than losing the message). Without a stream, the DLQs are found with
 * SCAN, which on Redis Cluster sees only the node the connection is on.
 */
export class RedisDeadLetters {
  constructor(
    private readonly client: Redis,
    private readonly target: RedisTarget,
    private readonly publish: (stream: string, data: string) => Promise<string>,
  ) {}

  /** Writes a failed message to `<stream>:dlq`. */
  async write(
    stream: string,
    data: string | undefined,
    provenance: DeadLetterProvenance,
  ): Promise<string> {
    const fields = Object.entries(toDeadLetterFields(stream, data, provenance)).flat();
    const id = await this.attempt(`dead-letter to "${deadLetterStream(stream)}"`, () =>
      this.client.xadd(deadLetterStream(stream), '*', ...fields),
    );
    return id!;
  }

  /** Dead letters of one stream, or of all streams, oldest first. */
  async list(stream: string | undefined, limit: number): Promise<DeadLetter[]> {
    const keys = await this.dlqKeys(stream);
    const pipeline = this.client.pipeline();
    for (const key of keys) pipeline.xrange(key, '-', '+', 'COUNT', limit);
    const replies = await this.attempt('list dead letters', async () =>
      unwrapPipelineResults(await pipeline.exec()),
    );
    const letters = keys.flatMap((key, index) => this.toLetters(key, replies[index]));
    return letters.sort((a, b) => compareStreamIds(a.id, b.id)).slice(0, limit);
  }

  /** One dead letter by its DLQ entry id; without a stream, the id must be in one DLQ only. */
  async inspect(id: string, stream?: string): Promise<DeadLetter | undefined> {
    // A mistyped id is not found, rather than a Redis syntax error.
    if (!isStreamId(id)) return undefined;
    const keys = await this.dlqKeys(stream);
    const pipeline = this.client.pipeline();
    for (const key of keys) pipeline.xrange(key, id, id);
    const replies = await this.attempt(`inspect dead letter ${id}`, async () =>
      unwrapPipelineResults(await pipeline.exec()),
    );
    const found = keys.flatMap((key, index) => this.toLetters(key, replies[index]));
    if (found.length > 1) {
      throw new AmbiguousDeadLetterIdError(
        this.target.brokerName,
        id,
        found.map((letter) => letter.stream),
      );
    }
    return found[0];
  }

  /** Publishes a dead letter back to its stream, then deletes it from the DLQ. */
  async replay(id: string, stream?: string): Promise<boolean> {
    const letter = await this.inspect(id, stream);
    if (!letter) return false;
    if (letter.data === undefined) {
      throw new DeadLetterNotReplayableError(this.target.brokerName, letter.stream, id);
    }
    await this.publish(letter.stream, letter.data);
    await this.attempt(`delete dead letter ${id}`, () =>
      this.client.xdel(deadLetterStream(letter.stream), id),
    );
    return true;
  }

  /** Deletes the DLQ of one stream, or every DLQ; resolves to how many letters were removed. */
  async purge(stream?: string): Promise<number> {
    let purged = 0;
    for (const key of await this.dlqKeys(stream)) {
      const [length] = await this.attempt(`purge "${key}"`, async () =>
        unwrapPipelineResults(await this.client.multi().xlen(key).del(key).exec()),
      );
      purged += Number(length);
    }
    return purged;
  }

  private toLetters(key: string, reply: unknown): DeadLetter[] {
    return parseEntries(reply).map((entry) =>
      fromDeadLetterFields(entry.id, originalStreamOf(key), entry.fields),
    );
  }

  private async dlqKeys(stream: string | undefined): Promise<string[]> {
    // Only an omitted stream means every stream: an empty name is a name (of nothing).
    if (stream !== undefined) return [deadLetterStream(stream)];
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, found] = await this.attempt('find dead-letter streams', () =>
        this.client.scan(cursor, 'MATCH', '*:dlq', 'COUNT', 1000, 'TYPE', 'stream'),
      );
      for (const key of found) keys.add(key);
      cursor = next;
    } while (cursor !== '0');
    return [...keys].sort();
  }

  private async attempt<T>(action: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw this.target.toBrokerError(error, action);
    }
  }
}

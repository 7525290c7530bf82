import type { ChainableCommander, Redis } from 'ioredis';
import type { DeadLetterStreams, StoredEntry } from '../../brokers/dead-letter-queue.js';
import { unwrapPipelineResults } from '../client/pipeline-results.js';
import type { RedisTarget } from '../client/redis-target.js';
import { parseEntries } from './stream-reply.parser.js';

/**
 * The DLQ streams of Redis for the shared dead-letter algorithm. Each command touches one key;
 * reads of several DLQs go in one pipeline. Every DLQ is found with SCAN, which on Redis
 * Cluster sees only the node the connection is on.
 */
export class RedisDeadLetterStreams implements DeadLetterStreams {
  constructor(
    private readonly client: Redis,
    private readonly target: RedisTarget,
  ) {}

  async append(stream: string, fields: Readonly<Record<string, string>>): Promise<string> {
    const id = await this.attempt(`dead-letter to "${stream}"`, () =>
      this.client.xadd(stream, '*', ...Object.entries(fields).flat()),
    );
    return id!;
  }

  head(streams: readonly string[], limit: number): Promise<StoredEntry[][]> {
    return this.ranges('list dead letters', streams, (pipeline, key) =>
      pipeline.xrange(key, '-', '+', 'COUNT', limit),
    );
  }

  find(streams: readonly string[], id: string): Promise<StoredEntry[][]> {
    return this.ranges(`inspect dead letter ${id}`, streams, (pipeline, key) =>
      pipeline.xrange(key, id, id),
    );
  }

  async remove(stream: string, id: string): Promise<void> {
    await this.attempt(`delete dead letter ${id}`, () => this.client.xdel(stream, id));
  }

  async drop(stream: string): Promise<number> {
    const [length] = await this.attempt(`purge "${stream}"`, async () =>
      unwrapPipelineResults(await this.client.multi().xlen(stream).del(stream).exec()),
    );
    return Number(length);
  }

  async deadLetterStreams(): Promise<string[]> {
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

  private async ranges(
    action: string,
    streams: readonly string[],
    range: (pipeline: ChainableCommander, key: string) => unknown,
  ): Promise<StoredEntry[][]> {
    const pipeline = this.client.pipeline();
    for (const key of streams) range(pipeline, key);
    const replies = await this.attempt(action, async () =>
      unwrapPipelineResults(await pipeline.exec()),
    );
    return streams.map((_, index) => parseEntries(replies[index]));
  }

  private async attempt<T>(action: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw this.target.toBrokerError(error, action);
    }
  }
}

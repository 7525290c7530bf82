import type { Cluster, Redis } from 'ioredis';
import type {
  DeadLetterStreams,
  EntryBounds,
  StoredEntry,
} from '../../brokers/dead-letter-queue.js';
import { unwrapPipelineResults } from '../client/pipeline-results.js';
import type { RedisClient, RedisTarget } from '../client/redis-target.js';
import type { StreamKeys } from './stream-keys.js';
import { parseEntries } from './stream-reply.parser.js';

/**
 * The DLQ streams of Redis for the shared dead-letter algorithm. Each command touches one key,
 * and reads of several DLQs run side by side, one command each (a cluster keeps them on
 * different nodes). Every DLQ is found with SCAN, on a cluster on each master in turn.
 */
export class RedisDeadLetterStreams implements DeadLetterStreams {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: StreamKeys,
    private readonly target: RedisTarget,
  ) {}

  async append(stream: string, fields: Readonly<Record<string, string>>): Promise<string> {
    const id = await this.attempt(`dead-letter to "${stream}"`, () =>
      this.client.xadd(this.keys.of(stream), '*', ...Object.entries(fields).flat()),
    );
    return id!;
  }

  async range(
    streams: readonly string[],
    bounds: readonly EntryBounds[],
    limit: number,
  ): Promise<StoredEntry[][]> {
    const replies = await this.attempt('list dead letters', () =>
      Promise.all(
        streams.map((stream, index) => {
          const { start, end } = bounds[index];
          const from = start ? `${start.exclusive ? '(' : ''}${start.id}` : '-';
          return this.client.xrange(this.keys.of(stream), from, end ?? '+', 'COUNT', limit);
        }),
      ),
    );
    return replies.map((reply) => parseEntries(reply));
  }

  find(streams: readonly string[], id: string): Promise<StoredEntry[][]> {
    return this.ranges(`inspect dead letter ${id}`, streams, (key) =>
      this.client.xrange(key, id, id),
    );
  }

  remove(stream: string, ids: readonly string[]): Promise<number> {
    return this.attempt(`delete dead letters of "${stream}"`, () =>
      this.client.xdel(this.keys.of(stream), ...ids),
    );
  }

  async drop(stream: string): Promise<number> {
    const key = this.keys.of(stream);
    const [length] = await this.attempt(`purge "${stream}"`, async () =>
      unwrapPipelineResults(await this.client.multi().xlen(key).del(key).exec()),
    );
    return Number(length);
  }

  async deadLetterStreams(): Promise<string[]> {
    const found = await Promise.all((await this.nodes()).map((node) => this.scanDlqs(node)));
    const streams = found.flat().map((key) => this.keys.deadLetterStreamOf(key));
    return [...new Set(streams.filter((name) => name !== undefined))].sort();
  }

  /** The one Redis, or every master of the cluster (known once the client connected). */
  private async nodes(): Promise<Redis[]> {
    if (!this.keys.cluster) return [this.client as Redis];
    const cluster = this.client as Cluster;
    if (cluster.status !== 'ready') {
      await this.attempt('find dead-letter streams', () => cluster.ping());
    }
    return cluster.nodes('master');
  }

  private async scanDlqs(node: Redis): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await this.attempt('find dead-letter streams', () =>
        node.scan(cursor, 'MATCH', '*:dlq', 'COUNT', 1000, 'TYPE', 'stream'),
      );
      keys.push(...found);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  }

  private async ranges(
    action: string,
    streams: readonly string[],
    range: (key: string) => Promise<[string, string[]][]>,
  ): Promise<StoredEntry[][]> {
    const replies = await this.attempt(action, () =>
      Promise.all(streams.map((stream) => range(this.keys.of(stream)))),
    );
    return replies.map((reply) => parseEntries(reply));
  }

  private async attempt<T>(action: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw this.target.toBrokerError(error, action);
    }
  }
}

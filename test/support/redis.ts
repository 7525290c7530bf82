import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deserializeEnvelope, type MessageEnvelope } from 'nestjs-protean';

/** The shared Redis every integration test uses (never flushed: others share it). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A plain client for writing by hand and cleaning up; close it with `disconnect()`. */
export const rawRedis = (url = REDIS_URL): Redis => new Redis(url, { maxRetriesPerRequest: 1 });

/** Deletes the given streams and their DLQs, and nothing else. */
export async function deleteStreams(client: Redis, streams: Iterable<string>): Promise<void> {
  const keys = [...streams].flatMap((stream) => [stream, `${stream}:dlq`]);
  for (const key of keys) await client.del(key);
}

/** A domain name no other test uses, so its streams (`<domain>::…`) are this test's alone. */
export const uniqueDomain = (prefix = 't'): string => `${prefix}${randomBytes(5).toString('hex')}`;

/** Reads whole streams back, and deletes what a test created (never FLUSHALL: others share it). */
export class StreamReader {
  readonly client: Redis;
  private readonly domains = new Set<string>();

  constructor(uri = REDIS_URL) {
    this.client = new Redis(uri, { lazyConnect: false });
  }

  /** The envelopes on `stream`, oldest first. */
  async envelopes(stream: string): Promise<MessageEnvelope[]> {
    return (await this.raw(stream)).map((data) => deserializeEnvelope(data));
  }

  /** The `data` field of every entry on `stream`, oldest first. */
  async raw(stream: string): Promise<string[]> {
    const entries = await this.client.xrange(stream, '-', '+');
    return entries.map(([, fields]) => fields[fields.indexOf('data') + 1]);
  }

  async length(stream: string): Promise<number> {
    return this.client.xlen(stream);
  }

  /** A {@link uniqueDomain} that {@link deleteDomains} cleans up. */
  newDomain(prefix?: string): string {
    const domain = uniqueDomain(prefix);
    this.domains.add(domain);
    return domain;
  }

  /** Deletes every key of each domain from {@link newDomain} so far. */
  async deleteDomains(): Promise<void> {
    const domains = [...this.domains];
    this.domains.clear();
    await Promise.all(domains.map((domain) => this.deleteDomain(domain)));
  }

  /** Deletes every key of a test domain. */
  async deleteDomain(domain: string): Promise<void> {
    const keys = await this.client.keys(`${domain}::*`);
    if (keys.length > 0) await this.client.del(...keys);
  }

  async close(): Promise<void> {
    await this.client.quit();
  }
}

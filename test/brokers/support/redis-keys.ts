import { Redis } from 'ioredis';

/** The shared Redis every integration test uses (never flushed: others share it). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A plain client for writing by hand and cleaning up; close it with `disconnect()`. */
export const rawRedis = (url = REDIS_URL): Redis => new Redis(url, { maxRetriesPerRequest: 1 });

/** Deletes the given streams and their DLQs, and nothing else. */
export async function deleteStreams(client: Redis, streams: Iterable<string>): Promise<void> {
  const keys = [...streams].flatMap((stream) => [stream, `${stream}:dlq`]);
  for (const key of keys) await client.del(key);
}

import type { Redis } from 'ioredis';

/** A `<stream>:dlq` entry as written by the engine: the original data and its provenance. */
export interface DeadLetterEntry {
  readonly id: string;
  readonly data?: string;
  readonly stream: string;
  readonly originalId: string;
  readonly group: string;
  readonly error: string;
  readonly attempts: number;
}

/** Every entry of `<stream>:dlq`, oldest first. */
export async function deadLetterEntries(redis: Redis, stream: string): Promise<DeadLetterEntry[]> {
  const entries = await redis.xrange(`${stream}:dlq`, '-', '+');
  return entries.map(([id, flat]) => {
    const fields: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
    return {
      id,
      data: fields.data,
      stream: fields.stream,
      originalId: fields.originalId,
      group: fields.group,
      error: fields.error,
      attempts: Number(fields.attempts),
    };
  });
}

/** Pending and undelivered entries of one group (XINFO GROUPS), `undefined` without the group. */
export async function groupBacklog(
  redis: Redis,
  stream: string,
  group: string,
): Promise<{ pending: number; lag: number } | undefined> {
  const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
  for (const flat of groups) {
    const info: Record<string, unknown> = {};
    for (let i = 0; i < flat.length; i += 2) info[String(flat[i])] = flat[i + 1];
    if (info.name === group) return { pending: Number(info.pending), lag: Number(info.lag) };
  }
  return undefined;
}

import { randomUUID } from 'node:crypto';

/** A name no other test (of any worker, of anyone sharing the Redis) uses. */
export const uniqueName = (prefix: string): string =>
  `test:${prefix}:${process.pid}:${randomUUID().slice(0, 8)}`;

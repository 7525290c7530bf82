import type { RedisClient } from '../client/redis-target.js';
import { z } from 'zod';
import type { WorkerPresence, WorkerRegistry } from '../../../ports/broker/broker.port.js';

/** The hash of running workers: one field per consumer name, its announcement as JSON. */
export const WORKERS_KEY = 'protean:workers';

interface Announcement extends WorkerPresence {
  /** Epoch milliseconds, the announcing worker's clock, after which it is forgotten. */
  readonly expiresAt: number;
}

/**
 * Running workers in one Redis hash, {@link WORKERS_KEY}. An announcement carries its own
 * expiry, since a hash field has no time to live of its own: a reader skips the expired ones
 * and removes them. Expiry compares the worker's clock with the reader's, so hosts are assumed
 * to agree within a few seconds (NTP). A field that is not an announcement (written by someone
 * else) is skipped, never trusted.
 */
export class RedisWorkerRegistry implements WorkerRegistry {
  constructor(
    private readonly client: RedisClient,
    private readonly now: () => number = Date.now,
  ) {}

  async announceWorker(presence: WorkerPresence, ttlMs: number): Promise<void> {
    const announcement: Announcement = { ...presence, expiresAt: this.now() + ttlMs };
    await this.client.hset(WORKERS_KEY, presence.consumer, JSON.stringify(announcement));
  }

  async withdrawWorker(consumer: string): Promise<void> {
    await this.client.hdel(WORKERS_KEY, consumer);
  }

  async runningWorkers(): Promise<WorkerPresence[]> {
    const fields = await this.client.hgetall(WORKERS_KEY);
    const now = this.now();
    const running: WorkerPresence[] = [];
    const expired: string[] = [];
    for (const [consumer, text] of Object.entries(fields)) {
      const announcement = parseAnnouncement(consumer, text);
      if (!announcement) continue;
      if (announcement.expiresAt <= now) expired.push(consumer);
      else running.push(presenceOf(announcement));
    }
    if (expired.length > 0) await this.client.hdel(WORKERS_KEY, ...expired);
    return running.sort((a, b) => a.consumer.localeCompare(b.consumer));
  }
}

function presenceOf({ expiresAt: _expiry, ...presence }: Announcement): WorkerPresence {
  return presence;
}

const ANNOUNCEMENT = z.object({
  consumer: z.string(),
  host: z.string(),
  pid: z.number(),
  handlers: z.array(z.string()),
  pool: z.string().nullable(),
  startedAt: z.string(),
  seenAt: z.string(),
  expiresAt: z.number(),
  partitions: z.record(z.string(), z.number().int().positive()).optional(),
});

function parseAnnouncement(consumer: string, text: string): Announcement | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = ANNOUNCEMENT.safeParse(value);
  return parsed.success && parsed.data.consumer === consumer ? parsed.data : undefined;
}

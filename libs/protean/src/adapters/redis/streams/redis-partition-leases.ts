import type {
  GroupConsumer,
  PartitionBalance,
  PartitionLease,
  PartitionShare,
  ReadOptions,
  ReceivedMessage,
} from '../../../ports/broker/broker.port.js';
import { partitionOf } from '../../../core/messages/stream-partitions.js';
import type { BlockingReaderPool } from './blocking-reader-pool.js';
import type { RedisClient } from '../client/redis-target.js';
import type { StreamKeys } from './stream-keys.js';
import {
  BALANCE_PARTITIONS_SCRIPT,
  LEAVE_PARTITIONS_SCRIPT,
  READ_UNDER_LEASE_SCRIPT,
  RELEASE_PARTITION_SCRIPT,
} from './partition-leases.lua.js';
import { parseReadReply } from './stream-reply.parser.js';

/**
 * The hash of a group's members and leases on a partitioned category. The braces are a hash
 * tag: on a cluster it lands in the slot of the category's partition streams (whose tag is the
 * category, see `stream-keys.ts`), so the fenced read's script names keys of one slot.
 */
export const partitionLeasesKey = (category: string, group: string): string =>
  `protean:leases:{${category}}:${group}`;

/**
 * The partition counts categories' streams are laid out in: one hash, field the category, so
 * that a publisher reads every layout in one command (on a cluster too).
 */
export const PARTITION_LAYOUTS_KEY = 'protean:partition-layouts';

/** A fenced read: `lost`, or what it read and the id of the stream's last entry. */
type FencedRead =
  | { readonly lost: true }
  | { readonly lost: false; readonly tail: string; readonly messages: ReceivedMessage[] };

/**
 * Partition leases on Redis (the scripts in `partition-leases.lua.ts`): balancing and release
 * are one script each on one key; the fenced read checks the lease and reads in one script,
 * then — when there was nothing to read — waits on a blocking reader for an entry after the
 * stream's last one (`XREAD BLOCK`, which takes nothing), and reads under the lease again.
 */
export class RedisPartitionLeases {
  constructor(
    private readonly client: RedisClient,
    private readonly readers: BlockingReaderPool,
    private readonly keys: StreamKeys,
  ) {}

  async balancePartitions(balance: PartitionBalance): Promise<PartitionShare> {
    const { category, partitions, group, consumer, ttlMs } = balance;
    const reply = (await this.client.eval(
      BALANCE_PARTITIONS_SCRIPT,
      1,
      partitionLeasesKey(category, group),
      consumer,
      partitions,
      Math.ceil(ttlMs),
      // Members start their search at different partitions, so that they rarely race for one.
      partitionOf(consumer, partitions),
    )) as Array<number | string>;
    const [members, fair, ...held] = reply;
    const leases: PartitionLease[] = [];
    for (let i = 0; i < held.length; i += 2)
      leases.push({ partition: Number(held[i]), token: String(held[i + 1]) });
    return { leases, members: Number(members), fair: Number(fair) };
  }

  async releasePartition(category: string, group: string, lease: PartitionLease): Promise<void> {
    await this.client.eval(
      RELEASE_PARTITION_SCRIPT,
      1,
      partitionLeasesKey(category, group),
      lease.partition,
      lease.token,
    );
  }

  async leavePartitions(category: string, group: string, consumer: string): Promise<void> {
    await this.client.eval(
      LEAVE_PARTITIONS_SCRIPT,
      1,
      partitionLeasesKey(category, group),
      consumer,
    );
  }

  /**
   * New entries under the lease, waiting at most `blockMs`; `undefined` when the lease is lost.
   * Throws what Redis throws (a missing group: NOGROUP).
   */
  async readUnderLease(
    at: GroupConsumer,
    category: string,
    lease: PartitionLease,
    { count, blockMs }: ReadOptions,
  ): Promise<ReceivedMessage[] | undefined> {
    const first = await this.fencedRead(at, category, lease, count);
    if (first.lost) return undefined;
    if (first.messages.length > 0 || blockMs <= 0) return first.messages;
    await this.readers.run(blockMs, (client) =>
      client.call(
        'XREAD',
        'COUNT',
        1,
        'BLOCK',
        Math.ceil(blockMs),
        'STREAMS',
        this.keys.of(at.stream),
        first.tail,
      ),
    );
    const second = await this.fencedRead(at, category, lease, count);
    return second.lost ? undefined : second.messages;
  }

  async partitionLayouts(): Promise<Map<string, number>> {
    const fields = await this.client.hgetall(PARTITION_LAYOUTS_KEY);
    const layouts = new Map<string, number>();
    for (const [category, value] of Object.entries(fields)) {
      const partitions = Number(value);
      // A field not written here is skipped, never trusted.
      if (Number.isInteger(partitions) && partitions > 0) layouts.set(category, partitions);
    }
    return layouts;
  }

  async recordPartitionLayout(category: string, partitions: number): Promise<void> {
    await this.client.hset(PARTITION_LAYOUTS_KEY, category, String(partitions));
  }

  private async fencedRead(
    { stream, group, consumer }: GroupConsumer,
    category: string,
    lease: PartitionLease,
    count: number,
  ): Promise<FencedRead> {
    const reply = (await this.client.eval(
      READ_UNDER_LEASE_SCRIPT,
      2,
      partitionLeasesKey(category, group),
      this.keys.of(stream),
      lease.partition,
      lease.token,
      group,
      consumer,
      count,
    )) as [number, string?, unknown?];
    if (Number(reply[0]) !== 1) return { lost: true };
    const messages = parseReadReply(reply[2]).map((entry) => ({
      id: entry.id,
      stream,
      data: entry.fields.data,
      deliveryCount: 1,
    }));
    return { lost: false, tail: String(reply[1]), messages };
  }
}

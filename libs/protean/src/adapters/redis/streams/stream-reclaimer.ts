import type { Logger } from '@nestjs/common';
import type {
  GroupConsumer,
  ReceivedMessage,
  ReclaimOptions,
} from '../../../ports/broker/broker.port.js';
import type { RedisClient, RedisTarget } from '../client/redis-target.js';
import type { StreamKeys } from './stream-keys.js';
import {
  parseAutoClaimReply,
  parseEntries,
  parsePendingDeliveryCount,
  type RawEntry,
} from './stream-reply.parser.js';
import { TOUCH_PENDING_SCRIPT } from './touch-pending.lua.js';
import { unwrapPipelineResults } from '../client/pipeline-results.js';

/** XAUTOCLAIM rounds per call: enough to wrap around the pending list once. */
const MAX_ROUNDS = 3;

/**
 * Takes over entries that a consumer received and never acknowledged (it died, or restarted),
 * with XAUTOCLAIM. XAUTOCLAIM inspects at most ten times COUNT pending entries per call, so a
 * cursor per group carries the scan on where the last call stopped, wrapping at the end. The
 * delivery counts come from the pending list (XPENDING), where Redis keeps them: a retry count
 * survives a worker restart.
 */
export class StreamReclaimer {
  private readonly cursors = new Map<string, string>();

  constructor(
    private readonly client: RedisClient,
    private readonly keys: StreamKeys,
    private readonly logger: Logger,
    private readonly target: RedisTarget,
  ) {}

  /** Entries idle at least `minIdleMs`, now delivered to `consumer`, with their counts. */
  async reclaim(
    { stream, group, consumer }: GroupConsumer,
    { minIdleMs, count }: ReclaimOptions,
  ): Promise<ReceivedMessage[]> {
    const key = `${stream}\u0000${group}`;
    let cursor = this.cursors.get(key) ?? '0-0';
    let wrapped = cursor === '0-0';
    const claimed: RawEntry[] = [];
    for (let round = 0; round < MAX_ROUNDS && claimed.length < count; round++) {
      const reply = parseAutoClaimReply(
        await this.client.call(
          'XAUTOCLAIM',
          this.keys.of(stream),
          group,
          consumer,
          Math.max(0, Math.floor(minIdleMs)),
          cursor,
          'COUNT',
          count - claimed.length,
        ),
      );
      claimed.push(...reply.entries);
      if (reply.deleted.length) this.reportLost(stream, group, reply.deleted);
      cursor = reply.cursor;
      if (cursor === '0-0') {
        if (wrapped) break;
        wrapped = true;
      }
    }
    this.cursors.set(key, cursor);
    return this.withDeliveryCounts(stream, group, claimed);
  }

  /** The given entries, if still pending, now delivered to `consumer` (XCLAIM), with their counts. */
  async claim(
    { stream, group, consumer }: GroupConsumer,
    ids: readonly string[],
    minIdleMs: number,
  ): Promise<ReceivedMessage[]> {
    const reply = await this.client.call(
      'XCLAIM',
      this.keys.of(stream),
      group,
      consumer,
      Math.max(0, Math.floor(minIdleMs)),
      ...ids,
    );
    return this.withDeliveryCounts(stream, group, parseEntries(reply));
  }

  /** Resets the idle time of the given entries pending for `consumer`, counting no delivery. */
  async touch(
    { stream, group, consumer }: GroupConsumer,
    ids: readonly string[],
  ): Promise<string[]> {
    const touched = await this.client.eval(
      TOUCH_PENDING_SCRIPT,
      1,
      this.keys.of(stream),
      group,
      consumer,
      ...ids,
    );
    return (touched as unknown[]).map(String);
  }

  private async withDeliveryCounts(
    stream: string,
    group: string,
    entries: readonly RawEntry[],
  ): Promise<ReceivedMessage[]> {
    if (entries.length === 0) return [];
    const pipeline = this.client.pipeline();
    const key = this.keys.of(stream);
    for (const { id } of entries) pipeline.xpending(key, group, id, id, 1);
    const counts = unwrapPipelineResults(await pipeline.exec()).map(parsePendingDeliveryCount);
    return entries.map((entry, index) => ({
      id: entry.id,
      stream,
      data: entry.fields.data,
      // Claimed means delivered at least twice, even if an ack raced the XPENDING.
      deliveryCount: Math.max(counts[index], 2),
    }));
  }

  private reportLost(stream: string, group: string, ids: readonly string[]): void {
    this.logger.warn(
      `${this.target.label}: ${ids.length} pending entries of group "${group}" on "${stream}" ` +
        `were deleted from the stream before being processed (e.g. ${ids[0]}); they are dropped ` +
        `from the pending list`,
    );
  }
}

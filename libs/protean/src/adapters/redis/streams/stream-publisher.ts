import type { Cluster } from 'ioredis';
import type { OutgoingMessage } from '../../../ports/broker/broker.port.js';
import { BrokerReplicationError } from '../../../ports/broker/broker-replication.error.js';
import { unwrapPipelineResults } from '../client/pipeline-results.js';
import { isRedirectError } from '../client/redis-errors.js';
import type { RedisClient, RedisTarget } from '../client/redis-target.js';
import { slotTag, type StreamKeys } from './stream-keys.js';

/** What a publish waits for: `min_replicas` replicas within `wait_timeout_ms` (0: none). */
export interface Replication {
  readonly minReplicas: number;
  readonly waitTimeoutMs: number;
}

/**
 * Publishes a batch as one pipeline of `XADD`s per node: on one Redis a single pipeline; on a
 * cluster one per slot tag, since a cluster pipeline must stay within one slot's node. With
 * `min_replicas`, each pipeline ends in `WAIT`, which goes to the node that took its writes:
 * a pipeline short of replicas fails the publish with {@link BrokerReplicationError}, even
 * though its entries may have been written (a retry publishes them again; consumers skip
 * what they saw by message id). While a slot's master has fewer live replicas than that (its
 * replica was just promoted and has none of its own yet), every publish there fails so.
 */
export class StreamPublisher {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: StreamKeys,
    private readonly replication: Replication,
    private readonly target: RedisTarget,
  ) {}

  /** Publishes `messages`; resolves to their ids, in input order. */
  async publish(messages: readonly OutgoingMessage[]): Promise<string[]> {
    const ids = new Array<string>(messages.length);
    await Promise.all(
      this.groups(messages).map(async (indexes) => {
        const written = await this.publishGroup(indexes.map((index) => messages[index]));
        indexes.forEach((index, n) => (ids[index] = written[n]));
      }),
    );
    return ids;
  }

  /** Message indexes, one group per pipeline: all of them, or one group per slot tag. */
  private groups(messages: readonly OutgoingMessage[]): number[][] {
    if (!this.keys.cluster) return [messages.map((_, index) => index)];
    const byTag = new Map<string, number[]>();
    messages.forEach(({ stream }, index) => {
      const tag = slotTag(stream);
      byTag.set(tag, [...(byTag.get(tag) ?? []), index]);
    });
    return [...byTag.values()];
  }

  private async publishGroup(messages: readonly OutgoingMessage[]): Promise<string[]> {
    const pipeline = this.client.pipeline();
    for (const { stream, data } of messages) pipeline.xadd(this.keys.of(stream), '*', 'data', data);
    const { minReplicas, waitTimeoutMs } = this.replication;
    if (minReplicas > 0) pipeline.wait(minReplicas, waitTimeoutMs);
    let replies: unknown[];
    try {
      replies = unwrapPipelineResults(await pipeline.exec());
    } catch (error) {
      // A pipeline ending in WAIT is not redirected by ioredis: learn where the slot went now.
      if (this.keys.cluster && isRedirectError(error)) (this.client as Cluster).refreshSlotsCache();
      throw error;
    }
    if (minReplicas > 0) {
      const acknowledged = Number(replies.pop());
      if (acknowledged < minReplicas) throw this.shortOfReplicas(messages, acknowledged);
    }
    return replies as string[];
  }

  private shortOfReplicas(
    messages: readonly OutgoingMessage[],
    acknowledged: number,
  ): BrokerReplicationError {
    const streams = [...new Set(messages.map((message) => message.stream))].join('", "');
    const { minReplicas, waitTimeoutMs } = this.replication;
    return new BrokerReplicationError(
      this.target.brokerName,
      `${this.target.label}: publish to "${streams}" reached ${acknowledged} of ` +
        `min_replicas = ${minReplicas} replicas within ${waitTimeoutMs} ms; not counted as ` +
        `published (retried later). Check the replicas, or lower ` +
        `brokers.${this.target.brokerName}.min_replicas`,
    );
  }
}

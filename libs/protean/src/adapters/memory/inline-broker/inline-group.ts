import { compareStreamIds } from '../../../ports/broker/stream-id.js';

/** A delivered, unacknowledged entry: Redis's pending-entries-list record. */
export interface PendingRecord {
  consumer: string;
  deliveredAt: number;
  deliveryCount: number;
}

/** One consumer group of an in-memory stream: its position, pending list and consumers. */
export class InlineGroup {
  /** Entries delivered and not acknowledged, by entry id. */
  readonly pending = new Map<string, PendingRecord>();
  readonly consumers = new Set<string>();
  /** Entries delivered with `>` since the group was created (Redis `entries-read`). */
  entriesRead = 0;

  constructor(
    readonly name: string,
    /** The last entry id handed out with `>`; later entries are undelivered. */
    public lastDeliveredId: string,
  ) {}

  /** Records a first delivery of `ids` to `consumer`. */
  recordDelivery(ids: readonly string[], consumer: string, now: number): void {
    this.consumers.add(consumer);
    for (const id of ids) this.pending.set(id, { consumer, deliveredAt: now, deliveryCount: 1 });
    if (ids.length) this.lastDeliveredId = ids[ids.length - 1];
    this.entriesRead += ids.length;
  }

  /**
   * Moves pending entries idle at least `minIdleMs` to `consumer`, oldest id first, like
   * XAUTOCLAIM. Entries that no longer exist are dropped from the pending list, as Redis 7 does.
   */
  claimIdle(
    consumer: string,
    minIdleMs: number,
    count: number,
    now: number,
    exists: (id: string) => boolean,
  ): { id: string; deliveryCount: number }[] {
    this.consumers.add(consumer);
    const claimed: { id: string; deliveryCount: number }[] = [];
    const ids = [...this.pending.keys()].sort(compareStreamIds);
    for (const id of ids) {
      if (claimed.length >= count) break;
      const record = this.pending.get(id)!;
      if (now - record.deliveredAt < minIdleMs) continue;
      if (!exists(id)) {
        this.pending.delete(id);
        continue;
      }
      record.consumer = consumer;
      record.deliveredAt = now;
      record.deliveryCount += 1;
      claimed.push({ id, deliveryCount: record.deliveryCount });
    }
    return claimed;
  }

  /** Moves the given pending entries idle at least `minIdleMs` to `consumer`, like XCLAIM. */
  claimIds(
    consumer: string,
    ids: readonly string[],
    minIdleMs: number,
    now: number,
  ): { id: string; deliveryCount: number }[] {
    this.consumers.add(consumer);
    const claimed: { id: string; deliveryCount: number }[] = [];
    for (const id of ids) {
      const record = this.pending.get(id);
      if (!record || now - record.deliveredAt < minIdleMs) continue;
      record.consumer = consumer;
      record.deliveredAt = now;
      record.deliveryCount += 1;
      claimed.push({ id, deliveryCount: record.deliveryCount });
    }
    return claimed;
  }

  /**
   * Resets the idle time of the given entries pending for `consumer`, without counting a
   * delivery, like `XCLAIM … JUSTID` on entries it owns; resolves to the ids touched.
   */
  touch(consumer: string, ids: readonly string[], now: number): string[] {
    const touched: string[] = [];
    for (const id of ids) {
      const record = this.pending.get(id);
      if (record?.consumer !== consumer) continue;
      record.deliveredAt = now;
      touched.push(id);
    }
    return touched;
  }

  /** Acknowledges entries; resolves to how many were pending. */
  acknowledge(ids: readonly string[]): number {
    let acknowledged = 0;
    for (const id of ids) if (this.pending.delete(id)) acknowledged += 1;
    return acknowledged;
  }

  /** The smallest pending id, or `undefined` when nothing is pending. */
  oldestPendingId(): string | undefined {
    let oldest: string | undefined;
    for (const id of this.pending.keys()) {
      if (oldest === undefined || compareStreamIds(id, oldest) < 0) oldest = id;
    }
    return oldest;
  }
}

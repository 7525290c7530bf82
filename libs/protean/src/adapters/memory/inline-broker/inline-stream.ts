import { compareStreamIds, ZERO_STREAM_ID } from '../../../ports/broker/stream-id.js';
import { InlineGroup } from './inline-group.js';
import type { Clock } from '../../../core/async/clock.js';
import type { EntryBounds } from '../../brokers/dead-letter-queue.js';
import { WakeSignal } from '../../../core/async/wake-signal.js';

/** One entry of an in-memory stream: an id and its fields (`data`, or DLQ provenance). */
export interface InlineEntry {
  readonly id: string;
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * An in-memory stream with Redis Streams semantics: entries in id order, consumer groups with a
 * last-delivered id and a pending list, and trimming that spares unacknowledged entries.
 */
export class InlineStream {
  readonly groups = new Map<string, InlineGroup>();
  private entries: InlineEntry[] = [];
  /** Woken on every append: readers blocked on this stream sleep on it. */
  readonly appended: WakeSignal;
  private lastId = ZERO_STREAM_ID;

  constructor(
    readonly name: string,
    clock: Clock,
  ) {
    this.appended = new WakeSignal({}, clock);
  }

  get length(): number {
    return this.entries.length;
  }

  /** Adds an entry and wakes readers waiting on this stream. */
  append(id: string, fields: Readonly<Record<string, string>>): void {
    this.entries.push({ id, fields });
    this.lastId = id;
    this.appended.wake();
  }

  /** Creates a group at `0` (everything) or `$` (after the last entry) unless it exists. */
  ensureGroup(name: string, from: '0' | '$'): InlineGroup {
    let group = this.groups.get(name);
    if (!group) {
      group = new InlineGroup(name, from === '$' ? this.lastId : ZERO_STREAM_ID);
      this.groups.set(name, group);
    }
    return group;
  }

  /** The next undelivered entries of `group`, now pending for `consumer`. */
  deliver(group: InlineGroup, consumer: string, count: number, now: number): InlineEntry[] {
    const start = this.indexAfter(group.lastDeliveredId);
    const batch = this.entries.slice(start, start + count);
    group.recordDelivery(
      batch.map((entry) => entry.id),
      consumer,
      now,
    );
    return batch;
  }

  /** The entry with `id`, if it is still in the stream. */
  find(id: string): InlineEntry | undefined {
    const index = this.indexFrom(id);
    const entry = this.entries[index];
    return entry?.id === id ? entry : undefined;
  }

  /** Up to `limit` entries within `bounds` (XRANGE), oldest first. */
  range(bounds: EntryBounds, limit: number): readonly InlineEntry[] {
    const { start, end } = bounds;
    const from = !start
      ? 0
      : start.exclusive
        ? this.indexAfter(start.id)
        : this.indexFrom(start.id);
    const to = end === undefined ? this.entries.length : this.indexAfter(end);
    return this.entries.slice(from, Math.min(to, from + limit));
  }

  /** Deletes one entry (XDEL); pending records of it stay, as in Redis. */
  remove(id: string): boolean {
    const index = this.indexFrom(id);
    if (this.entries[index]?.id !== id) return false;
    this.entries.splice(index, 1);
    return true;
  }

  /** Entries after `id`: the lag of a group whose last delivered id it is. */
  countAfter(id: string): number {
    return this.entries.length - this.indexAfter(id);
  }

  /**
   * Drops the oldest entries beyond `maxLength`, stopping at the first entry some group still
   * needs: its oldest pending entry, or its first undelivered one. Returns how many were dropped.
   */
  trim(maxLength: number): number {
    let removable = this.entries.length - maxLength;
    for (const group of this.groups.values()) {
      removable = Math.min(removable, this.indexAfter(group.lastDeliveredId));
      const oldestPending = group.oldestPendingId();
      if (oldestPending !== undefined)
        removable = Math.min(removable, this.indexFrom(oldestPending));
    }
    if (removable <= 0) return 0;
    this.entries.splice(0, removable);
    return removable;
  }

  /** Index of the first entry with id >= `id`. */
  private indexFrom(id: string): number {
    return this.search(id, (comparison) => comparison < 0);
  }

  /** Index of the first entry with id > `id`. */
  private indexAfter(id: string): number {
    return this.search(id, (comparison) => comparison <= 0);
  }

  private search(id: string, before: (comparison: number) => boolean): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (before(compareStreamIds(this.entries[middle].id, id))) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

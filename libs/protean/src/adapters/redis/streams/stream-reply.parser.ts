import type { GroupInfo } from '../../../ports/broker/broker.port.js';

/*
 * Turns raw Redis Streams replies into plain records without ever throwing: an entry written by
 * hand can have any fields, a deleted entry comes back with `null` fields, and a reader loop
 * must get whatever is there rather than an exception.
 */

/** One stream entry: its id and its fields as a record. */
export interface RawEntry {
  readonly id: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** `[k1, v1, k2, v2, …]` as a record; odd or non-string items are skipped. */
export function pairsToRecord(pairs: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  if (!Array.isArray(pairs)) return record;
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const key: unknown = pairs[i];
    const value: unknown = pairs[i + 1];
    if (typeof key === 'string' && typeof value === 'string') record[key] = value;
  }
  return record;
}

/** `[[id, [fields…] | null], …]` (XRANGE, XAUTOCLAIM's entries) as entries. */
export function parseEntries(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply)) return [];
  const entries: RawEntry[] = [];
  for (const item of reply) {
    if (!Array.isArray(item) || typeof item[0] !== 'string') continue;
    entries.push({ id: item[0], fields: pairsToRecord(item[1]) });
  }
  return entries;
}

/** XREADGROUP's `[[stream, entries]]` (or `null` after a timeout) as the entries of one stream. */
export function parseReadReply(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const [first] = reply as unknown[];
  return Array.isArray(first) ? parseEntries(first[1]) : [];
}

/** XAUTOCLAIM's `[cursor, entries, deletedIds]`. */
export function parseAutoClaimReply(reply: unknown): {
  cursor: string;
  entries: RawEntry[];
  deleted: string[];
} {
  const [cursor, entries, deleted] = Array.isArray(reply) ? (reply as unknown[]) : [];
  return {
    cursor: typeof cursor === 'string' ? cursor : '0-0',
    entries: parseEntries(entries),
    deleted: Array.isArray(deleted) ? deleted.filter((id) => typeof id === 'string') : [],
  };
}

/** The delivery count from an `XPENDING key group id id 1` reply; 0 when not pending. */
export function parsePendingDeliveryCount(reply: unknown): number {
  const [first] = Array.isArray(reply) ? (reply as unknown[]) : [];
  const count = Array.isArray(first) ? Number(first[3]) : 0;
  return Number.isFinite(count) ? count : 0;
}

const text = (value: unknown, fallback: string): string =>
  typeof value === 'string' ? value : fallback;

/** `XINFO GROUPS` as group infos; Redis 7 reports `lag` as nil when it cannot tell. */
export function parseGroupsInfo(reply: unknown): GroupInfo[] {
  if (!Array.isArray(reply)) return [];
  return reply.filter(Array.isArray).map((pairs: unknown[]) => {
    const info = new Map<string, unknown>();
    for (let i = 0; i + 1 < pairs.length; i += 2) info.set(String(pairs[i]), pairs[i + 1]);
    const lag = info.get('lag');
    const entriesRead = info.get('entries-read');
    return {
      name: text(info.get('name'), ''),
      pending: Number(info.get('pending') ?? 0),
      lag: lag === null || lag === undefined ? undefined : Number(lag),
      entriesRead:
        entriesRead === null || entriesRead === undefined ? undefined : Number(entriesRead),
      consumers: Number(info.get('consumers') ?? 0),
      lastDeliveredId: text(info.get('last-delivered-id'), '0-0'),
    };
  });
}

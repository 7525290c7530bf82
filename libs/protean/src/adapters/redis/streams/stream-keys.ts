import { isDeadLetterStream, originalStreamOf } from '../../../ports/broker/broker.port.js';

/*
 * Where a stream's keys live. On one Redis a key is the stream's name, as it always was
 * (`bookshelf::book`, `bookshelf::book:dlq`). On a Redis Cluster every key a stream needs
 * carries its hash tag, so they all land in one slot — scripts and pipelines over them stay on
 * one node — while different streams spread over the slots: `{bookshelf::book}`,
 * `{bookshelf::book}:dlq`. The tag is the name up to its first `#`, so the partitions of a
 * stream (`bookshelf::order#3` → `{bookshelf::order}#3`) share their category's slot.
 */

const DLQ_SUFFIX = ':dlq';

/** The part of a stream's name that picks its cluster slot: up to its first `#` (all of it without one). */
export function slotTag(stream: string): string {
  const hash = stream.indexOf('#');
  return hash > 0 ? stream.slice(0, hash) : stream;
}

/**
 * The key `suffix` beside `stream`: `<stream><suffix>` on one Redis, and on a cluster the same
 * with the stream's tag in braces (`{orders}#3:partitions:G`), in the stream's slot.
 */
export function keyInSlotOf(stream: string, suffix: string, cluster: boolean): string {
  if (!cluster) return `${stream}${suffix}`;
  const tag = slotTag(stream);
  return `{${tag}}${stream.slice(tag.length)}${suffix}`;
}

/** The keys of one broker's streams: hash-tagged on a cluster, the plain names otherwise. */
export class StreamKeys {
  constructor(readonly cluster: boolean) {}

  /** The key of a stream, or of a dead-letter stream `<stream>:dlq` (in its stream's slot). */
  of(name: string): string {
    return isDeadLetterStream(name)
      ? keyInSlotOf(originalStreamOf(name), DLQ_SUFFIX, this.cluster)
      : keyInSlotOf(name, '', this.cluster);
  }

  /** The key `suffix` beside `stream` (see {@link keyInSlotOf}). */
  beside(stream: string, suffix: string): string {
    return keyInSlotOf(stream, suffix, this.cluster);
  }

  /** The dead-letter stream a `…:dlq` key holds, or undefined for a key not made by {@link of}. */
  deadLetterStreamOf(key: string): string | undefined {
    if (!key.endsWith(DLQ_SUFFIX)) return undefined;
    if (!this.cluster) return key;
    const base = key.slice(0, -DLQ_SUFFIX.length);
    if (!base.startsWith('{')) return undefined;
    // The closing brace of the tag comes right before the first `#`, or ends the name.
    for (const close of [base.indexOf('#') - 1, base.length - 1]) {
      if (close > 0 && base[close] === '}') {
        return `${base.slice(1, close)}${base.slice(close + 1)}${DLQ_SUFFIX}`;
      }
    }
    return undefined;
  }
}

import type { TrailHops, TrailMessage, TrailNode } from './trail.types.js';

/**
 * Arranges the messages of one correlation id by causation: each message under the message
 * that caused it, in time order; a message whose cause is the request itself, or is not among
 * them, at the top. A causation cycle (impossible in well-formed data) cannot loop.
 */
export function buildTrail(messages: readonly TrailMessage[]): TrailNode[] {
  const byTime = [...messages].sort(
    (a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id),
  );
  const ids = new Set(byTime.map((message) => message.id));
  const children = new Map<string, TrailMessage[]>();
  const roots: TrailMessage[] = [];
  for (const message of byTime) {
    if (message.causationId !== message.id && ids.has(message.causationId)) {
      const siblings = children.get(message.causationId) ?? [];
      siblings.push(message);
      children.set(message.causationId, siblings);
    } else {
      roots.push(message);
    }
  }
  const placed = new Set<string>();
  const node = (message: TrailMessage): TrailNode => {
    placed.add(message.id);
    return {
      message,
      hops: hopsOf(message),
      children: (children.get(message.id) ?? []).filter((child) => !placed.has(child.id)).map(node),
    };
  };
  const tree = roots.map(node);
  // Messages only reachable through a cycle are shown at the top rather than lost.
  for (const message of byTime) if (!placed.has(message.id)) tree.push(node(message));
  return tree;
}

/** Where a message's time went, from the timestamps the trail read (see {@link TrailHops}). */
export function hopsOf(message: TrailMessage): TrailHops {
  const ms = (from: string, to: string) => Math.max(0, Date.parse(to) - Date.parse(from));
  const published = message.outbox?.publishedAt ?? undefined;
  const start = published ?? (message.outbox ? undefined : message.time);
  return {
    ...(message.outbox && published
      ? { commitToPublishedMs: ms(message.outbox.createdAt, published) }
      : {}),
    handled: start
      ? message.handledBy.map(({ handler, at }) => ({ handler, ms: ms(start, at) }))
      : [],
  };
}

/** Merges what several sources know of one message. */
export function mergeMessages(found: readonly TrailMessage[]): TrailMessage[] {
  const merged = new Map<string, TrailMessage>();
  for (const message of found) {
    const known = merged.get(message.id);
    if (!known) {
      merged.set(message.id, {
        ...message,
        handledBy: [...message.handledBy],
        deadLetters: [...message.deadLetters],
      });
      continue;
    }
    merged.set(message.id, {
      ...known,
      traceId: known.traceId ?? message.traceId,
      outbox: known.outbox ?? message.outbox,
      handledBy: [...known.handledBy, ...message.handledBy],
      deadLetters: [...known.deadLetters, ...message.deadLetters],
    });
  }
  return [...merged.values()];
}

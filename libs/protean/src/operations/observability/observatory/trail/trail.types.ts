/** A handler that recorded a message as processed (`processed_messages`). */
export interface TrailHandling {
  readonly handler: string;
  readonly at: string;
}

/** A dead letter of a message. */
export interface TrailDeadLetter {
  readonly broker: string;
  readonly stream: string;
  readonly id: string;
  readonly group: string;
  readonly error: string;
  readonly attempts: number;
  readonly failedAt: string;
}

/** How the outbox relayed a message. */
export interface TrailOutboxRow {
  readonly status: string;
  readonly retryCount: number;
  readonly createdAt: string;
  readonly publishedAt: string | null;
  readonly lastError: string | null;
}

/** One message of a trail, from every source that knows it. */
export interface TrailMessage {
  readonly id: string;
  readonly kind: string;
  readonly type: string;
  /** The aggregate stream (`bookshelf::book-<id>`). */
  readonly stream: string;
  readonly causationId: string;
  readonly time: string;
  /** The trace its spans are in (from its `traceparent` header); absent when it has none. */
  readonly traceId?: string;
  readonly outbox?: TrailOutboxRow;
  readonly handledBy: TrailHandling[];
  readonly deadLetters: TrailDeadLetter[];
}

/**
 * Where one message's time went, from the trail's own timestamps (the per-message view of
 * `protean_hop_seconds`): the outbox row's creation to its publish, and from that publish (or the
 * message's creation, when it did not pass through the outbox) to each handler's processed record.
 */
export interface TrailHops {
  /** `commit_to_published`, in ms; absent while the row is unpublished or without an outbox row. */
  readonly commitToPublishedMs?: number;
  /** Per handler, ms from published (or created) to processed: broker lag, queue and handling. */
  readonly handled: readonly { readonly handler: string; readonly ms: number }[];
}

/** A message and what it caused. */
export interface TrailNode {
  readonly message: TrailMessage;
  readonly hops: TrailHops;
  readonly children: TrailNode[];
}

/** Everything one outside request (one correlation id) set off, as a causation tree. */
export interface MessageTrailResult {
  readonly correlationId: string;
  /** Handlers that processed the correlation id itself (a subscriber's external entry). */
  readonly handledBy: TrailHandling[];
  /** Messages caused directly by the request (or whose cause is not in the trail). */
  readonly roots: TrailNode[];
  /** Dead letters of the correlation id itself (an external entry a subscriber gave up on). */
  readonly deadLetters: TrailDeadLetter[];
  /** Messages found. */
  readonly count: number;
  /** The traces the messages are in (one, for a request traced from its start). */
  readonly traceIds: string[];
  /** Where the trail was read from, and what it cannot show here. */
  readonly sources: string[];
  readonly notes: string[];
}

/**
 * The hops a message's time is spent on, from the commit that wrote it to the commit of its
 * handler's unit of work; each is measured where it happens and reported to observers
 * (`protean_hop_seconds{hop}`, docs/operations.md "Where the time goes").
 */
export const MESSAGE_HOPS = [
  /** The outbox row's creation to the broker's acknowledgement of its publish (the relay). */
  'commit_to_published',
  /** The broker entry's timestamp (its id's milliseconds) to a subscription reading it. */
  'published_to_read',
  /** A subscription reading a message to its handler starting: the wait inside the worker. */
  'read_to_started',
  /** A handler's successful run, its unit of work included. */
  'handler',
  /** A unit of work from opening its transaction to the commit acknowledged. */
  'transaction',
] as const;

export type MessageHop = (typeof MESSAGE_HOPS)[number];

/** Told how long each hop took, in ms. Observing must be cheap and must never throw. */
export interface HopObserver {
  hop(hop: MessageHop, ms: number): void;
}

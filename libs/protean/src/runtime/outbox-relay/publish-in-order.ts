import type { OutgoingMessage } from '../../ports/broker/broker.port.js';
import { BrokerConnectionError } from '../../ports/broker/broker-connection.error.js';
import type { StreamPartitions } from '../../core/messages/stream-partitions.js';
import type { ClaimedMessage } from '../../ports/outbox/outbox-store.port.js';
import { messageOf } from '../../core/errors/error-message.js';

/** Publishes entries in one round trip; rejects when any of them was not published. */
export type PublishBatch = (messages: readonly OutgoingMessage[]) => Promise<unknown>;

/** What happened to each row of a batch. */
export interface PublishOutcome {
  readonly published: ClaimedMessage[];
  readonly failed: Array<{ readonly message: ClaimedMessage; readonly error: string }>;
  /**
   * Not attempted, because an earlier row of their stream failed (they stay in order behind
   * it) or because the broker could not be reached.
   */
  readonly held: ClaimedMessage[];
  /**
   * Set when the broker could not be reached (`BrokerConnectionError`): the rows it kept from
   * the broker are `held`, not `failed` — an outage is not the rows' fault and must not bring
   * them closer to abandonment; they wait in the outbox until the broker is back.
   */
  unavailable?: string;
}

/** After this many failures and no success, the broker is taken as down for the whole batch. */
const OUTAGE_PROBES = 2;

/**
 * The broker entry of a row: its envelope on the stream of its aggregate's category (or of its
 * aggregate's partition).
 */
export const outgoingOf = (
  message: ClaimedMessage,
  streams: StreamPartitions,
): OutgoingMessage => ({
  stream: streams.brokerStreamOf(message.stream),
  data: message.data,
});

/**
 * Publishes a batch in one call. If that fails, finds out which rows are at fault by
 * publishing them one by one, so one bad row (too large, refused) fails alone instead of
 * taking its whole batch to `abandoned` with it. A row's failure holds back the later rows of
 * its stream; when the first probes all fail the broker is down, and the rest of the batch
 * fails without more round trips.
 */
export async function publishInOrder(
  messages: readonly ClaimedMessage[],
  publish: PublishBatch,
  streams: StreamPartitions,
): Promise<PublishOutcome> {
  try {
    await publish(messages.map((message) => outgoingOf(message, streams)));
    return { published: [...messages], failed: [], held: [] };
  } catch (error) {
    if (error instanceof BrokerConnectionError) {
      return { published: [], failed: [], held: [...messages], unavailable: error.message };
    }
    if (messages.length === 1)
      return { published: [], failed: [failure(messages[0], error)], held: [] };
    return isolateFailures(messages, publish, streams);
  }
}

async function isolateFailures(
  messages: readonly ClaimedMessage[],
  publish: PublishBatch,
  streams: StreamPartitions,
): Promise<PublishOutcome> {
  const outcome: { -readonly [K in keyof PublishOutcome]: PublishOutcome[K] } = {
    published: [],
    failed: [],
    held: [],
  };
  const failedStreams = new Set<string>();
  let lastError: unknown;
  for (const message of messages) {
    if (failedStreams.has(message.stream) || outcome.unavailable !== undefined) {
      outcome.held.push(message);
      continue;
    }
    const brokerDown = outcome.published.length === 0 && outcome.failed.length >= OUTAGE_PROBES;
    try {
      if (brokerDown) throw lastError;
      await publish([outgoingOf(message, streams)]);
      outcome.published.push(message);
    } catch (error) {
      if (error instanceof BrokerConnectionError) {
        outcome.unavailable = error.message;
        outcome.held.push(message);
        continue;
      }
      lastError = error;
      outcome.failed.push(failure(message, error));
      failedStreams.add(message.stream);
    }
  }
  return outcome;
}

function failure(message: ClaimedMessage, error: unknown) {
  return { message, error: messageOf(error) };
}

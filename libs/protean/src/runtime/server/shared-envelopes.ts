import type { ReceivedMessage } from '../../ports/broker/broker.port.js';
import { deserializeEnvelope } from '../../core/messages/envelope-codec.js';
import type { MessageEnvelope } from '../../core/messages/message-envelope.js';

/** Entries remembered at most: enough for handlers reading a few batches apart. */
export const SHARED_ENVELOPES_KEPT = 2048;

interface Decoded {
  readonly text: string;
  readonly envelope: MessageEnvelope;
  /** Readers still to come; at 0 the entry is forgotten. */
  readers: number;
}

/**
 * Parses each entry of a stream once for all the handlers of one process that read it (one
 * consumer group each): the first to decode an entry parses and validates its envelope, the
 * others get that envelope, read-only. An entry is forgotten once every reader had it, or when
 * {@link SHARED_ENVELOPES_KEPT} newer ones push it out; a reader that comes later (a lagging
 * handler, a retry, a take-over) parses it again. Entries that fail to parse are not kept.
 */
export class SharedEnvelopes {
  private readonly recent = new Map<string, Decoded>();

  /** `readers`: per stream, how many handlers of this process read it. */
  constructor(
    private readonly readers: ReadonlyMap<string, number>,
    private readonly kept = SHARED_ENVELOPES_KEPT,
  ) {}

  /** Whether handlers of `stream` can share: more than one of them reads it. */
  shares(stream: string): boolean {
    return (this.readers.get(stream) ?? 0) > 1;
  }

  /** The envelope of `message`, an entry of `stream`; throws as `deserializeEnvelope` does. */
  decode(stream: string, message: ReceivedMessage): MessageEnvelope {
    const key = `${stream}\u0000${message.id}`;
    const known = this.recent.get(key);
    // The text is compared too: one id in two brokers' streams of one name is two entries.
    if (known && known.text === message.data) {
      if (--known.readers <= 0) this.recent.delete(key);
      return known.envelope;
    }
    const envelope = deserializeEnvelope(message.data);
    this.recent.set(key, { text: message.data!, envelope, readers: this.readers.get(stream)! - 1 });
    if (this.recent.size > this.kept) this.recent.delete(this.recent.keys().next().value!);
    return envelope;
  }
}

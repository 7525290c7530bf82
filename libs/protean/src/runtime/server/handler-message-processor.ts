import type { ReceivedMessage } from '../../ports/broker/broker.port.js';
import type { HandlerRunner } from '../../application/handler-runner.js';
import type { HandlerRegistry, RegisteredHandler } from '../../model/handler-registry.js';
import { deserializeEnvelope } from '../../core/messages/envelope-codec.js';
import { InvalidMessageError } from '../../core/messages/invalid-message.error.js';
import { UnknownMessageTypeError } from '../../core/messages/unknown-message-type.error.js';
import { instantiate, problemsOf } from '../../core/messages/message-validation.js';
import type { DecodedMessage, MessageProcessor } from './message-processor.js';
import type { SharedEnvelopes } from './shared-envelopes.js';
import { ProjectorBatches } from './projector-batches.js';
import { inChildSpan, tracingRegistered } from '../../core/tracing/protean-tracer.js';
import type { MessageEnvelope } from '../../core/messages/message-envelope.js';
import type { ConflictRetryOptions } from '../../application/retry-on-conflict.js';

/**
 * Delivers the envelopes of a domain stream (`bookshelf::order`, `bookshelf::order:command`) to
 * one command handler, event handler or projector, exactly once in effect, ordered per aggregate.
 */
export class HandlerMessageProcessor implements MessageProcessor {
  readonly group: string;
  /** A projector's messages started together share a transaction (see {@link ProjectorBatches}). */
  private readonly batches?: ProjectorBatches;

  constructor(
    readonly stream: string,
    private readonly handler: RegisteredHandler,
    private readonly registry: HandlerRegistry,
    private readonly runner: HandlerRunner,
    /** Given when other handlers of this process read the stream too: they parse it once. */
    private readonly shared?: SharedEnvelopes,
  ) {
    this.group = handler.name;
    if (handler.kind === 'projector') this.batches = new ProjectorBatches(this.group, runner);
  }

  decode(message: ReceivedMessage): DecodedMessage | undefined {
    const envelope = this.shared
      ? this.shared.decode(this.stream, message)
      : deserializeEnvelope(message.data);
    const route = this.handler.routes.get(envelope.type);
    if (!route) {
      if (!this.registry.messageClass(envelope.type))
        throw new UnknownMessageTypeError(envelope.type);
      return undefined;
    }
    const instance = instantiate(route.messageClass, envelope.payload);
    const problems = problemsOf(instance);
    if (problems.length > 0)
      throw new InvalidMessageError(`Invalid ${envelope.type} payload`, problems);
    return new HandlerDelivery(this, envelope, () => route.invoke(instance));
  }

  /** Runs one decoded message's handler: once in effect, or in its projector's batch. */
  execute(
    envelope: MessageEnvelope,
    work: () => Promise<unknown>,
    conflicts: ConflictRetryOptions,
  ) {
    const ids = { correlationId: envelope.metadata.correlationId, causationId: envelope.id };
    return this.batches
      ? this.batches.run({ messageId: envelope.id, ids, work }, conflicts)
      : this.runner.runOnce(this.group, envelope.id, ids, work, conflicts);
  }
}

/**
 * One decoded envelope and its handler's run: an object with a method rather than closures, as
 * the hot path makes one a message. The run is the span `handle <type>` under the attempt's,
 * when something records it (a projector's batch commits once for all).
 */
class HandlerDelivery implements DecodedMessage {
  readonly key: string;
  readonly type: string;
  readonly messageId: string;

  constructor(
    private readonly processor: HandlerMessageProcessor,
    private readonly envelope: MessageEnvelope,
    private readonly work: () => Promise<unknown>,
  ) {
    this.key = envelope.stream;
    this.type = envelope.type;
    this.messageId = envelope.id;
  }

  get headers(): Readonly<Record<string, string>> {
    return this.envelope.metadata.headers;
  }

  run(conflicts: ConflictRetryOptions): Promise<unknown> {
    if (!tracingRegistered()) return this.processor.execute(this.envelope, this.work, conflicts);
    return inChildSpan(
      'handle',
      this.type,
      (retry) => this.processor.execute(this.envelope, this.work, retry),
      conflicts,
    );
  }
}

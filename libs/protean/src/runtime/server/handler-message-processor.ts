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
import { inChildSpan } from '../../core/tracing/protean-tracer.js';

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
    const ids = { correlationId: envelope.metadata.correlationId, causationId: envelope.id };
    const work = () => route.invoke(instance);
    const batches = this.batches;
    const run: DecodedMessage['run'] = batches
      ? (conflicts) => batches.run({ messageId: envelope.id, ids, work }, conflicts)
      : (conflicts) => this.runner.runOnce(this.group, envelope.id, ids, work, conflicts);
    return {
      key: envelope.stream,
      type: envelope.type,
      messageId: envelope.id,
      headers: envelope.metadata.headers,
      // The handler's run, its span under the attempt's (a projector's batch commits once for all).
      run: (conflicts) => inChildSpan('handle', envelope.type, run, conflicts),
    };
  }
}

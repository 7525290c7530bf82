import { context, SpanKind, trace, type Context, type Span } from '@opentelemetry/api';
import type { MessageEnvelope } from '../core/messages/message-envelope.js';
import { failSpan, startSpan, tracingRegistered } from '../core/tracing/protean-tracer.js';
import { COMMIT_HEADER, traceparentOf } from '../core/tracing/trace-context.js';

/**
 * The span `commit` of one unit of work's transaction, from opening it to the commit
 * acknowledged, under the span active when it opened. The work itself runs beside it, not in
 * it; the outgoing envelopes are made inside it, so the events raised continue the trace from
 * the commit that wrote them. Without an SDK it records nothing and costs nothing more.
 */
export class CommitSpan {
  private readonly parent: Context;
  private readonly span: Span;
  private ended = false;

  constructor() {
    this.parent = context.active();
    this.span = startSpan('commit', { kind: SpanKind.INTERNAL }, this.parent);
  }

  /**
   * The span of a transaction opening now, or `undefined` when it would record nothing (no
   * tracer provider, or not sampled): the unit of work then runs as it would untraced.
   */
  static open(): CommitSpan | undefined {
    if (!tracingRegistered()) return undefined;
    const span = new CommitSpan();
    return span.recording ? span : undefined;
  }

  /** Whether the span records (an SDK is registered and sampled it). */
  get recording(): boolean {
    return this.span.isRecording();
  }

  /**
   * Makes the outgoing envelopes with the commit active, and stamps each traced one with the
   * commit's context ({@link COMMIT_HEADER}): the outbox's `send` span links to it.
   */
  stamp(make: () => MessageEnvelope[]): MessageEnvelope[] {
    if (!this.recording) return make();
    const envelopes = context.with(trace.setSpan(this.parent, this.span), make);
    const commit = traceparentOf(this.span);
    for (const { metadata } of envelopes) {
      // Only a traced message: an untraced one keeps its headers `{}`.
      if (Object.keys(metadata.headers).length === 0) continue;
      (metadata.headers as Record<string, string>)[COMMIT_HEADER] = commit;
    }
    this.span.setAttribute('protean.messages', envelopes.length);
    return envelopes;
  }

  /** Ends the span: the transaction committed. */
  committed(): void {
    if (this.ended) return;
    this.ended = true;
    this.span.end();
  }

  /** Ends the span when `transaction` settles: failed, when it rolled back. */
  settle<T>(transaction: Promise<T>): Promise<T> {
    return transaction.then(
      (value) => {
        this.committed();
        return value;
      },
      (error: unknown) => {
        if (!this.ended) failSpan(this.span, error);
        this.committed();
        throw error;
      },
    );
  }
}

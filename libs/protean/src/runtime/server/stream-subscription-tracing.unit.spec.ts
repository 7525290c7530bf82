import { context, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { InlineBroker } from '../../adapters/memory/inline-broker/inline.broker.js';
import { DEFAULT_SUBSCRIPTION_SETTINGS } from '../../core/config/subscription-profiles.js';
import { proteanTracer } from '../../core/tracing/protean-tracer.js';
import { traceHeaders } from '../../core/tracing/trace-context.js';
import {
  registerInMemoryTracing,
  type InMemoryTracing,
} from '../../../../../test/support/in-memory-tracing.js';
import { ManualClock } from '../../../../../test/support/manual-clock.js';
import type { MessageProcessor } from './message-processor.js';
import { StreamSubscription } from './stream-subscription.js';

/**
 * A stream subscription's spans, on the in-memory broker with an SDK registered: each delivery
 * attempt a `process` span continuing the trace its message carries, the dead letter an event.
 */
const STREAM = 'bookshelf::book';

interface Entry {
  readonly id: string;
  readonly fail: boolean;
  readonly headers?: Record<string, string>;
}

describe('StreamSubscription traces', () => {
  let tracing: InMemoryTracing;
  let broker: InlineBroker;
  let subscription: StreamSubscription;
  let clock: ManualClock;
  /** The span active in the handler, by message id. */
  const activeInHandler = new Map<string, string | undefined>();

  const until = async (condition: () => Promise<boolean> | boolean, what: string) => {
    const deadline = Date.now() + 5_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`${what}: not within 5 s`);
      await clock.advance(5);
    }
  };

  const processSpans = async (id: string): Promise<ReadableSpan[]> =>
    (await tracing.finished()).filter(
      (span) => span.name === `process ${STREAM}` && span.attributes['messaging.message.id'] === id,
    );

  beforeAll(() => {
    tracing = registerInMemoryTracing();
  });
  afterAll(() => tracing.disable());

  beforeEach(async () => {
    tracing.reset();
    clock = new ManualClock();
    broker = new InlineBroker('default', { maxPayloadBytes: 1 << 20, maxStreamLength: 0 }, clock);
    const processor: MessageProcessor = {
      group: 'CatalogProjector',
      stream: STREAM,
      decode: (message) => {
        const entry = JSON.parse(message.data!) as Entry;
        return {
          key: entry.id,
          type: 'bookshelf.BookAdded.v1',
          messageId: entry.id,
          headers: entry.headers,
          run: () => {
            activeInHandler.set(entry.id, trace.getActiveSpan()?.spanContext().spanId);
            return entry.fail ? Promise.reject(new Error('poisoned book')) : Promise.resolve();
          },
        };
      },
    };
    subscription = new StreamSubscription(
      broker,
      processor,
      {
        ...DEFAULT_SUBSCRIPTION_SETTINGS,
        subscription_profile: null,
        blocking_timeout_ms: 10,
        retry_delay_seconds: 0,
        max_retry_delay_seconds: 0,
        max_retries: 2,
        concurrency: 1,
      },
      'consumer-1',
      undefined,
      clock,
    );
    await subscription.start();
  });

  afterEach(async () => {
    subscription.stopReading();
    const stopped = Promise.all([subscription.drain(clock.now() + 1000), subscription.stopped()]);
    await clock.advance(1000);
    await stopped;
    await broker.close();
  });

  const publish = (entry: Entry) =>
    broker.publishBatch([{ stream: STREAM, data: JSON.stringify(entry) }]);

  it('continues the producer’s trace: one span per attempt, its number, the dead letter an event', async () => {
    const producer = proteanTracer().startSpan('process command AddBook');
    const headers = context.with(trace.setSpan(ROOT_CONTEXT, producer), traceHeaders);
    producer.end();
    await publish({ id: 'm-poison', fail: true, headers });
    await until(async () => (await processSpans('m-poison')).length === 3, 'three attempts');

    const attempts = await processSpans('m-poison');
    expect(attempts.map((span) => span.attributes['protean.attempt'])).toEqual([1, 2, 3]);
    for (const span of attempts) {
      expect(span).toMatchObject({
        kind: SpanKind.CONSUMER,
        status: { code: 2, message: 'poisoned book' },
        attributes: {
          'messaging.system': 'inline',
          'messaging.operation.type': 'process',
          'messaging.destination.name': STREAM,
          'messaging.consumer.group.name': 'CatalogProjector',
          'protean.message.type': 'bookshelf.BookAdded.v1',
        },
      });
      expect(span.spanContext().traceId).toBe(producer.spanContext().traceId);
      expect(span.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    }
    expect(attempts.map((span) => span.events.at(-1)?.name)).toEqual([
      'retry_scheduled',
      'retry_scheduled',
      'dead_lettered',
    ]);
    expect(attempts[2].events.at(-1)?.attributes).toMatchObject({
      'protean.dead_letter.reason': 'Error: poisoned book',
      'protean.attempt': 3,
    });
  });

  it('starts a new trace for a message without trace context, the handler running in its span', async () => {
    await publish({ id: 'm-external', fail: false });
    await until(async () => (await processSpans('m-external')).length === 1, 'one attempt');
    const [span] = await processSpans('m-external');
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.status.code).toBe(0);
    expect(span.attributes['protean.attempt']).toBe(1);
    expect(activeInHandler.get('m-external')).toBe(span.spanContext().spanId);
  });
});

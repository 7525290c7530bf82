import { Inject, Injectable } from '@nestjs/common';
import type { BrokerLookup } from '../ports/broker/broker-lookup.js';
import type { ProteanConfig } from '../core/config/config.schema.js';
import { serializeEnvelope } from '../core/messages/envelope-codec.js';
import type { MessageEnvelope } from '../core/messages/message-envelope.js';
import { StreamPartitions } from '../core/messages/stream-partitions.js';
import { assertPartitionRouting } from './partition-routing.js';
import { BROKER_REGISTRY, PROTEAN_CONFIG } from '../core/protean.tokens.js';
import { failSpan, tracingRegistered } from '../core/tracing/protean-tracer.js';
import { startSendSpan } from '../core/tracing/send-span.js';
import { COMMIT_HEADER } from '../core/tracing/trace-context.js';

/**
 * Async processing without the outbox (`enable_outbox = false`): publishes a unit of work's
 * async messages to the broker right after it commits (the {@link DeliveryPolicy} calls it).
 * A broker failure then loses them after the commit — the gap the transactional outbox
 * closes; use it in production.
 */
@Injectable()
export class DirectPublisher {
  private readonly streams: StreamPartitions;
  /** The routing check, once per process (again after it failed). */
  private routing: Promise<void> | undefined;

  constructor(
    @Inject(PROTEAN_CONFIG) private readonly config: ProteanConfig,
    @Inject(BROKER_REGISTRY) private readonly brokers: BrokerLookup,
  ) {
    this.streams = new StreamPartitions(config.streams);
  }

  /** Publishes `outgoing` to the outbox's broker, each on its category's (or partition's) stream. */
  async publish(outgoing: readonly MessageEnvelope[]): Promise<void> {
    if (outgoing.length === 0) return;
    const broker = this.brokers.get(this.config.outbox.broker);
    this.routing ??= assertPartitionRouting(broker, this.streams).catch((error: unknown) => {
      this.routing = undefined;
      throw error;
    });
    await this.routing;
    const entries = outgoing.map((m) => ({
      stream: this.streams.brokerStreamOf(m.stream),
      data: serializeEnvelope(m),
    }));
    // As the relay's: a span for each message a traced unit of work made (it names its commit).
    const spans = tracingRegistered()
      ? outgoing.map((m, index) =>
          Object.hasOwn(m.metadata.headers, COMMIT_HEADER)
            ? startSendSpan(m.metadata.headers, entries[index].stream, broker.provider, {
                'messaging.message.id': m.id,
              })
            : undefined,
        )
      : undefined;
    try {
      await broker.publishBatch(entries);
    } catch (error) {
      for (const span of spans ?? []) if (span) failSpan(span, error);
      throw error;
    } finally {
      for (const span of spans ?? []) span?.end();
    }
  }
}

import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import {
  MESSAGE_HOPS,
  type HopObserver,
  type MessageHop,
} from '../../../core/messages/message-hops.js';
import { OUTBOX_STATUSES } from '../../../ports/outbox/outbox-store.port.js';
import type { SubscriptionObserver } from '../../../runtime/server/subscription-observer.js';
import { ProteanStatus } from '../status/protean-status.js';
import type { StatusSnapshot } from '../status/status-snapshot.js';

const HANDLER_LABELS = ['handler', 'stream'] as const;
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** 1-2-5 steps from 0.5 ms to 5 s: a hop of a healthy pipeline takes a few ms. */
const HOP_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5];

/**
 * The application's Prometheus metrics, in a `Registry` of its own (two applications in one
 * process never share one). Counters and the duration histogram come from this process's
 * engine, as its `SubscriptionObserver`; the gauges are read at scrape time from the shared
 * truths (broker, database, outbox), so any process's `/metrics` shows lag and backlog for
 * all workers together.
 */
@Injectable()
export class ProteanMetrics implements SubscriptionObserver {
  /** Every metric below, plus Node's process metrics. */
  readonly registry = new Registry();

  private readonly processedTotal = this.counter(
    'protean_messages_processed_total',
    'Messages a handler processed successfully, by this process.',
  );
  private readonly failedTotal = this.counter(
    'protean_messages_failed_total',
    'Handler attempts that failed (each retry that fails counts again), by this process.',
  );
  private readonly retriedTotal = this.counter(
    'protean_messages_retried_total',
    'Failed messages scheduled for another attempt, by this process.',
  );
  private readonly deadLetteredTotal = this.counter(
    'protean_messages_dead_lettered_total',
    'Messages moved to <stream>:dlq, by this process.',
  );
  private readonly duration = new Histogram({
    name: 'protean_handler_duration_seconds',
    help: 'Time a handler took to process a message successfully.',
    labelNames: HANDLER_LABELS,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  private readonly hopSeconds = new Histogram({
    name: 'protean_hop_seconds',
    help:
      'Time a message spent on each hop of its way, by this process: commit_to_published ' +
      '(outbox relay), published_to_read (broker), read_to_started (worker queue), handler, ' +
      "transaction (a unit of work's, begin to commit).",
    labelNames: ['hop'],
    buckets: HOP_BUCKETS,
    registers: [this.registry],
  });

  /** Where the unit of work and the outbox relay report their hops (`HopObservers`). */
  readonly hops: HopObserver = {
    hop: (hop, ms) => this.hopSeconds.observe({ hop }, ms / 1000),
  };

  constructor(private readonly status: ProteanStatus) {
    collectDefaultMetrics({ register: this.registry });
    // Every hop is exposed from the start, so a hop that never happens here reads as 0.
    for (const hop of MESSAGE_HOPS) this.hopSeconds.zero({ hop });
    this.defineStatusGauges();
  }

  /** The metrics in Prometheus text format. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** The content type of {@link metrics}. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Local totals per handler and stream, for the Observatory. */
  async totals(): Promise<
    Array<{
      handler: string;
      stream: string;
      processed: number;
      failed: number;
      retried: number;
      deadLettered: number;
    }>
  > {
    const rows = new Map<string, Record<string, number | string>>();
    const add = async (counter: Counter<string>, key: string) => {
      for (const { labels, value } of (await counter.get()).values) {
        const id = `${labels.handler}\n${labels.stream}`;
        const row = rows.get(id) ?? {
          handler: String(labels.handler),
          stream: String(labels.stream),
        };
        row[key] = value;
        rows.set(id, row);
      }
    };
    await add(this.processedTotal, 'processed');
    await add(this.failedTotal, 'failed');
    await add(this.retriedTotal, 'retried');
    await add(this.deadLetteredTotal, 'deadLettered');
    return [...rows.values()].map((row) => ({
      handler: String(row.handler),
      stream: String(row.stream),
      processed: Number(row.processed ?? 0),
      failed: Number(row.failed ?? 0),
      retried: Number(row.retried ?? 0),
      deadLettered: Number(row.deadLettered ?? 0),
    }));
  }

  processed(group: string, stream: string, durationMs: number): void {
    this.processedTotal.inc({ handler: group, stream });
    this.duration.observe({ handler: group, stream }, durationMs / 1000);
  }

  failed(group: string, stream: string): void {
    this.failedTotal.inc({ handler: group, stream });
  }

  retried(group: string, stream: string): void {
    this.retriedTotal.inc({ handler: group, stream });
  }

  deadLettered(group: string, stream: string): void {
    this.deadLetteredTotal.inc({ handler: group, stream });
  }

  hop(_group: string, _stream: string, hop: MessageHop, ms: number): void {
    this.hops.hop(hop, ms);
  }

  private counter(name: string, help: string): Counter<string> {
    return new Counter({ name, help, labelNames: HANDLER_LABELS, registers: [this.registry] });
  }

  /** Gauges filled from one status snapshot per scrape. */
  private defineStatusGauges(): void {
    this.gauge(
      'protean_stream_length',
      'Entries on a broker stream.',
      ['broker', 'stream'],
      (g, s) => {
        for (const stream of s.streams)
          g.set({ broker: stream.broker, stream: stream.stream }, stream.length);
      },
    );
    this.gauge(
      'protean_dead_letters',
      "Entries on a stream's dead-letter stream (<stream>:dlq).",
      ['broker', 'stream'],
      (g, s) => {
        for (const stream of s.streams)
          if (stream.deadLetters !== null)
            g.set({ broker: stream.broker, stream: stream.stream }, stream.deadLetters);
      },
    );
    this.gauge(
      'protean_consumer_lag',
      "Entries of a stream not yet delivered to a handler's consumer group.",
      ['broker', 'stream', 'group'],
      (g, s) => {
        for (const sub of s.subscriptions)
          if (sub.broker && sub.lag !== null)
            g.set({ broker: sub.broker, stream: sub.stream, group: sub.handler }, sub.lag);
      },
    );
    this.gauge(
      'protean_consumer_pending',
      "Entries delivered to a handler's consumer group and not yet acknowledged.",
      ['broker', 'stream', 'group'],
      (g, s) => {
        for (const sub of s.subscriptions)
          if (sub.broker && sub.pending !== null)
            g.set({ broker: sub.broker, stream: sub.stream, group: sub.handler }, sub.pending);
      },
    );
    this.gauge(
      'protean_consumer_workers',
      "Running workers that run a handler's subscription, from their announcements (0: none " +
        'serves it, its messages wait); absent where the broker keeps no announcements.',
      ['broker', 'stream', 'group'],
      (g, s) => {
        for (const sub of s.subscriptions)
          if (sub.planned && sub.workers !== null)
            g.set(
              { broker: sub.broker ?? '', stream: sub.stream, group: sub.handler },
              sub.workers.length,
            );
      },
    );
    this.gauge('protean_outbox_messages', 'Outbox rows by status.', ['status'], (g, s) => {
      if (!s.outbox.stats) return;
      for (const status of OUTBOX_STATUSES) g.set({ status }, s.outbox.stats.counts[status]);
    });
    this.gauge(
      'protean_outbox_oldest_pending_age_seconds',
      'Age of the oldest outbox row not yet published nor abandoned (0 when none).',
      [],
      (g, s) => {
        if (s.outbox.stats) g.set(s.outbox.stats.oldestPendingAgeSeconds ?? 0);
      },
    );
    this.gauge(
      'protean_broker_up',
      'Whether the broker answers a ping (1) or not (0).',
      ['broker', 'provider'],
      (g, s) => {
        for (const broker of s.brokers)
          g.set({ broker: broker.name, provider: broker.provider }, broker.up ? 1 : 0);
      },
    );
    this.gauge(
      'protean_database_up',
      'Whether the database answers a ping (1) or not (0).',
      ['provider'],
      (g, s) => {
        g.set({ provider: s.database.provider }, s.database.up ? 1 : 0);
      },
    );
    this.gauge(
      'protean_event_store_up',
      'Whether the event store answers a ping (1) or not (0).',
      ['provider'],
      (g, s) => {
        g.set({ provider: s.eventStore.provider }, s.eventStore.up ? 1 : 0);
      },
    );
    this.gauge(
      'protean_engine_running',
      'Whether this process runs the server engine (1) or not (0).',
      [],
      (g, s) => {
        g.set(s.engine === 'running' ? 1 : 0);
      },
    );
  }

  private gauge(
    name: string,
    help: string,
    labelNames: readonly string[],
    fill: (gauge: Gauge<string>, snapshot: StatusSnapshot) => void,
  ): void {
    const status = this.status;
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        const snapshot = await status.snapshot();
        this.reset(); // a stream or group that went away must not keep its last value
        fill(this, snapshot);
      },
    });
  }
}

import { Injectable, type MessageEvent } from '@nestjs/common';
import { defer, exhaustMap, from, share, timer, type Observable } from 'rxjs';
import { ProteanMetrics } from '../metrics/protean-metrics.js';
import { ProteanStatus } from '../status/protean-status.js';
import type { StatusSnapshot } from '../status/status-snapshot.js';
import { messageOf } from '../../../core/errors/error-message.js';
import { ProcessedRates } from './processed-rates.js';

/** How often the page gets a sample. */
export const LIVE_INTERVAL_MS = 1000;

/** One subscription in a live sample. */
export interface LiveSubscription {
  readonly handler: string;
  readonly stream: string;
  readonly processed: number | null;
  /** Messages finished per second since the previous sample; `null` on the first. */
  readonly rate: number | null;
  readonly lag: number | null;
  readonly pending: number | null;
  /** The running workers that run it; `null` where the broker keeps no announcements. */
  readonly workers: readonly string[] | null;
}

/** What the page receives every second over server-sent events. */
export interface LiveSample {
  readonly at: string;
  readonly subscriptions: readonly LiveSubscription[];
  readonly deadLetters: Readonly<Record<string, number>>;
  readonly outbox: StatusSnapshot['outbox']['stats'];
  readonly brokers: Readonly<Record<string, boolean>>;
  /** This process's own engine counters (where the engine runs here). */
  readonly local: Awaited<ReturnType<ProteanMetrics['totals']>>;
}

/**
 * Live throughput per handler for every page at once: one sampler runs while at least one page
 * listens (and stops when the last leaves), reading the shared status once a second and turning
 * each group's processed count into a rate — the throughput of all workers together.
 */
@Injectable()
export class LiveThroughput {
  private readonly samples: Observable<MessageEvent>;

  constructor(
    private readonly status: ProteanStatus,
    private readonly metrics: ProteanMetrics,
  ) {
    this.samples = defer(() => {
      const rates = new ProcessedRates();
      return timer(0, LIVE_INTERVAL_MS).pipe(
        exhaustMap(() =>
          from(
            this.sample(rates).then(
              (sample) => ({ data: sample }) satisfies MessageEvent,
              // A failed sample is reported to the page; the stream goes on.
              (error: unknown) =>
                ({ type: 'problem', data: { message: messageOf(error) } }) satisfies MessageEvent,
            ),
          ),
        ),
      );
    }).pipe(share());
  }

  /** The samples, for `@Sse()`. */
  stream(): Observable<MessageEvent> {
    return this.samples;
  }

  private async sample(rates: ProcessedRates): Promise<LiveSample> {
    const [snapshot, local] = await Promise.all([this.status.snapshot(), this.metrics.totals()]);
    const at = Date.now();
    const rate = rates.next(snapshot.subscriptions, at);
    const subscriptions = snapshot.subscriptions.map((s, index): LiveSubscription => ({
      handler: s.handler,
      stream: s.stream,
      processed: s.processed,
      rate: rate[index],
      lag: s.lag,
      pending: s.pending,
      workers: s.workers,
    }));
    const sample: LiveSample = {
      at: new Date(at).toISOString(),
      subscriptions,
      deadLetters: Object.fromEntries(
        snapshot.streams
          .filter((stream) => stream.deadLetters !== null)
          .map((stream) => [stream.stream, stream.deadLetters!]),
      ),
      outbox: snapshot.outbox.stats,
      brokers: Object.fromEntries(snapshot.brokers.map((b) => [b.name, b.up])),
      local,
    };
    return sample;
  }
}

import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { messageOf } from '../../../core/errors/error-message.js';
import { ProteanStatus } from '../status/protean-status.js';
import { ProcessedRates, subscriptionKey } from './processed-rates.js';

/** One point a subscription's history gets every interval. */
export const HISTORY_INTERVAL_MS = 10_000;
/** Points kept per subscription: one hour. */
export const HISTORY_POINTS = 360;

/** A point of history: when (ms), messages finished per second, and the lag then. */
export type HistoryPoint = readonly [at: number, rate: number | null, lag: number | null];

/** A subscription's last hour. */
export interface SubscriptionHistory {
  readonly handler: string;
  readonly stream: string;
  readonly points: readonly HistoryPoint[];
}

/**
 * Each handler's throughput and lag over the last hour, for the Observatory's sparklines: a
 * sample of the shared status every {@link HISTORY_INTERVAL_MS}, kept in this process's memory,
 * at most {@link HISTORY_POINTS} per subscription and only for the subscriptions of the current
 * plan — bounded whatever runs. A process that started recently shows what it saw since.
 */
@Injectable()
export class ThroughputHistory implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Observatory');
  private readonly rates = new ProcessedRates();
  private readonly histories = new Map<string, SubscriptionHistory & { points: HistoryPoint[] }>();
  private timer?: NodeJS.Timeout;
  private sampling?: Promise<void>;
  private failing = false;

  constructor(private readonly status: ProteanStatus) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sample(), HISTORY_INTERVAL_MS);
    this.timer.unref();
    void this.sample();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.sampling;
  }

  /** Every subscription's history, oldest point first. */
  all(): SubscriptionHistory[] {
    return [...this.histories.values()];
  }

  /** Takes one sample (one at a time: a slow status skips a beat rather than piling up). */
  sample(at = Date.now()): Promise<void> {
    this.sampling ??= this.take(at).finally(() => (this.sampling = undefined));
    return this.sampling;
  }

  private async take(at: number): Promise<void> {
    let subscriptions;
    try {
      ({ subscriptions } = await this.status.snapshot());
    } catch (error) {
      if (!this.failing) this.logger.warn(`History sample failed: ${messageOf(error)}`);
      this.failing = true;
      return;
    }
    this.failing = false;
    const rates = this.rates.next(subscriptions, at);
    const current = new Set<string>();
    subscriptions.forEach((s, index) => {
      const key = subscriptionKey(s);
      current.add(key);
      let history = this.histories.get(key);
      if (!history) {
        history = { handler: s.handler, stream: s.stream, points: [] };
        this.histories.set(key, history);
      }
      history.points.push([at, rates[index], s.lag]);
      if (history.points.length > HISTORY_POINTS) history.points.shift();
    });
    for (const key of this.histories.keys()) if (!current.has(key)) this.histories.delete(key);
  }
}

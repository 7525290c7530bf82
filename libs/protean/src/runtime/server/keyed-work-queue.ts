import { SYSTEM_CLOCK, type Clock } from '../../core/async/clock.js';

/** What a task may ask for instead of finishing: to run again after a pause. */
export interface RetryLater {
  readonly retryAfterMs: number;
}

type Task<T> = (item: T) => Promise<RetryLater | void>;

/**
 * Runs items with bounded concurrency, never two items of one key at once, in arrival order
 * per key. A task that asks to retry later keeps its key busy (later items of that key wait
 * behind it) but gives its concurrency slot back while it waits.
 */
export class KeyedWorkQueue<T> {
  private readonly queues = new Map<string, T[]>();
  /** Keys whose head item runs or waits to retry. */
  private readonly busy = new Set<string>();
  private readonly running = new Set<string>();
  /** Keys with queued items and not busy, in the order they became runnable. */
  private ready: string[] = [];
  /** Cancels the pending retries' timers. */
  private readonly timers = new Set<() => void>();
  private items = 0;
  private anonymous = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly task: Task<T>,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {}

  /** Items queued, running or waiting to retry. */
  get size(): number {
    return this.items;
  }

  /** Adds an item; items without a key are independent of all others. */
  push(key: string | undefined, item: T): void {
    const queueKey = key ?? `\u0000${this.anonymous++}`;
    this.items++;
    const queue = this.queues.get(queueKey);
    if (queue) queue.push(item);
    else this.queues.set(queueKey, [item]);
    if (!queue && !this.busy.has(queueKey)) this.ready.push(queueKey);
    this.pump();
  }

  /** Resolves when no item is queued, running or waiting to retry. */
  idle(): Promise<void> {
    if (this.items === 0) return Promise.resolve();
    return new Promise((done) => this.idleWaiters.push(done));
  }

  /** Drops queued items and pending retries; running items finish. Resolves to how many dropped. */
  clear(): number {
    const dropped = this.items - this.running.size;
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.queues.clear();
    this.ready = [];
    for (const key of [...this.busy]) if (!this.running.has(key)) this.busy.delete(key);
    this.items = this.running.size;
    this.settleIdle();
    return dropped;
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.ready.length > 0) {
      const key = this.ready.shift()!;
      const queue = this.queues.get(key)!;
      const item = queue.shift()!;
      if (queue.length === 0) this.queues.delete(key);
      this.busy.add(key);
      this.running.add(key);
      this.task(item).then(
        (outcome) => this.finished(key, item, outcome),
        () => this.finished(key, item, undefined),
      );
    }
  }

  private finished(key: string, item: T, outcome: RetryLater | void): void {
    this.running.delete(key);
    if (outcome) this.retryLater(key, item, outcome.retryAfterMs);
    else {
      this.items--;
      this.busy.delete(key);
      if (this.queues.has(key)) this.ready.push(key);
    }
    this.pump();
    this.settleIdle();
  }

  private retryLater(key: string, item: T, delayMs: number): void {
    const cancel = this.clock.schedule(delayMs, () => {
      this.timers.delete(cancel);
      const queue = this.queues.get(key);
      if (queue) queue.unshift(item);
      else this.queues.set(key, [item]);
      this.busy.delete(key);
      this.ready.unshift(key);
      this.pump();
    });
    this.timers.add(cancel);
  }

  private settleIdle(): void {
    if (this.items !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const done of waiters) done();
  }
}

import { SYSTEM_CLOCK, type Clock } from '../../core/async/clock.js';
import { ConcurrencySlots } from './concurrency-slots.js';

/** What a task may ask for instead of finishing: to run again after a pause. */
export interface RetryLater {
  readonly retryAfterMs: number;
}

type Task<T> = (item: T) => Promise<RetryLater | void>;

/** One key's items: those waiting, and whether its head item runs or waits to retry. */
interface KeyState<T> {
  readonly key: string;
  readonly waiting: T[];
  /** Its head item runs, or waits to retry: later items wait behind it. */
  busy: boolean;
  /** Its head item runs (holds a concurrency slot). */
  running: boolean;
}

/**
 * Runs items with bounded concurrency, never two items of one key at once, in arrival order
 * per key. A task that asks to retry later keeps its key busy (later items of that key wait
 * behind it) but gives its concurrency slot back while it waits. The slots are its own (a
 * number), or shared with other queues ({@link ConcurrencySlots}).
 */
export class KeyedWorkQueue<T> {
  /** Keys with an item waiting, running or waiting to retry; a key is forgotten when idle. */
  private readonly keys = new Map<string, KeyState<T>>();
  /** Keys with waiting items and not busy, in the order they became runnable. */
  private ready: Array<KeyState<T>> = [];
  /** Cancels the pending retries' timers. */
  private readonly timers = new Set<() => void>();
  private runningCount = 0;
  private items = 0;
  private anonymous = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly slots: ConcurrencySlots;
  private readonly unsubscribe: () => void;

  constructor(
    concurrency: number | ConcurrencySlots,
    private readonly task: Task<T>,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {
    this.slots = typeof concurrency === 'number' ? new ConcurrencySlots(concurrency) : concurrency;
    this.unsubscribe = this.slots.whenFree(() => this.pump());
  }

  /** Stops taking shared slots: the queue is done with (its subscription drained). */
  close(): void {
    this.unsubscribe();
  }

  /** Items queued, running or waiting to retry. */
  get size(): number {
    return this.items;
  }

  /** Adds an item; items without a key are independent of all others. */
  push(key: string | undefined, item: T): void {
    const queueKey = key ?? `\u0000${this.anonymous++}`;
    this.items++;
    const state = this.keys.get(queueKey);
    if (state) {
      state.waiting.push(item);
      if (!state.busy && state.waiting.length === 1) this.ready.push(state);
    } else {
      const fresh = { key: queueKey, waiting: [item], busy: false, running: false };
      this.keys.set(queueKey, fresh);
      this.ready.push(fresh);
    }
    this.pump();
  }

  /** Resolves when no item is queued, running or waiting to retry. */
  idle(): Promise<void> {
    if (this.items === 0) return Promise.resolve();
    return new Promise((done) => this.idleWaiters.push(done));
  }

  /** Drops queued items and pending retries; running items finish. Resolves to how many dropped. */
  clear(): number {
    const dropped = this.items - this.runningCount;
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.ready = [];
    for (const state of this.keys.values()) {
      state.waiting.length = 0;
      if (!state.running) this.keys.delete(state.key);
    }
    this.items = this.runningCount;
    this.settleIdle();
    return dropped;
  }

  private pump(): void {
    while (this.ready.length > 0 && this.slots.tryTake()) {
      const state = this.ready.shift()!;
      const item = state.waiting.shift()!;
      state.busy = true;
      state.running = true;
      this.runningCount++;
      this.task(item).then(
        (outcome) => this.finished(state, item, outcome),
        () => this.finished(state, item, undefined),
      );
    }
  }

  private finished(state: KeyState<T>, item: T, outcome: RetryLater | void): void {
    state.running = false;
    this.runningCount--;
    if (outcome) this.retryLater(state, item, outcome.retryAfterMs);
    else {
      this.items--;
      this.release(state);
    }
    // Offered to every queue sharing the slots, this one included.
    this.slots.give();
    this.settleIdle();
  }

  /** The key's head item is done: the next waiting item becomes runnable, or the key is idle. */
  private release(state: KeyState<T>): void {
    state.busy = false;
    if (state.waiting.length > 0) this.ready.push(state);
    else this.keys.delete(state.key);
  }

  private retryLater(state: KeyState<T>, item: T, delayMs: number): void {
    const cancel = this.clock.schedule(delayMs, () => {
      this.timers.delete(cancel);
      state.waiting.unshift(item);
      state.busy = false;
      this.ready.unshift(state);
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

import { ScopedValue } from './scoped-value.js';

/** The ids that follow work from the HTTP request through every command, event and handler. */
export interface CorrelationIds {
  /** Shared by everything one outside request set off. */
  readonly correlationId: string;
  /** The id of the message (or request) being handled: the cause of whatever it produces. */
  readonly causationId: string;
  /** While a handler handles a message: the message's id (logged on every line). */
  readonly messageId?: string;
  /** While a handler handles a message: the handler's name. */
  readonly handler?: string;
}

const scoped = new ScopedValue<CorrelationIds>('correlation ids');

/** Carries correlation and causation ids across `await`s (a {@link ScopedValue}). */
export const CorrelationContext = {
  /** Runs `work` with `value` as the current correlation context. */
  run<T>(value: CorrelationIds, work: () => T): T {
    return scoped.run(value, work);
  },
  /** The ids of the work in progress, or `undefined` outside of any. */
  current(): CorrelationIds | undefined {
    return scoped.get();
  },
};

import { filter, lastValueFrom, of, throwError, timeout, toArray, type Observable } from 'rxjs';
import { SagaTimeoutError } from './saga-timeout.error.js';

/** A `@Saga()` property: events in, commands out. */
export type SagaFunction = (events$: Observable<object>) => Observable<unknown>;

/** How long a saga may take over one event when the options say nothing. */
export const DEFAULT_SAGA_TIMEOUT_MS = 10_000;

/**
 * Runs a saga on one event: its pipeline over a stream of that one event, to completion, and
 * the commands it emitted (nullish values dropped, as `@nestjs/cqrs` drops them). Asynchronous
 * operators (`delay`, `mergeMap` to a promise) are waited for; operators that combine several
 * events (`bufferCount`, `scan`, `pairwise`) see one event at a time. A pipeline still running
 * after `timeoutMs` is unsubscribed and fails with {@link SagaTimeoutError} (the message is
 * retried, then dead-lettered), rather than holding its aggregate's messages for ever.
 */
export function sagaStep(
  saga: SagaFunction,
  event: object,
  timeoutMs = DEFAULT_SAGA_TIMEOUT_MS,
): Promise<object[]> {
  return lastValueFrom(
    saga(of(event)).pipe(
      filter((command): command is object => command !== null && command !== undefined),
      toArray(),
      timeout({
        first: timeoutMs,
        with: () => throwError(() => new SagaTimeoutError(saga.name, event, timeoutMs)),
      }),
    ),
  );
}
